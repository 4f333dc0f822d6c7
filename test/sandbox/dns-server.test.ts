// The DNS sandbox: zone parsing, authoritative answers, faults and transports, over real loopback sockets.
import { afterEach, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import net from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';
import {
  loadZoneFile, parseZone, startDnsSandbox, ZoneParseError,
  type DnsSandbox, type Zone, type ZoneRecord,
} from '../../src/sandbox/dns-server.js';
import { exchange } from '../../src/collect/dns/wire.js';
import { isLoopback, NetPolicy } from '../../src/collect/net.js';
import type { DnsAnswer, DnsRecordType } from '../../src/facts/dns.js';

const zonesDir = fileURLToPath(new URL('../../fixtures/zones/', import.meta.url));
const policy = new NetPolicy({ loopbackOnly: true });

const open: DnsSandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function sandbox(zones: Zone[], extra: { delayMs?: number } = {}): Promise<DnsSandbox> {
  const s = await startDnsSandbox({ zones, ...extra });
  open.push(s);
  return s;
}

function ask(s: DnsSandbox, name: string, type: DnsRecordType, timeoutMs = 500): Promise<DnsAnswer> {
  return exchange({ server: { address: s.address, port: s.port }, name, type, timeoutMs, retries: 0, policy });
}

/** One raw UDP query, for what exchange() cannot express (no EDNS, ANY, malformed packets). */
function rawUdp(port: number, packet: Buffer, timeoutMs = 500): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      sock.close();
      resolve(undefined);
    }, timeoutMs);
    sock.on('message', (msg) => {
      clearTimeout(timer);
      sock.close();
      resolve(msg);
    });
    sock.send(packet, port, '127.0.0.1');
  });
}

function query(name: string, type: string, opts: { id?: number; edns?: boolean } = {}): Buffer {
  return dnsPacket.encode({
    type: 'query', id: opts.id ?? 4242, flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as 'A', class: 'IN' }],
    additionals: opts.edns
      ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }]
      : [],
  });
}

function rcodeOf(msg: Buffer): number {
  return msg.readUInt16BE(2) & 0xf;
}

function ok(a: DnsAnswer) {
  if (a.status !== 'ok') throw new Error(`expected ok, got ${a.status}: ${'message' in a ? a.message : ''}`);
  return a;
}

const clean = () => loadZoneFile(`${zonesDir}clean.test.zone`);
const broken = () => loadZoneFile(`${zonesDir}broken.test.zone`);
const heroku = () => loadZoneFile(`${zonesDir}herokuapp.com.zone`);

describe('parseZone', () => {
  it('reads directives, relative and absolute names, blank owners, TTL units and multi-line SOA', () => {
    const z = parseZone(`
$ORIGIN Example.test.
$TTL 1h
@   IN  SOA ns1 hostmaster.example.test. ( 7 ; serial
        2h 15m 1w
        60 )
    NS  ns1.example.test.
    30 IN A 127.0.0.1        ; TTL before class
    IN 45 AAAA ::1           ; class before TTL
ns1 A 127.0.0.9
www.example.test. CNAME ns1
mail MX 10 ns1
_sip._tcp SRV 5 10 5060 ns1
1 PTR www
`);
    expect(z.origin).toBe('Example.test');
    const soa = z.records.find((r) => r.type === 'SOA');
    expect(soa).toEqual({
      name: 'Example.test', ttl: 3600, type: 'SOA', mname: 'ns1.Example.test', rname: 'hostmaster.example.test',
      serial: 7, refresh: 7200, retry: 900, expire: 604800, minimum: 60,
    });
    const byType = (t: string) => z.records.filter((r) => r.type === t);
    expect(byType('NS')[0]).toMatchObject({ name: 'Example.test', target: 'ns1.example.test' });
    expect(byType('A')).toEqual([
      { name: 'Example.test', ttl: 30, type: 'A', address: '127.0.0.1' },
      { name: 'ns1.Example.test', ttl: 3600, type: 'A', address: '127.0.0.9' }, // $TTL, not the last explicit TTL
    ]);
    expect(byType('AAAA')[0]).toMatchObject({ name: 'Example.test', ttl: 45, address: '::1' });
    expect(byType('CNAME')[0]).toMatchObject({ name: 'www.example.test', target: 'ns1.Example.test' });
    expect(byType('MX')[0]).toMatchObject({ name: 'mail.Example.test', preference: 10, exchange: 'ns1.Example.test' });
    expect(byType('SRV')[0]).toMatchObject({ name: '_sip._tcp.Example.test', priority: 5, weight: 10, port: 5060 });
    expect(byType('PTR')[0]).toMatchObject({ name: '1.Example.test', target: 'www.Example.test' });
  });

  it('reads TXT strings with escapes, several strings per record, and CAA', () => {
    const z = parseZone(
      [
        '@ SOA ns hm 1 2 3 4 5',
        '@ TXT "v=spf1 -all" "two; not a comment" unquoted',
        't TXT "say \\"hi\\"" "back\\\\slash" "\\065\\066\\255"',
        '@ CAA 0 issue "letsencrypt.org"',
        '@ CAA 128 iodef "mailto:sec@x.test"',
      ].join('\n'),
      'x.test.',
    );
    const txt = z.records.filter((r): r is Extract<ZoneRecord, { type: 'TXT' }> => r.type === 'TXT');
    expect(txt[0]!.strings.map(String)).toEqual(['v=spf1 -all', 'two; not a comment', 'unquoted']);
    expect(txt[1]!.strings[0]!.toString()).toBe('say "hi"');
    expect(txt[1]!.strings[1]!.toString()).toBe('back\\slash');
    expect([...txt[1]!.strings[2]!]).toEqual([65, 66, 255]);
    expect(z.records.filter((r) => r.type === 'CAA')).toEqual([
      { name: 'x.test', ttl: 3600, type: 'CAA', flags: 0, tag: 'issue', value: 'letsencrypt.org' },
      { name: 'x.test', ttl: 3600, type: 'CAA', flags: 128, tag: 'iodef', value: 'mailto:sec@x.test' },
    ]);
  });

  it('keeps odd label bytes: escaped spaces, colons and backslashes', () => {
    const z = parseZone('@ SOA ns hm 1 2 3 4 5\nweird:host\\ name A 127.0.0.1\nback\\\\slash A 127.0.0.2\n', 'x.test');
    expect(z.records.map((r) => r.name)).toEqual(['x.test', 'weird:host name.x.test', 'back\\slash.x.test']);
  });

  it.each([
    ['unknown type', '@ SOA ns hm 1 2 3 4 5\n\nwww IN FOO 1.2.3.4\n', 3, /unknown or unsupported record type "FOO"/],
    ['bad IPv4', '@ SOA ns hm 1 2 3 4 5\nwww A 300.1.1.1\n', 2, /not an IPv4 address/],
    ['unterminated string', '@ SOA ns hm 1 2 3 4 5\n\n\nt TXT "open\n', 4, /unterminated string/],
    ['unclosed paren', '@ SOA ns hm (\n 1 2 3 4 5\n', 1, /'\(' is never closed/],
    ['stray paren', '@ SOA ns hm 1 2 3 4 5 )\n', 1, /'\)' without '\('/],
    ['wrong field count', '@ SOA ns hm 1 2 3 4 5\nm MX mail\n', 2, /MX needs 2 field/],
    ['out of zone', '@ SOA ns hm 1 2 3 4 5\nother.test. A 127.0.0.1\n', 2, /outside the zone/],
    ['no owner yet', '  A 127.0.0.1\n', 1, /no owner/],
    ['missing SOA', '@ A 127.0.0.1\n', 1, /no SOA record/],
    ['unsupported directive', '$INCLUDE other.zone\n', 1, /unsupported directive/],
    ['label too long', `@ SOA ns hm 1 2 3 4 5\n${'a'.repeat(64)} A 127.0.0.1\n`, 2, /longer than 63/],
  ])('reports %s with its line number', (_what, text, line, pattern) => {
    let caught: unknown;
    try {
      parseZone(text, 'x.test');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ZoneParseError);
    expect((caught as ZoneParseError).line).toBe(line);
    expect((caught as Error).message).toMatch(new RegExp(`^line ${line}: `));
    expect((caught as Error).message).toMatch(pattern);
  });

  it('needs an origin for relative names', () => {
    expect(() => parseZone('www A 127.0.0.1\n')).toThrow(/line 1: relative name/);
  });
});

describe('fixture zones', () => {
  it('load, and point only at loopback', async () => {
    for (const z of [await clean(), await broken(), await heroku()]) {
      for (const r of z.records) {
        if (r.type === 'A' || r.type === 'AAAA') expect(isLoopback(r.address), `${r.name} ${r.address}`).toBe(true);
      }
    }
  });

  it('carry the intended defects', async () => {
    const b = await broken();
    expect(b.origin).toBe('broken.test');
    expect(b.records.filter((r) => r.type === 'NS')).toHaveLength(1);
    expect(b.records.some((r) => r.type === 'CAA')).toBe(false);
    expect(b.records.find((r) => r.type === 'CNAME' && r.name === 'broken.test')).toBeDefined();
    const c = await clean();
    expect(c.records.filter((r) => r.type === 'NS')).toHaveLength(2);
    expect(c.records.find((r) => r.type === 'CAA')).toMatchObject({ flags: 0, tag: 'issue', value: 'letsencrypt.org' });
  });

  it('reports the file path with parse errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zone-'));
    try {
      await writeFile(join(dir, 'bad.zone'), '$ORIGIN bad.test.\n@ SOA ns hm 1 2 3 4 5\nwww A nope\n');
      await expect(loadZoneFile(join(dir, 'bad.zone'))).rejects.toThrow(/bad\.zone: line 3: "nope" is not an IPv4/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await expect(loadZoneFile(`${zonesDir}missing.zone`)).rejects.toThrow(/ENOENT/);
  });
});

describe('authoritative answers', () => {
  it('answers exact records with AA and echoes the question case', async () => {
    const s = await sandbox([await clean()]);
    const a = ok(await ask(s, 'API.Clean.Test', 'A'));
    expect(a.authoritative).toBe(true);
    expect(a.records).toEqual([{ name: 'API.Clean.Test', type: 'A', ttl: 300, address: '127.0.0.3' }]);
    const caa = ok(await ask(s, 'clean.test', 'CAA'));
    expect(caa.records).toEqual([{ name: 'clean.test', type: 'CAA', ttl: 300, flags: 0, tag: 'issue', value: 'letsencrypt.org' }]);
    const ns = ok(await ask(s, 'clean.test', 'NS'));
    expect(ns.records.map((r) => ('target' in r ? r.target : ''))).toEqual(['ns1.clean.test', 'ns2.clean.test']);
    expect(s.queries.map((q) => [q.name, q.type, q.transport])).toEqual([
      ['API.Clean.Test', 'A', 'udp'], ['clean.test', 'CAA', 'udp'], ['clean.test', 'NS', 'udp'],
    ]);
  });

  it('follows CNAME chains inside the zone', async () => {
    const s = await sandbox([await clean()]);
    const a = ok(await ask(s, 'www.clean.test', 'A'));
    expect(a.records).toEqual([
      { name: 'www.clean.test', type: 'CNAME', ttl: 300, target: 'app.clean.test' },
      { name: 'app.clean.test', type: 'A', ttl: 300, address: '127.0.0.2' },
    ]);
    // Asking for the CNAME itself returns it without following.
    const c = ok(await ask(s, 'www.clean.test', 'CNAME'));
    expect(c.records).toHaveLength(1);
  });

  it('follows chains across served zones, ending NXDOMAIN at a missing name', async () => {
    const s = await sandbox([await broken(), await heroku()]);
    const admin = await ask(s, 'admin.broken.test', 'A');
    expect(admin.status).toBe('nxdomain');
    if (admin.status !== 'nxdomain') return;
    expect(admin.records).toEqual([{ name: 'admin.broken.test', type: 'CNAME', ttl: 300, target: 'ghost-app.herokuapp.com' }]);
    // The SOA comes from the zone where the chain ended; negative TTL is min(SOA TTL, minimum).
    expect(admin.authority).toEqual([expect.objectContaining({ type: 'SOA', name: 'herokuapp.com', ttl: 60 })]);

    const app = await ask(s, 'app.broken.test', 'A');
    expect(app.status).toBe('nxdomain');
    expect(app.status === 'nxdomain' && app.records.map((r) => r.type)).toEqual(['CNAME']);
  });

  it('stops at the edge of its data when the chain leaves every served zone', async () => {
    const s = await sandbox([await broken()]);
    const a = ok(await ask(s, 'admin.broken.test', 'A'));
    expect(a.records).toEqual([{ name: 'admin.broken.test', type: 'CNAME', ttl: 300, target: 'ghost-app.herokuapp.com' }]);
  });

  it('answers an apex CNAME for A but the real NS/SOA for NS/SOA', async () => {
    const s = await sandbox([await broken()]);
    const a = ok(await ask(s, 'broken.test', 'A'));
    expect(a.records.map((r) => r.type)).toEqual(['CNAME', 'A']);
    const ns = ok(await ask(s, 'broken.test', 'NS'));
    expect(ns.records).toEqual([{ name: 'broken.test', type: 'NS', ttl: 300, target: 'ns1.broken.test' }]);
    expect(ok(await ask(s, 'broken.test', 'SOA')).records[0]!.type).toBe('SOA');
  });

  it('gives NXDOMAIN and NODATA with the SOA in authority, REFUSED outside its zones', async () => {
    const s = await sandbox([await clean(), await broken()]);
    const nx = await ask(s, 'api.broken.test', 'A');
    expect(nx).toMatchObject({ status: 'nxdomain', authoritative: true, records: [] });
    expect(nx.status === 'nxdomain' && nx.authority[0]).toMatchObject({ type: 'SOA', name: 'broken.test' });
    const nodata = await ask(s, 'ns1.clean.test', 'MX');
    expect(nodata).toMatchObject({ status: 'nodata', authoritative: true, records: [] });
    expect(nodata.status === 'nodata' && nodata.authority[0]).toMatchObject({ type: 'SOA', name: 'clean.test' });
    // An empty non-terminal exists: NODATA, not NXDOMAIN.
    const z = parseZone('@ SOA ns hm 1 2 3 4 5\na.b.c A 127.0.0.1\n', 'ent.test');
    const s2 = await sandbox([z]);
    expect((await ask(s2, 'b.c.ent.test', 'A')).status).toBe('nodata');
    expect((await ask(s2, 'x.c.ent.test', 'A')).status).toBe('nxdomain');
    expect(await ask(s, 'example.com', 'A')).toMatchObject({ status: 'refused' });
  });

  it('picks the most specific zone', async () => {
    const parentZone = parseZone('@ SOA ns hm 1 2 3 4 5\nsub A 127.0.0.1\n', 'outer.test');
    const child = parseZone('@ SOA ns hm 1 2 3 4 5\n@ A 127.0.0.2\n', 'sub.outer.test');
    const s = await sandbox([parentZone, child]);
    expect(ok(await ask(s, 'sub.outer.test', 'A')).records[0]).toMatchObject({ address: '127.0.0.2' });
  });

  it('synthesizes from wildcards only for names that do not exist', async () => {
    const z = parseZone(
      [
        '@ SOA ns hm 1 2 3 4 5',
        '*.apps A 127.0.0.5',
        'real.apps A 127.0.0.6',
        'deep.x.apps TXT "ent"', // makes x.apps an empty non-terminal
        '*.alias CNAME real.apps',
      ].join('\n'),
      'wild.test',
    );
    const s = await sandbox([z]);
    expect(ok(await ask(s, 'Foo.apps.wild.test', 'A')).records).toEqual([
      { name: 'Foo.apps.wild.test', type: 'A', ttl: 3600, address: '127.0.0.5' },
    ]);
    expect(ok(await ask(s, 'a.b.apps.wild.test', 'A')).records[0]).toMatchObject({ address: '127.0.0.5' });
    expect(ok(await ask(s, 'real.apps.wild.test', 'A')).records[0]).toMatchObject({ address: '127.0.0.6' });
    expect((await ask(s, 'real.apps.wild.test', 'TXT')).status).toBe('nodata');
    expect((await ask(s, 'x.apps.wild.test', 'A')).status).toBe('nodata'); // exists as ENT: no wildcard
    expect((await ask(s, 'y.x.apps.wild.test', 'A')).status).toBe('nxdomain'); // closest encloser x.apps has no '*'
    expect((await ask(s, 'apps.wild.test', 'A')).status).toBe('nodata');
    expect(ok(await ask(s, 'q.alias.wild.test', 'A')).records).toEqual([
      { name: 'q.alias.wild.test', type: 'CNAME', ttl: 3600, target: 'real.apps.wild.test' },
      { name: 'real.apps.wild.test', type: 'A', ttl: 3600, address: '127.0.0.6' },
    ]);
  });

  it('stops on CNAME loops', async () => {
    const z = parseZone('@ SOA ns hm 1 2 3 4 5\na CNAME b\nb CNAME A\n', 'loop.test');
    const s = await sandbox([z]);
    const a = ok(await ask(s, 'a.loop.test', 'A'));
    expect(a.records.map((r) => r.type === 'CNAME' && r.target)).toEqual(['b.loop.test', 'A.loop.test']);
  });

  it('refers below a delegation instead of answering', async () => {
    const z = parseZone('@ SOA ns hm 1 2 3 4 5\nkid NS ns.kid\nns.kid A 127.0.0.7\n', 'deleg.test');
    const s = await sandbox([z]);
    const a = await ask(s, 'www.kid.deleg.test', 'A');
    expect(a).toMatchObject({ status: 'nodata', authoritative: false });
    expect(a.status === 'nodata' && a.authority).toEqual([{ name: 'kid.deleg.test', type: 'NS', ttl: 3600, target: 'ns.kid.deleg.test' }]);
  });

  it('answers ANY with NOTIMP and a malformed query with FORMERR, then keeps serving', async () => {
    const s = await sandbox([await clean()]);
    const any = await rawUdp(s.port, query('clean.test', 'ANY'));
    expect(any && rcodeOf(any)).toBe(4);
    const bad = Buffer.from(query('clean.test', 'A'));
    bad[12] = 0x7f; // label type 01: undecodable
    const formerr = await rawUdp(s.port, bad);
    expect(formerr && rcodeOf(formerr)).toBe(1);
    expect(formerr!.readUInt16BE(0)).toBe(4242);
    expect(await rawUdp(s.port, Buffer.from([1, 2, 3]), 100)).toBeUndefined(); // too short to even answer
    expect(ok(await ask(s, 'clean.test', 'A')).records).toHaveLength(1);
  });
});

describe('faults', () => {
  it('servfail, refused, garbage, drop — per name and optionally per type', async () => {
    const s = await sandbox([await clean()]);
    s.setFault('API.clean.test.', { servfail: true });
    expect((await ask(s, 'api.clean.test', 'A')).status).toBe('servfail');
    s.setFault('api.clean.test', { refused: true }, 'aaaa');
    expect((await ask(s, 'api.clean.test', 'AAAA')).status).toBe('refused');
    expect((await ask(s, 'api.clean.test', 'A')).status).toBe('servfail');
    s.setFault('api.clean.test', null);
    expect((await ask(s, 'api.clean.test', 'A')).status).toBe('ok');

    s.setFault('app.clean.test', { garbage: true });
    const g = await ask(s, 'app.clean.test', 'A');
    expect(g.status).toBe('error');
    expect(g.status === 'error' && g.message).toMatch(/^malformed response: /);

    s.setFault('app.clean.test', { drop: true });
    expect((await ask(s, 'app.clean.test', 'A', 150)).status).toBe('timeout');
    expect(s.queries.filter((q) => q.name === 'app.clean.test')).toHaveLength(2);
  });

  it('delays answers per name and globally', async () => {
    const s = await sandbox([await clean()], { delayMs: 40 });
    s.setFault('api.clean.test', { delayMs: 60 });
    const plain = await ask(s, 'clean.test', 'A');
    const slow = await ask(s, 'api.clean.test', 'A');
    expect(plain.elapsedMs).toBeGreaterThanOrEqual(35);
    expect(slow.elapsedMs).toBeGreaterThanOrEqual(95);
    expect(slow.status).toBe('ok');
  });

  it('truncates over UDP only, so the client moves to TCP', async () => {
    const s = await sandbox([await clean()]);
    s.setFault('clean.test', { truncate: true }, 'TXT');
    const udp = await rawUdp(s.port, query('clean.test', 'TXT', { edns: true }));
    const decoded = dnsPacket.decode(udp!);
    expect(decoded.flag_tc).toBe(true);
    expect(decoded.answers).toHaveLength(0);
    const a = ok(await ask(s, 'clean.test', 'TXT'));
    expect(a.viaTcp).toBe(true);
    expect(a.records[0]).toMatchObject({ type: 'TXT', text: 'v=spf1 mx -all' });
  });

  it('sets TC naturally when the answer exceeds 512 bytes without EDNS, or the advertised EDNS size', async () => {
    const lines = ['@ SOA ns hm 1 2 3 4 5'];
    for (let i = 0; i < 12; i++) lines.push(`big TXT "${String(i).padStart(2, '0')}${'x'.repeat(60)}"`);
    for (let i = 0; i < 40; i++) lines.push(`huge TXT "${String(i).padStart(2, '0')}${'y'.repeat(60)}"`);
    const s = await sandbox([parseZone(lines.join('\n'), 'big.test')]);
    const noEdns = dnsPacket.decode((await rawUdp(s.port, query('big.big.test', 'TXT')))!);
    expect(noEdns.flag_tc).toBe(true);
    const withEdns = dnsPacket.decode((await rawUdp(s.port, query('big.big.test', 'TXT', { edns: true })))!);
    expect(withEdns.flag_tc).toBe(false);
    expect(withEdns.answers).toHaveLength(12);
    const huge = dnsPacket.decode((await rawUdp(s.port, query('huge.big.test', 'TXT', { edns: true })))!);
    expect(huge.flag_tc).toBe(true);
  });
});

describe('TCP transport', () => {
  function tcpResponses(port: number, chunks: Buffer[], want: number): Promise<dnsPacket.DecodedPacket[]> {
    return new Promise((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1');
      const got: dnsPacket.DecodedPacket[] = [];
      let buf = Buffer.alloc(0);
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error(`only ${got.length} of ${want} responses`));
      }, 2000);
      sock.on('connect', async () => {
        for (const c of chunks) {
          sock.write(c);
          await new Promise((r) => setTimeout(r, 5));
        }
      });
      sock.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          got.push(dnsPacket.decode(buf.subarray(2, 2 + buf.readUInt16BE(0))));
          buf = buf.subarray(2 + buf.readUInt16BE(0));
        }
        if (got.length === want) {
          clearTimeout(timer);
          sock.destroy();
          resolve(got);
        }
      });
    });
  }

  const frame = (b: Buffer) => Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);

  it('answers several queries on one connection, coalesced and fragmented', async () => {
    const s = await sandbox([await clean()]);
    const q1 = frame(query('api.clean.test', 'A', { id: 1 }));
    const q2 = frame(query('www.clean.test', 'A', { id: 2 }));
    const q3 = frame(query('clean.test', 'MX', { id: 3 }));
    const q4 = frame(query('nothing.clean.test', 'A', { id: 4 }));
    // q1+q2 in one write, q3 split after one byte of its length prefix and again mid-question.
    const chunks = [Buffer.concat([q1, q2, q3.subarray(0, 1)]), q3.subarray(1, 20), Buffer.concat([q3.subarray(20), q4])];
    const got = await tcpResponses(s.port, chunks, 4);
    expect(got.map((g) => g.id)).toEqual([1, 2, 3, 4]);
    expect(got[0]!.answers?.[0]).toMatchObject({ type: 'A', data: '127.0.0.3' });
    expect(got[1]!.answers?.map((a) => a.type)).toEqual(['CNAME', 'A']);
    expect(got[2]!.answers?.[0]).toMatchObject({ type: 'MX' });
    expect((got[3] as unknown as { rcode: string }).rcode).toBe('NXDOMAIN');
    expect(got.every((g) => g.flag_aa && g.flag_rd && !g.flag_ra)).toBe(true);
    expect(s.queries.every((q) => q.transport === 'tcp')).toBe(true);
    expect(s.queries).toHaveLength(4);
  });

  it('survives a malformed query on a connection and answers the next one', async () => {
    const s = await sandbox([await clean()]);
    const bad = Buffer.from(query('clean.test', 'A', { id: 9 }));
    bad[12] = 0xc0; // a compression pointer at the question start points forward: invalid
    const got = await tcpResponses(s.port, [Buffer.concat([frame(bad), frame(query('clean.test', 'A', { id: 10 }))])], 2);
    expect((got[0] as unknown as { rcode: string }).rcode).toBe('FORMERR');
    expect(got[1]!.answers?.[0]).toMatchObject({ data: '127.0.0.1' });
  });

  it('close() ends open connections and pending delayed answers promptly', async () => {
    const s = await startDnsSandbox({ zones: [await clean()], delayMs: 5000 });
    const sock = net.connect(s.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    sock.write(frame(query('clean.test', 'A')));
    const closedClient = new Promise((r) => sock.once('close', r));
    await new Promise((r) => setTimeout(r, 20));
    expect(s.queries).toHaveLength(1);
    const t0 = Date.now();
    await s.close();
    await closedClient;
    expect(Date.now() - t0).toBeLessThan(1000);
    await s.close(); // idempotent
  });

  it('listens on the same port for UDP and TCP', async () => {
    const s = await sandbox([await clean()]);
    expect(s.address).toBe('127.0.0.1');
    expect(s.port).toBeGreaterThan(0);
    const udp = await rawUdp(s.port, query('clean.test', 'A'));
    expect(udp).toBeDefined();
    const [tcp] = await tcpResponses(s.port, [frame(query('clean.test', 'A'))], 1);
    expect(tcp!.answers?.[0]).toMatchObject({ data: '127.0.0.1' });
  });
});
