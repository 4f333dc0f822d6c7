// Safety rules as tests: the loopback guard's address classes, load confirmation judged on where bytes would go,
// and how secrets are masked and scrubbed (every output path end to end: test/cli/redaction.e2e.test.ts).
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmationProblem, normalizeHosts } from '../src/collect/load/index.js';
import { ForbiddenDestinationError, isLoopback, NetPolicy } from '../src/collect/net.js';
import { prepareNetwork } from '../src/collect/setup.js';
import type { TargetEndpoint } from '../src/facts/latency.js';
import { parseSetCookie } from '../src/derive/responses.js';
import { maskCookie, maskSecret, Redactor } from '../src/redact.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../src/sandbox/dns-server.js';

describe('loopback guard: address classes', () => {
  const loopback = [
    '127.0.0.1', '127.0.0.0', '127.255.255.255', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1', '::FFFF:127.9.9.9', '::ffff:127.10.200.30', '[::ffff:127.0.0.1]',
  ];
  const notLoopback = [
    // Neighbours of 127/8 on both sides.
    '126.255.255.255', '128.0.0.1', '10.0.0.1', '192.168.1.1', '192.0.2.10', '203.0.113.10', '8.8.8.8',
    // Unspecified addresses reach the local host on some stacks, but they are not an address we mean to test.
    '0.0.0.0', '::', '0:0:0:0:0:0:0:0',
    // IPv4-mapped and -compatible forms of non-loopback addresses.
    '::ffff:10.0.0.1', '1::ffff:127.0.0.1', '::ffff:192.0.2.10', '::FFFF:8.8.8.8', '::ffff:0.0.0.0', '::ffff:128.0.0.1', '::10.0.0.1', '::127.0.0.1',
    // Spellings the guard does not normalize are refused, never guessed at.
    '::ffff:7f00:1', '0:0:0:0:0:0:0:1', '::0:1',
    // Scoped addresses, link-local and ULA.
    'fe80::1', 'fe80::1%lo', '::1%lo', 'fe80::1%eth0', 'fd00::1', '2001:db8::1',
    // Not addresses at all.
    'localhost', '', '127.0.0.1.nip.io', '127.0.0.1:80', '127', '::ffff:127.0.0.1.example',
  ];
  it.each(loopback)('%s is loopback', (a) => { expect(isLoopback(a)).toBe(true); });
  it.each(notLoopback)('%s is not loopback', (a) => { expect(isLoopback(a)).toBe(false); });

  it('loopback-only mode refuses every non-loopback IP and allows the loopback ones', () => {
    const policy = new NetPolicy({ loopbackOnly: true });
    for (const a of loopback) expect(() => policy.assertAllowed(a), a).not.toThrow();
    for (const a of notLoopback) expect(() => policy.assertAllowed(a), a).toThrow(ForbiddenDestinationError);
  });

  it('without loopback-only, IPs pass and names are still refused (no system resolver behind our back)', () => {
    const policy = new NetPolicy({ loopbackOnly: false });
    expect(() => policy.assertAllowed('192.0.2.10')).not.toThrow();
    expect(() => policy.assertAllowed('[2001:db8::1]')).not.toThrow();
    expect(() => policy.assertAllowed('example.test')).toThrow(/not an IP address/);
  });

  // .ci/run sets LAUNCH_READY_SEALED inside its private network namespace: prove there is no way out from there.
  it.runIf(process.env.LAUNCH_READY_SEALED === '1')('in the sealed namespace only loopback exists', () => {
    const all = Object.entries(networkInterfaces()).flatMap(([name, addrs]) => (addrs ?? []).map((a) => [name, a.address]));
    expect(all.length).toBeGreaterThan(0);
    for (const [name, address] of all) expect(isLoopback(address!), `${name} ${address}`).toBe(true);
  });

  it('the tests run with the guard on', () => {
    expect(process.env.LAUNCH_READY_LOOPBACK_ONLY).toBe('1');
    expect(new NetPolicy().loopbackOnly).toBe(true);
  });
});

describe('load confirmation: judged on the address the bytes would reach', () => {
  let dns: DnsSandbox;
  beforeAll(async () => {
    dns = await startDnsSandbox({
      zones: [parseZone([
        '$ORIGIN conf.test.', '$TTL 60', '@ SOA ns.conf.test. h.conf.test. ( 1 60 60 60 60 )',
        'local A 127.0.0.1', 'local6 AAAA ::1', 'mapped-local AAAA ::ffff:127.0.0.1',
        'far A 192.0.2.10', 'mapped-far AAAA ::ffff:192.0.2.10', 'unspecified A 0.0.0.0', 'far6 AAAA 2001:db8::10', 'Upper A 192.0.2.11',
      ].join('\n'))],
    });
  });
  afterAll(async () => { await dns.close(); });

  // Judging sends nothing (it only asks our DNS sandbox), so the production path without the guard is safe here.
  async function problem(host: string, confirmed: string[] = [], connectTo: string[] = [], loopbackOnly = true): Promise<string | undefined> {
    const net = await prepareNetwork({ resolver: `${dns.address}:${dns.port}`, connectTo, timeoutMs: 3000, concurrency: 4, loopbackOnly });
    const controller = new AbortController();
    const ep: TargetEndpoint = { name: 'ep', url: `http://${host}:8080/x`, method: 'GET', kind: 'read', budgetP95Ms: 300, critical: true, cacheable: false, authenticated: false };
    try {
      return await confirmationProblem(net.context(controller.signal), ep, normalizeHosts(confirmed));
    } finally {
      controller.abort();
    }
  }

  for (const loopbackOnly of [true, false]) {
    const mode = loopbackOnly ? 'with the test guard' : 'without the guard';
    it.each(['local.conf.test', 'local6.conf.test', '127.0.0.1', '[::1]'])(`%s needs no confirmation (${mode})`, async (host) => {
      expect(await problem(host, [], [], loopbackOnly)).toBeUndefined();
    });

    it.each([
      // The wire form of a mapped address is hex: ::ffff:c000:20a. A mapped loopback (::ffff:7f00:1) is refused
      // too: the guard refuses spellings it does not normalize, so it errs on the side of asking.
      ['far.conf.test', '192.0.2.10'], ['mapped-far.conf.test', '::ffff:c000:20a'], ['mapped-local.conf.test', '::ffff:7f00:1'],
      ['unspecified.conf.test', '0.0.0.0'], ['far6.conf.test', '2001:db8::10'],
    ])(`%s (%s) needs a confirmation by name (${mode})`, async (host, address) => {
      expect(await problem(host, [], [], loopbackOnly)).toBe(`refusing to load-test ${host} (${address}): it is not on this machine. Load only systems you own, and confirm by name: --confirm-load ${host} (or "load": {"confirm": ["${host}"]} in the config)`);
    });
  }

  it('a confirmation is by exact name, case and trailing dot aside', async () => {
    expect(await problem('far.conf.test', ['FAR.conf.test.'])).toBeUndefined();
    expect(await problem('upper.conf.test', ['upper.conf.test'])).toBeUndefined();
    expect(await problem('far.conf.test', ['conf.test'])).toMatch(/^refusing/);
    expect(await problem('far.conf.test', ['mapped-far.conf.test'])).toMatch(/^refusing/);
  });

  it('a --connect-to to loopback makes a far name local; one to a far address makes a local name far', async () => {
    expect(await problem('far.conf.test', [], ['far.conf.test:8080:127.0.0.1:8080'])).toBeUndefined();
    expect(await problem('local.conf.test', [], ['local.conf.test:8080:192.0.2.99:8080'], false)).toMatch(/^refusing to load-test local\.conf\.test \(192\.0\.2\.99\)/);
  });

  it('a name that does not resolve cannot be load-tested', async () => {
    expect(await problem('missing.conf.test')).toMatch(/^cannot load-test ep: /);
  });
});

describe('maskSecret: never more than a quarter of a short secret, four characters of a long one', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('a %i-character secret', (n) => {
    const secret = Array.from({ length: n }, (_, i) => String.fromCharCode(65 + (i % 26))).join('');
    const masked = maskSecret(secret);
    const shown = masked.slice(0, masked.indexOf('…'));
    expect(masked).toBe(`${shown}…[redacted, ${n} chars]`);
    expect(secret.startsWith(shown)).toBe(true);
    expect(shown.length).toBe(Math.min(4, Math.floor(n / 4)));
    expect(shown.length * 4).toBeLessThanOrEqual(n);
  });

  it('the kept prefix can be narrowed, and still never exceeds a quarter of a short value', () => {
    expect(maskSecret('abcdefghij', 2)).toBe('ab…[redacted, 10 chars]');
    expect(maskSecret('abcd', 2)).toBe('a…[redacted, 4 chars]');
    expect(maskSecret('abc', 2)).toBe('…[redacted, 3 chars]');
  });
});

describe('Redactor', () => {
  it('ignores values under 3 characters, scrubs from 3 on', () => {
    const r = new Redactor();
    r.add('ab', 'env:TWO');
    expect(r.redact('xyz')).toBe('xyz');
    r.add('xyz', 'env:THREE');
    expect(r.size).toBe(1);
    expect(r.redact('ab xyz')).toBe('ab [redacted:env:THREE]');
  });

  it('scrubs the JSON-escaped and URL-encoded spellings, the longest value first', () => {
    const r = new Redactor();
    const secret = ['p"w', '/', 'q&', 'z 9'].join('');
    r.add(secret, 'env:S');
    r.add(`${secret}-long`, 'env:L');
    expect(r.redact(JSON.stringify({ a: secret }))).toBe('{"a":"[redacted:env:S]"}');
    expect(r.redact(`?t=${encodeURIComponent(secret)}`)).toBe('?t=[redacted:env:S]');
    expect(r.redact(`${secret}-long and ${secret}`)).toBe('[redacted:env:L] and [redacted:env:S]');
  });
});

describe('maskCookie: the name and attributes stay readable, the value does not', () => {
  it('masks the first pair\'s value only, keeping two characters at most', () => {
    expect(maskCookie('sid=abcdefghijklmnop; Path=/; Domain=shop.test; HttpOnly')).toBe('sid=ab…[redacted, 16 chars]; Path=/; Domain=shop.test; HttpOnly');
    expect(maskCookie('  __Host-session=s3cr3tvalue')).toBe('  __Host-session=s3…[redacted, 11 chars]');
    expect(maskCookie('t=abcd')).toBe('t=a…[redacted, 4 chars]');
  });

  it('an empty value (a deletion) stays empty, and so does text with no value at all', () => {
    expect(maskCookie('sid=; Max-Age=0')).toBe('sid=; Max-Age=0');
    expect(maskCookie('')).toBe('');
    expect(maskCookie('  ')).toBe('  ');
    expect(maskCookie('; Path=/')).toBe('; Path=/');
  });

  // Browsers read a first pair without "=" as a nameless cookie whose value is the whole pair (RFC 6265bis 5.6):
  // a token sent that way is a session token like any other. It used to be recorded whole (and named after itself).
  it('a nameless cookie\'s value is masked too, written with its empty name so its attributes still read', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.c2Vzc2lvbi00Mg.sig';
    const masked = maskCookie(`${token}; Path=/; Secure; HttpOnly`);
    expect(masked).toBe(`=ey…[redacted, ${token.length} chars]; Path=/; Secure; HttpOnly`);
    expect(parseSetCookie(masked)).toMatchObject({ name: '(unnamed)', secure: true, httpOnly: true, deletion: false });
    expect(maskCookie('HttpOnly; Secure')).toBe('=Ht…[redacted, 8 chars]; Secure');
    expect(maskCookie(' tok')).toBe(' =…[redacted, 3 chars]');
  });
});
