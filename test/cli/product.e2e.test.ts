// A whole product audited live, every area at once: one finding per problem (no two findings share a check code
// and a host, assistant, flow or secret), each grouped finding lists its places, nothing secret in any format, and
// the HTML certificate timeline lists every certificate examined. RECORD_FACTS=1 also re-records
// fixtures/facts/product, the fact set the golden reports of every area replay.
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';
import { startProductSandbox, type ProductSandbox } from '../helpers/product-sandbox.js';

const root = join(import.meta.dirname, '../..');
let product: ProductSandbox;
let report: Report;
const outputs: Record<string, string> = {};

beforeAll(async () => {
  product = await startProductSandbox();
  const facts = join(product.dir, 'facts');
  const json = await runCli(['audit', '--format', 'json', '--save-facts', facts, ...product.args], { env: product.env, cwd: product.dir, timeoutMs: 120_000 });
  expect(json.stdout, json.stderr).not.toBe('');
  report = JSON.parse(json.stdout) as Report;
  outputs.json = json.stdout;
  // The other formats replay the same facts: one live run, every renderer.
  for (const format of ['table', 'markdown', 'sarif', 'junit', 'html']) {
    const r = await runCli(['audit', '--from-facts', facts, '--format', format, '--no-color'], { env: product.env, cwd: product.dir, timeoutMs: 60_000 });
    outputs[format] = r.stdout + r.stderr;
  }
  outputs.facts = readFileSync(join(facts, 'facts.json'), 'utf8');
  if (process.env.RECORD_FACTS === '1') {
    const dest = join(root, 'fixtures/facts/product');
    rmSync(dest, { recursive: true, force: true });
    mkdirSync(dest, { recursive: true });
    cpSync(join(facts, 'facts.json'), join(dest, 'facts.json'));
  }
}, 240_000);

afterAll(async () => { await product?.close(); });

/** What makes two findings the same problem: the check code and the host, assistant, flow or secret. */
function subject(f: Finding): string {
  const args = f.args ?? {};
  const who = args.assistant ?? args.flow ?? args.secretId ?? f.location.host ?? f.location.file ?? '';
  return `${f.area}.${f.checkId}.${f.code} @ ${String(who)}`;
}

describe('a whole product, live', () => {
  it('runs every area, and none of its checks errors', () => {
    const areas = new Set(report.checks.filter((c) => c.status !== 'not-applicable').map((c) => c.area));
    const expected = ['dns', 'tls', 'redirects', 'edge', 'email', 'secrets', 'hygiene', 'latency', 'flows', 'ai', ...(product.database ? ['database'] : [])];
    expect([...areas].sort()).toEqual(expect.arrayContaining(expected.sort()));
    expect(report.checks.filter((c) => c.status === 'error').map((c) => `${c.area}.${c.id}: ${c.error}`)).toEqual([]);
    expect(report.verdict).toBe('no-go');
  });

  it('one finding per problem: no two findings share a check code and a host, assistant, flow or secret', () => {
    const subjects = report.findings.map(subject);
    const repeated = subjects.filter((s, i) => subjects.indexOf(s) !== i);
    expect(repeated).toEqual([]);
  });

  it('a grouped finding lists all its places: the secret committed in two files is one finding with both', () => {
    const secret = report.findings.filter((f) => f.area === 'secrets' && f.checkId === 'exposed-secret');
    expect(secret).toHaveLength(1);
    expect(secret[0]!.count).toBe(2);
    expect(secret[0]!.occurrences.map((o) => o.file).sort()).toEqual(['scripts/seed.ts', 'src/pay.ts']);
    for (const f of report.findings) expect(f.occurrences.length, f.id).toBe(f.count);
  });

  it('the leaking bot is one finding however many cases leak', () => {
    const leaks = report.findings.filter((f) => f.area === 'ai' && f.checkId === 'assistant-leak');
    expect(leaks.length).toBeGreaterThan(0);
    expect(new Set(leaks.map((f) => f.code)).size).toBe(leaks.length);
    expect(leaks.some((f) => f.count > 1)).toBe(true);
  });

  it('no canary, secret or env value appears in any format, nor in the recorded facts', () => {
    for (const [format, text] of Object.entries(outputs)) {
      for (const s of product.secrets) expect(text.includes(s), `${format} holds a secret`).toBe(false);
    }
  });

  it('the HTML certificate timeline lists every certificate the run examined', () => {
    const certs = report.measurements.certificates ?? [];
    expect(certs.length).toBeGreaterThanOrEqual(3);
    for (const c of certs) expect(outputs.html).toContain(c.host);
    expect(outputs.html).not.toContain('No certificates were examined');
  });
});
