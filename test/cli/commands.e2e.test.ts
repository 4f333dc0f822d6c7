// The other commands end to end: checks, init, schema, demo, --version/--help and the exit-code documentation.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../src/checks/index.js';
import { jsonSchemaFor } from '../../src/cli/schema.js';
import { parseJsonc } from '../../src/config/load.js';
import type { Report } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';

const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

describe('checks', () => {
  it('lists every check with id, area, severity and title', async () => {
    const r = await runCli(['checks']);
    expect(r.code).toBe(0);
    for (const c of allChecks) expect(r.stdout).toMatch(new RegExp(`${c.area}\\.${c.id}\\s+${c.area}\\s+${c.severity}\\s+${c.title.replace(/[()/]/g, '.')}`));
  });

  it('--format json carries the meta of every check', async () => {
    const r = await runCli(['checks', '--format', 'json']);
    const list = JSON.parse(r.stdout) as { id: string; area: string; severity: string; title: string; codes: string[] }[];
    // The bin reads the catalogue the build wrote: it must match the checks themselves.
    const { catalogOf } = await import('../../src/run/catalog.js');
    expect(list).toEqual(JSON.parse(JSON.stringify(catalogOf(allChecks))));
    expect(list.find((c) => c.id === 'dangling-cname')!.codes).toContain('target-nxdomain-provider');
  });
});

describe('schema', () => {
  it.each(['config', 'report'] as const)('prints the %s schema, identical to the shipped schemas/ file', async (which) => {
    const r = await runCli(['schema', which]);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as object;
    expect(printed).toEqual(JSON.parse(readFileSync(join(root, `schemas/${which}.schema.json`), 'utf8')));
    // The shipped file must not drift from the zod source (npm run build regenerates it).
    expect(printed).toEqual(JSON.parse(JSON.stringify(await jsonSchemaFor(which))));
  });

  it('rejects an unknown schema name with exit 2', async () => {
    const r = await runCli(['schema', 'nope']);
    expect(r.code).toBe(2);
  });
});

describe('init', () => {
  it('writes a commented starter config that loads, validates against the schema, and is not overwritten', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lr-init-'));
    const r = await runCli(['init', 'Shop.Test'], { cwd: dir });
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'launch-ready.config.json'), 'utf8');
    expect(text).toMatch(/^\s*\/\//m);
    const parsed = parseJsonc(text) as { domains: { name: string }[] };
    expect(parsed.domains[0]!.name).toBe('shop.test');
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(root, 'schemas/config.schema.json'), 'utf8')));
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
    // The default config is picked up by audit (validation passes; --only config needs no network). With nothing
    // accepted yet, the config check has nothing to judge: that is INCOMPLETE, never GO.
    const audit = await runCli(['audit', '--only', 'config', '--format', 'json', '--resolver', '127.0.0.1:9'], { cwd: dir });
    expect(audit.code, audit.stderr).toBe(3);
    expect((JSON.parse(audit.stdout) as Report).target.domains).toEqual(['shop.test']);
    const again = await runCli(['init', 'shop.test'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists: use --force/);
    expect((await runCli(['init', 'other.test', '--force'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'launch-ready.config.json'), 'utf8')).toMatch(/other\.test/);
  });
});

describe('demo', () => {
  it('audits the embedded sandbox offline: NO-GO on the planted dangling record, exit 0 for the demo itself', async () => {
    const r = await runCli(['demo', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.verdict).toBe('no-go');
    // One planted defect of each kind across DNS, TLS, redirects and email, ranked.
    expect(report.findings.map((f) => `${f.severity} ${f.id} ${f.location.host ?? ''}`)).toEqual([
      'critical tls.untrusted-chain.incomplete api.pawpost.test',
      'high dns.dangling-cname.target-nxdomain-provider-edge admin.pawpost.test',
      'high email.dkim-missing.none-found pawpost.test',
      'high email.dmarc-missing.absent pawpost.test',
      'high tls.cert-expiry.expires-14-days-after-launch app.pawpost.test',
      'high tls.mixed-content.active pawpost.test',
      'medium edge.missing-security-headers.frame-protection app.pawpost.test',
      'medium edge.weak-content-security-policy.missing app.pawpost.test',
      'medium tls.hsts-policy.short pawpost.test',
      'medium tls.legacy-tls.tls10-accepted api.pawpost.test',
      'medium tls.legacy-tls.tls11-accepted api.pawpost.test',
      'medium dns.soa-serial-mismatch.mismatch pawpost.test',
      'medium redirects.dropped-path.path-dropped www.pawpost.test',
      'low dns.missing-caa.absent pawpost.test',
      'low email.mta-sts-policy.absent pawpost.test',
      'low email.tls-rpt-record.absent pawpost.test',
      'low edge.origin-exposed.origin-exposed api.pawpost.test',
      'low edge.origin-exposed.origin-exposed pawpost.test',
      // The demo's servers speak HTTP/1.1 only.
      'low latency.http1-only.no-h2 api.pawpost.test',
      'low latency.http1-only.no-h2 app.pawpost.test',
      'low redirects.insecure-http.temporary-redirect pawpost.test',
      'info edge.origin-exposed.uncached-assets app.pawpost.test',
      'info edge.origin-exposed.uncached-assets pawpost.test',
    ]);
    expect(r.stderr).toMatch(/would have exited 1/);
  });

  it('prints a readable table by default', async () => {
    const r = await runCli(['demo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/NO-GO/);
    expect(r.stdout).toMatch(/admin\.pawpost\.test/);
  });
});

describe('version and help', () => {
  it('--version prints the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
    }
  });

  it('--help documents every exit code', async () => {
    for (const args of [['--help'], ['audit', '--help']]) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      for (const line of [/0\s+GO/, /1\s+NO-GO/, /2\s+bad usage or invalid config/, /3\s+INCOMPLETE/, /4\s+launch-ready itself failed/]) expect(r.stdout).toMatch(line);
    }
  });
});

describe('colour and tool failures', () => {
  it('FORCE_COLOR colours the table; --no-color wins over it', async () => {
    const forced = await runCli(['demo', '--quiet'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    expect(forced.stdout).toMatch(/\x1b\[/);
    const off = await runCli(['demo', '--quiet', '--no-color'], { env: { FORCE_COLOR: '1' } });
    expect(off.stdout).not.toMatch(/\x1b\[/);
    expect(off.stderr).toBe('');
  });

  it('an unexpected error is exit 4 with a message and no stack unless LAUNCH_READY_DEBUG is set', async () => {
    const { reportError } = await import('../../src/cli/errors.js');
    const { Redactor } = await import('../../src/redact.js');
    let err = '';
    const streams = { stdout: process.stdout, stderr: { write: (s: string) => { err += s; return true; } } as unknown as NodeJS.WritableStream, env: {} };
    const r = new Redactor();
    r.add('s3cr3t-value', 'env:X');
    expect(reportError(new Error('boom with s3cr3t-value'), streams, r)).toBe(4);
    expect(err).toBe('launch-ready failed: boom with [redacted:env:X]\n(set LAUNCH_READY_DEBUG=1 for a stack trace)\n');
  });
});

describe('--repo', () => {
  it('defaults to the git repository the command runs in, and --repo overrides it', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdirSync } = await import('node:fs');
    const repo = mkdtempSync(join(tmpdir(), 'lr-repo-'));
    execFileSync('git', ['init', '-q'], { cwd: repo });
    mkdirSync(join(repo, 'sub'));
    const inRepo = await runCli(['audit', 'shop.test', '--only', 'config', '--format', 'json', '--resolver', '127.0.0.1:9'], { cwd: join(repo, 'sub') });
    expect((JSON.parse(inRepo.stdout) as Report).target.repo).toBe(repo);
    const outside = mkdtempSync(join(tmpdir(), 'lr-norepo-'));
    const none = await runCli(['audit', 'shop.test', '--only', 'config', '--format', 'json', '--resolver', '127.0.0.1:9'], { cwd: outside });
    expect((JSON.parse(none.stdout) as Report).target.repo).toBeUndefined();
    const other = mkdtempSync(join(tmpdir(), 'lr-other-'));
    const given = await runCli(['audit', 'shop.test', '--only', 'config', '--format', 'json', '--resolver', '127.0.0.1:9', '--repo', other], { cwd: repo });
    expect((JSON.parse(given.stdout) as Report).target.repo).toBe(other);
  });
});

describe('audit without a domain', () => {
  it('runs the repository checks and marks the domain checks not applicable, with the reason', async () => {
    const { execFileSync } = await import('node:child_process');
    const repo = mkdtempSync(join(tmpdir(), 'lr-nodomain-'));
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const r = await runCli(['audit', '--format', 'json', '--only', 'dns,deploy', '--resolver', '127.0.0.1:9'], { cwd: repo });
    const report = JSON.parse(r.stdout) as Report;
    const dns = report.checks.filter((c) => c.area === 'dns');
    expect(dns.length).toBeGreaterThan(0);
    for (const c of dns) expect(c).toMatchObject({ status: 'not-applicable', reason: 'no domain to audit: give one on the command line or in the config' });
    expect(report.checks.some((c) => c.area === 'deploy' && c.status !== 'not-applicable')).toBe(true);
  });

  it('is a usage error when only domain checks are selected', async () => {
    const { execFileSync } = await import('node:child_process');
    const repo = mkdtempSync(join(tmpdir(), 'lr-nodomain2-'));
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const r = await runCli(['audit', '--only', 'dns', '--resolver', '127.0.0.1:9'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no domain to audit/);
  });
});
