// Safety rules as tests: the loopback guard's address classes, load confirmation judged on where bytes would go,
// and redaction of short and long secrets in every output path (each format, step summary, facts files, errors).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmationProblem, normalizeHosts } from '../src/collect/load/index.js';
import { ForbiddenDestinationError, isLoopback, NetPolicy } from '../src/collect/net.js';
import { prepareNetwork } from '../src/collect/setup.js';
import type { TargetEndpoint } from '../src/facts/latency.js';
import { maskSecret, Redactor } from '../src/redact.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../src/sandbox/dns-server.js';
import { startBrokenSandbox, type BrokenSandbox } from './helpers/broken-sandbox.js';
import { runInProcess } from './helpers/cli.js';

describe('loopback guard: address classes', () => {
  const loopback = [
    '127.0.0.1', '127.0.0.0', '127.255.255.255', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1', '::FFFF:127.9.9.9', '[::ffff:127.0.0.1]',
  ];
  const notLoopback = [
    // Neighbours of 127/8 on both sides.
    '126.255.255.255', '128.0.0.1', '10.0.0.1', '192.168.1.1', '192.0.2.10', '203.0.113.10', '8.8.8.8',
    // Unspecified addresses reach the local host on some stacks, but they are not an address we mean to test.
    '0.0.0.0', '::', '0:0:0:0:0:0:0:0',
    // IPv4-mapped and -compatible forms of non-loopback addresses.
    '::ffff:10.0.0.1', '::ffff:192.0.2.10', '::FFFF:8.8.8.8', '::ffff:0.0.0.0', '::ffff:128.0.0.1', '::10.0.0.1', '::127.0.0.1',
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
    r.add('xyz', 'env:THREE');
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

describe('redaction in every output path (short and long secrets)', () => {
  let sandbox: BrokenSandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startBrokenSandbox();
    dir = mkdtempSync(join(tmpdir(), 'lr-redact-'));
  });
  afterAll(async () => { await sandbox.close(); });

  // Assembled at run time: the repo never holds a live-looking value.
  const secrets = { short: ['Q', 'z7', 'vK'].join(''), long: ['sk', 'live', 'Zx9'.repeat(10), 'Qw8'.repeat(10)].join('_') };

  for (const [kind, secret] of Object.entries(secrets)) {
    it(`a ${kind} secret (${secret.length} chars) reaches no format, summary, facts file or error`, async () => {
      const config = join(dir, `${kind}.json`);
      // An acceptance that has expired: its reason (with the secret) is quoted in the expired-acceptance finding.
      writeFileSync(config, JSON.stringify({ ...sandbox.config, accept: [{ id: 'dns.missing-caa', reason: 'owner ${env:LR_S}', expires: '2020-01-01' }] }));
      const out = join(dir, `out-${kind}`);
      const summary = join(dir, `summary-${kind}.md`);
      const facts = join(dir, `facts-${kind}`);
      const env = { LR_S: secret, GITHUB_STEP_SUMMARY: summary };
      const r = await runInProcess(['audit', '--config', config, '--only', 'config', '--format', 'json,sarif,junit,markdown,html,table', '--output-dir', out, '--save-facts', facts, '--fail-on', 'low'], env);
      expect(r.code, r.stderr).toBe(1);
      const files = readdirSync(out).map((f) => join(out, f));
      expect(files).toHaveLength(6);
      const texts = [...files, summary, ...readdirSync(facts).map((f) => join(facts, f))].map((f) => [f, readFileSync(f, 'utf8')] as const);
      texts.push(['stdout', r.stdout], ['stderr', r.stderr]);
      for (const [where, text] of texts) {
        expect(text, where).not.toContain(secret);
        expect(text, where).not.toContain(encodeURIComponent(secret));
      }
      // The finding is there, with the secret's place marked: proof that the text did pass through each output.
      for (const [where, text] of texts.filter(([w]) => /\.(json|md|txt|sarif|xml|html)$/.test(w) && !w.includes('facts'))) {
        expect(text, where).toContain('[redacted:env:LR_S]');
      }
      // The table wraps long words: the secret must be gone before it can be split over two lines.
      const table = await runInProcess(['audit', '--config', config, '--only', 'config', '--no-color'], { LR_S: secret });
      const cells = table.stdout.split('\n').map((l) => l.split('│')[4] ?? '').join('').replace(/\s+/g, '');
      expect(cells).toContain('("owner[redacted:env:LR_S]")');
      expect(cells).not.toContain(secret);
      expect(table.stdout + table.stderr).not.toContain(secret);
    });

    it(`a ${kind} secret in an error message is redacted`, async () => {
      const config = join(dir, `err-${kind}.json`);
      writeFileSync(config, JSON.stringify({ ...sandbox.config, network: { resolver: 'x${env:LR_S}y' } }));
      const r = await runInProcess(['audit', '--config', config, '--only', 'config'], { LR_S: secret });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/"x\[redacted:env:LR_S\]y" is not an address/);
      expect(r.stdout + r.stderr).not.toContain(secret);
    });
  }
});
