// The run's resolver and DNS collectors against sandbox nameservers: the shared in-flight cache, CNAME chasing
// across zones, server fallback, --connect-to for DNS servers, and nameserver probing.
import { afterEach, describe, expect, it } from 'vitest';
import { collectHosts, collectZones } from '../../src/collect/dns/facts.js';
import { DnsResolver } from '../../src/collect/dns/resolver.js';
import { parseResolvConf } from '../../src/collect/dns/system.js';
import { Limiter } from '../../src/collect/limit.js';
import { NetPolicy, parseConnectTo } from '../../src/collect/net.js';
import { prepareNetwork } from '../../src/collect/setup.js';
import { validateConfig } from '../../src/config/load.js';
import { targetFromConfig } from '../../src/config/target.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';

const open: DnsSandbox[] = [];
afterEach(async () => { await Promise.all(open.splice(0).map((s) => s.close())); });

async function server(zoneText: string | string[], delayMs?: number): Promise<DnsSandbox> {
  const texts = Array.isArray(zoneText) ? zoneText : [zoneText];
  const s = await startDnsSandbox({ zones: texts.map((t) => parseZone(t)), ...(delayMs ? { delayMs } : {}) });
  open.push(s);
  return s;
}

const zone = (origin: string, body: string, serial = 1) => `$ORIGIN ${origin}.
$TTL 60
@ SOA ns1.${origin}. h.${origin}. ( ${serial} 3600 600 86400 60 )
@ NS ns1.${origin}.
${body}`;

function resolver(servers: DnsSandbox[], opts: { connectTo?: string[]; timeoutMs?: number; concurrency?: number } = {}): DnsResolver {
  return new DnsResolver({
    servers: servers.map((s) => ({ address: s.address, port: s.port })),
    timeoutMs: opts.timeoutMs ?? 400,
    retries: 0,
    policy: new NetPolicy({ connectTo: (opts.connectTo ?? []).map(parseConnectTo), loopbackOnly: true }),
    limiter: new Limiter(opts.concurrency ?? 16),
  });
}

describe('the shared cache', () => {
  it('concurrent askers of one name+type share one in-flight query', async () => {
    const s = await server(zone('a.test', 'www A 127.0.0.9'), 100);
    const r = resolver([s]);
    const answers = await Promise.all(Array.from({ length: 5 }, () => r.query('WWW.a.test.', 'A')));
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]!.status).toBe('ok');
    expect(s.queries.map((q) => `${q.name} ${q.type}`)).toEqual(['WWW.a.test A']);
    expect(r.stats).toEqual({ sent: 1, cached: 4 });
  });

  it('a name that node:dns refuses (":" and a space in a label) is still asked and answered', async () => {
    const s = await server(zone('odd.test', 'we:ird\\032name A 127.0.0.8'));
    const a = await resolver([s]).resolveAddresses('we:ird name.odd.test', 'A');
    expect(a).toMatchObject({ status: 'ok', addresses: ['127.0.0.8'] });
    expect(s.queries[0]!.name).toBe('we:ird name.odd.test');
  });
});

describe('CNAME chasing', () => {
  it('follows a chain that leaves the zone, asking for each target, and records every hop', async () => {
    // Two servers: the first serves shop.test only; its CNAME target lives in cdn.test on the second. The
    // resolver is asked the chain's names in turn, as a recursive resolver would be.
    const s = await server([zone('shop.test', 'www CNAME edge.cdn.test.'), zone('cdn.test', 'edge CNAME pop1.cdn.test.\npop1 A 127.0.0.7\npop1 AAAA ::1')]);
    const r = resolver([s]);
    const a = await r.resolveAddresses('www.shop.test', 'A');
    expect(a).toEqual({
      status: 'ok', addresses: ['127.0.0.7'], finalName: 'pop1.cdn.test',
      chain: [{ name: 'www.shop.test', target: 'edge.cdn.test', ttl: 60 }, { name: 'edge.cdn.test', target: 'pop1.cdn.test', ttl: 60 }],
    });
  });

  it('chases a target the server did not resolve, and reports NXDOMAIN at the end of the chain', async () => {
    // The sandbox only follows CNAMEs into zones it serves: ghost.other.test is asked separately, of the same resolver.
    const s = await server([zone('shop.test', 'admin CNAME ghost.other.test.')]);
    const other = zone('other.test', 'alive A 127.0.0.1');
    const r = resolver([s, await server([other])]);
    const a = await r.resolveAddresses('admin.shop.test', 'A');
    // The first server REFUSES other.test; the resolver falls through to the second, which says NXDOMAIN.
    expect(a.status).toBe('nxdomain');
    expect(a.finalName).toBe('ghost.other.test');
    expect(a.chain.map((h) => h.target)).toEqual(['ghost.other.test']);
  });

  it('detects a loop', async () => {
    const s = await server(zone('loop.test', 'a CNAME b\nb CNAME a'));
    const a = await resolver([s]).resolveAddresses('a.loop.test', 'A');
    expect(a.status).toBe('loop');
    expect(a.chain.map((h) => `${h.name}>${h.target}`)).toEqual(['a.loop.test>b.loop.test', 'b.loop.test>a.loop.test']);
  });

  it('keeps a failure along the chain as a failure, not as "does not exist"', async () => {
    const first = await server([zone('shop.test', 'www CNAME slow.other.test.')]);
    const second = await server([zone('other.test', 'slow A 127.0.0.1')]);
    second.setFault('slow.other.test', { servfail: true });
    const a = await resolver([first, second]).resolveAddresses('www.shop.test', 'A');
    expect(a).toMatchObject({ status: 'servfail', addresses: [], finalName: 'slow.other.test' });
    expect(a.chain).toHaveLength(1);
  });
});

describe('servers and --connect-to', () => {
  it('falls through to the next resolver when one times out', async () => {
    const dead = await server(zone('a.test', 'www A 127.0.0.1'));
    dead.setFault('www.a.test', { drop: true });
    const alive = await server(zone('a.test', 'www A 127.0.0.2'));
    const a = await resolver([dead, alive], { timeoutMs: 200 }).resolveAddresses('www.a.test', 'A');
    expect(a.addresses).toEqual(['127.0.0.2']);
  });

  it('applies connect-to rules to the resolver address itself', async () => {
    const real = await server(zone('a.test', 'www A 127.0.0.3'));
    const r = new DnsResolver({
      servers: [{ address: '127.0.0.1', port: 1 }],
      timeoutMs: 400, retries: 0, limiter: new Limiter(4),
      policy: new NetPolicy({ connectTo: [parseConnectTo(`127.0.0.1:1:${real.address}:${real.port}`)], loopbackOnly: true }),
    });
    expect((await r.resolveAddresses('www.a.test', 'A')).addresses).toEqual(['127.0.0.3']);
  });

  it('refuses a non-loopback resolver in loopback-only mode, without sending', async () => {
    const r = new DnsResolver({ servers: [{ address: '192.0.2.1', port: 53 }], timeoutMs: 200, retries: 0, limiter: new Limiter(1), policy: new NetPolicy({ loopbackOnly: true }) });
    const a = await r.query('www.a.test', 'A');
    expect(a.status).toBe('error');
    expect(a.status === 'error' && a.message).toMatch(/loopback-only/);
  });

  it('reads nameservers from resolv.conf, skipping what a socket cannot use', () => {
    expect(parseResolvConf('# c\nnameserver 10.0.0.2\nnameserver fe80::1%eth0\nnameserver ::1\nsearch x\n')).toEqual([
      { address: '10.0.0.2', port: 53 }, { address: '::1', port: 53 },
    ]);
  });

  it('parses curl-style connect-to rules, IPv6 brackets and empty fields included', () => {
    expect(parseConnectTo('ns1.example.com:53:127.0.0.1:5353')).toEqual({ host: 'ns1.example.com', port: 53, toHost: '127.0.0.1', toPort: 5353 });
    expect(parseConnectTo('::[::1]:')).toEqual({ host: '', port: null, toHost: '::1', toPort: null });
    expect(() => parseConnectTo('a:b:c:d')).toThrow(/port "b"/);
    expect(() => parseConnectTo('a:1:c')).toThrow(/HOST1:PORT1:HOST2:PORT2/);
    const p = new NetPolicy({ connectTo: [parseConnectTo('API.example.com:443:127.0.0.1:8443'), parseConnectTo('::127.0.0.2:')] });
    expect(p.redirect('api.example.com.', 443)).toEqual({ host: '127.0.0.1', port: 8443 });
    expect(p.redirect('www.example.com', 80)).toEqual({ host: '127.0.0.2', port: 80 });
  });
});

describe('collectors', () => {
  it('probe every nameserver of each domain (via connect-to by name) and resolve every surface', async () => {
    const zoneText = (serial: number) => zone('shop.test', `@ NS ns2.shop.test.\n@ A 127.0.0.1\nwww A 127.0.0.1\napi CNAME www\nns1 A 127.0.0.1\nns2 A 127.0.0.1\n@ CAA 0 issue "letsencrypt.org"`, serial);
    const ns1 = await server(zoneText(5));
    const ns2 = await server(zoneText(4));
    const net = await prepareNetwork({
      resolver: `${ns1.address}:${ns1.port}`,
      connectTo: [`ns1.shop.test:53:${ns1.address}:${ns1.port}`, `ns2.shop.test:53:${ns2.address}:${ns2.port}`],
      timeoutMs: 1000, concurrency: 8, loopbackOnly: true,
    });
    const ctx = net.context(new AbortController().signal);
    const target = targetFromConfig(validateConfig({ domains: [{ name: 'shop.test', hosts: ['www', 'api'] }] }), [], new Date());
    const [hosts, zones] = await Promise.all([collectHosts(ctx, target), collectZones(ctx, target)]);
    expect(hosts.map((h) => [h.name, h.a.status, h.a.addresses, h.a.chain.length])).toEqual([
      ['shop.test', 'ok', ['127.0.0.1'], 0], ['www.shop.test', 'ok', ['127.0.0.1'], 0], ['api.shop.test', 'ok', ['127.0.0.1'], 1],
    ]);
    const z = zones[0]!;
    expect(z.nameservers.map((n) => [n.name, n.probes.map((p) => p.answer.status === 'ok' && p.answer.authoritative)])).toEqual([
      ['ns1.shop.test', [true]], ['ns2.shop.test', [true]],
    ]);
    expect(ns2.queries.map((q) => `${q.name} ${q.type}`)).toEqual(['shop.test SOA']);
  });
});
