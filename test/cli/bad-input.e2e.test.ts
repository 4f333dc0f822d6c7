// Every input either works or fails clearly (issue: no false GO, no stack trace, no hang, no lost report): each
// case runs the real CLI against the loopback DNS sandbox and asserts the exit code and what the user reads.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonc, validateConfig } from '../../src/config/load.js';
import { loadZoneFile, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import type { Report } from '../../src/types.js';
import { BIN, runCli } from '../helpers/cli.js';

const root = join(import.meta.dirname, '../..');
let ns: DnsSandbox;
let dir: string;

beforeAll(async () => {
  ns = await startDnsSandbox({ zones: [await loadZoneFile(join(root, 'fixtures/zones/clean.test.zone'))] });
  dir = mkdtempSync(join(tmpdir(), 'lr-bad-input-'));
});
afterAll(async () => { await ns.close(); });

const at = () => `${ns.address}:${ns.port}`;
const net = () => ['--resolver', at(), '--connect-to', `:53:${at()}`, '--timeout', '1500'];
/** A quick audit that is GO on the clean zone. */
const quick = () => ['audit', 'clean.test', '--only', 'dns.missing-caa', ...net()];

describe('nothing checked is never GO', () => {
  it('an empty selection is a usage error', async () => {
    const r = await runCli(['audit', 'clean.test', '--only', 'dns', '--skip', 'dns', ...net()], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/selection is empty/);
    expect(r.stdout).toBe('');
  });

  it('a run where every selected check had nothing to look at is INCOMPLETE (3), not GO', async () => {
    const r = await runCli(['audit', 'clean.test', '--only', 'secrets', '--format', 'json', ...net()], { cwd: dir });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.checks.every((c) => c.status === 'not-applicable')).toBe(true);
    expect(report.verdict).toBe('incomplete');
    expect(report.verdictReason).toMatch(/nothing was audited/);
    expect(r.code).toBe(3);
  });
});

describe('accepted risks that match nothing', () => {
  const config = () => {
    const file = join(dir, 'accept-typo.json');
    writeFileSync(file, JSON.stringify({ accept: [{ id: 'dns.missing-caaa', reason: 'later' }] }));
    return file;
  };
  it('fail under CI, naming the likely id', async () => {
    const r = await runCli([...quick(), '-c', config()], { cwd: dir, env: { CI: 'true' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"dns\.missing-caaa" \(did you mean dns\.missing-caa\?\) matches no check/);
  });
  it('warn outside CI, and the audit still runs', async () => {
    const r = await runCli([...quick(), '-c', config()], { cwd: dir, env: { CI: '' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: accept: "dns\.missing-caaa" .*matches no check/);
  });
});

describe('command-line values', () => {
  it.each([
    ['https://x.com/', /is a URL, not a domain: give the domain alone, e\.g\. x\.com/],
    ['', /an empty domain name/],
    ['acme..test', /empty label/],
    [`${'a'.repeat(300)}.test`, /label of 300 octets/],
    ['host.test:443', /has a port/],
    ['host.test/path', /has a path/],
    ['127.0.0.1', /is an IP address/],
    ['[::1]', /is an IP address/],
  ])('domain %j is a usage error', async (domain, message) => {
    const r = await runCli(['audit', domain, ...net()], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an IDN goes on the wire as punycode', async () => {
    const r = await runCli(['audit', 'bücher.test', '--only', 'dns.unresolvable-host', '--format', 'json', ...net()], { cwd: dir });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.target.domains).toEqual(['xn--bcher-kva.test']);
    expect(ns.queries.some((q) => q.name.toLowerCase() === 'xn--bcher-kva.test')).toBe(true);
    expect(ns.queries.some((q) => /ü/.test(q.name))).toBe(false);
  });

  it.each([
    ['--timeout', '99999999999999999999'],
    ['--timeout', '1.5'],
    ['--timeout', '0'],
    ['--deadline', '99999999999'],
    ['--deadline', '1e3'],
    ['--concurrency', '1e3'],
    ['--concurrency', '5000'],
  ])('%s %s is a usage error naming the flag', async (flag, value) => {
    const r = await runCli([...quick(), flag, value], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(r.stderr).not.toMatch(/TimeoutOverflowWarning/);
  });

  it('durations take units: --timeout 1.5s and --deadline 90s run', async () => {
    const r = await runCli(['audit', 'clean.test', '--only', 'dns.missing-caa', '--resolver', at(), '--timeout', '1.5s', '--deadline', '90s'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('an empty --resolver never falls back to the system resolver', async () => {
    const r = await runCli(['audit', 'clean.test', '--resolver', ''], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--resolver needs a value/);
  });

  it('--repo at a missing folder, a file or a bare repository is a usage error', async () => {
    const file = join(dir, 'not-a-folder.txt');
    writeFileSync(file, 'x');
    const bare = join(dir, 'bare.git');
    execFileSync('git', ['init', '-q', '--bare', bare]);
    for (const [repo, message] of [[join(dir, 'missing'), /no such folder/], [file, /is a file/], [bare, /bare repository/]] as const) {
      const r = await runCli([...quick(), '--repo', repo], { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).not.toMatch(/No CI configuration/);
    }
  });
});

describe('outputs are checked before the audit runs', () => {
  it('an unwritable -o fails at once, before any DNS query', async () => {
    const before = ns.queries.length;
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    for (const out of ['/proc/nope/r.txt', join(blocker, 'r.txt')]) {
      const started = Date.now();
      const r = await runCli([...quick(), '-o', out], { cwd: dir, timeoutMs: 10_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/cannot write/);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
    expect(ns.queries.length).toBe(before);
  });

  it('--save-facts and GITHUB_STEP_SUMMARY are checked too', async () => {
    const blocker = join(dir, 'b-file');
    writeFileSync(blocker, 'x');
    const facts = await runCli([...quick(), '--save-facts', join(blocker, 'facts')], { cwd: dir });
    expect(facts.code).toBe(2);
    expect(facts.stderr).toMatch(/--save-facts/);
    const summary = await runCli(quick(), { cwd: dir, env: { GITHUB_STEP_SUMMARY: join(blocker, 'summary.md') } });
    expect(summary.code).toBe(2);
    expect(summary.stderr).toMatch(/GITHUB_STEP_SUMMARY/);
  });

  it.each([
    [['--output-dir', 'out', '-o', 'r.txt'], /both say where the report goes/],
    [['-o', 'a.txt', '-o', 'b.txt'], /given 2 files/],
    [['-o', 'bogus=path'], /"bogus" is not a format/],
    [['-f', 'json', '-o', 'json=a.json', '-o', 'json=b.json'], /names the json file twice/],
  ])('output rule: %j is a usage error', async (args, message) => {
    const r = await runCli([...quick(), ...args], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('--output-dir writes clean paths, and a format named with -o overrides it', async () => {
    const out = join(dir, 'reports/');
    const r = await runCli([...quick(), '-f', 'json,markdown', '--output-dir', out, '-o', `markdown=${join(dir, 'summary.md')}`], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${join(dir, 'reports', 'launch-ready.json')}`);
    expect(r.stderr).not.toContain('//launch-ready');
    expect(existsSync(join(dir, 'summary.md'))).toBe(true);
  });

  it('a closed stdout ends quietly with the honest exit code', async () => {
    const child = spawn(process.execPath, [BIN, ...quick(), '-f', 'json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('handover offers only what it does', async () => {
    for (const flag of [['-f', 'sarif'], ['--output-dir', 'x'], ['--baseline', 'r.json']]) {
      const r = await runCli(['handover', 'clean.test', ...flag, ...net()], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown option/);
    }
  });
});

describe('Ctrl-C during an audit', () => {
  /** An endpoint that accepts the request and never answers: the audit is collecting until interrupted. */
  async function hangingAudit(): Promise<{ child: ReturnType<typeof spawn>; out: () => string; err: () => string; done: Promise<number | null>; close: () => void }> {
    const sockets = new Set<import('node:net').Socket>();
    const server = createServer((req) => { req.resume(); });
    server.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const cfg = mkdtempSync(join(tmpdir(), 'lr-ctrlc-'));
    writeFileSync(join(cfg, 'launch-ready.config.json'), JSON.stringify({
      domains: [{ name: 'clean.test', hosts: ['www'] }],
      endpoints: [{ name: 'stuck', url: `http://127.0.0.1:${port}/stuck` }],
      latency: { samples: 3, warmup: 0 },
    }));
    const requested = new Promise<void>((r) => server.once('request', () => r()));
    const child = spawn(process.execPath, [BIN, 'audit', '--only', 'dns.missing-caa,latency', '--format', 'json', ...net(), '--timeout', '60s', '--deadline', '5m'], {
      cwd: cfg, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const done = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    await requested;
    return { child, out: () => out, err: () => err, done, close: () => { for (const s of sockets) s.destroy(); server.close(); } };
  }

  it('the first Ctrl-C stops collecting, and the report of what was checked is INCOMPLETE (exit 3)', async () => {
    const run = await hangingAudit();
    try {
      run.child.kill('SIGINT');
      expect(await run.done).toBe(3);
      const report = JSON.parse(run.out()) as Report;
      expect(report.verdict).toBe('incomplete');
      expect(report.verdictReason).toMatch(/Interrupted/);
      // Every selected check is in the report; the stuck endpoint's check never counts as a pass. (Whether the DNS
      // check finished before the signal depends on the machine's speed, so it is not asserted.)
      expect(report.checks.map((c) => c.id)).toContain('missing-caa');
      expect(report.checks.find((c) => c.id === 'slow-endpoint')?.status).not.toBe('pass');
      expect(run.err()).toMatch(/interrupted: checking what was collected so far/);
    } finally {
      run.close();
    }
  }, 30_000);
});

describe('corrupted inputs', () => {
  it('a config nested 100k deep is a config error, not a crash', async () => {
    const file = join(dir, 'deep.json');
    writeFileSync(file, `{"domains": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    const r = await runCli([...quick(), '-c', file], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/more than 64 levels deep/);
  });

  it('a binary config is refused without echoing its bytes', async () => {
    const file = join(dir, 'binary.json');
    writeFileSync(file, Buffer.from([0x7b, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0xff, 0xfe]));
    const r = await runCli([...quick(), '-c', file], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/binary data/);
    expect(r.stderr).not.toMatch(/[\x00\x1b]/);
  });

  it('replays apply the current policy, refuse another target, and validate the facts file', async () => {
    const facts = join(dir, 'facts');
    const rec = await runCli(['audit', 'clean.test', '--only', 'dns', ...net(), '--save-facts', facts, '--format', 'json', '-q'], { cwd: dir });
    expect(rec.code).toBe(0);
    // A finding-free zone has nothing to accept; accept a code of a check that ran and see it applied (policy read).
    const accepting = join(dir, 'accepting.json');
    writeFileSync(accepting, JSON.stringify({ failOn: 'info', accept: [{ id: 'dns.missing-caa', reason: 'later' }] }));
    const replay = await runCli(['audit', '--from-facts', facts, '-c', accepting, '--format', 'json'], { cwd: dir });
    const report = JSON.parse(replay.stdout) as Report;
    expect(report.failOn).toBe('info');
    expect(report.target.config).toBe(accepting);
    const other = await runCli(['audit', 'other.test', '--from-facts', facts], { cwd: dir });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/holds facts about clean\.test, not other\.test/);
    const record = JSON.parse(readFileSync(join(facts, 'facts.json'), 'utf8')) as { facts: { target: { domains: unknown } } };
    record.facts.target.domains = 'clean.test';
    const broken = join(dir, 'broken-facts');
    mkdirSync(broken, { recursive: true });
    writeFileSync(join(broken, 'facts.json'), JSON.stringify(record));
    const bad = await runCli(['audit', '--from-facts', broken], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a launch-ready facts record.*target\.domains/);
    expect(bad.stderr).not.toMatch(/Cannot read properties/);
  });
});

describe('init', () => {
  it('refuses a name with a quote or a URL', async () => {
    for (const name of ['ex"ample.com', 'https://example.com']) {
      const r = await runCli(['init', name, '-o', join(dir, 'init-bad.json')], { cwd: dir });
      expect(r.code).toBe(2);
      expect(existsSync(join(dir, 'init-bad.json'))).toBe(false);
    }
  });

  it('writes a config the audit accepts into a new folder, with a $schema that exists', async () => {
    const file = join(dir, 'new', 'folder', 'launch-ready.config.json');
    const r = await runCli(['init', 'Example.COM', '-o', file], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    const raw = parseJsonc(text, file) as { $schema: string };
    expect(existsSync(join(dir, 'new', 'folder', raw.$schema))).toBe(true);
    const config = validateConfig(raw, file);
    expect(config.domains[0]!.name).toBe('example.com');
    for (const block of ['"flows"', '"database"', '"monitor"', '"discover"']) expect(text).toContain(block);
  });
});
