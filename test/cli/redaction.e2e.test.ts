// Redaction in every output path, end to end: a short and a long secret from ${env:...} reach no report format,
// GitHub step summary, facts file, table (which wraps long words) or error message.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrokenSandbox, type BrokenSandbox } from '../helpers/broken-sandbox.js';
import { runInProcess } from '../helpers/cli.js';

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
