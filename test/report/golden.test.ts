// Golden files for every report format, rendered from recorded facts (fixtures/facts/broken) with times stripped,
// plus the validity of each format: SARIF against the 2.1.0 schema, JUnit as well-formed XML, JSON against ours.
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderTable } from '../../src/report/table.js';
import type { Report } from '../../src/types.js';
import { runInProcess } from '../helpers/cli.js';

// The SARIF 2.1.0 schema (draft-04) as Microsoft's SARIF SDK ships it.
const sarifSchema = createRequire(import.meta.url)('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;

const root = join(import.meta.dirname, '../..');
const golden = join(import.meta.dirname, '__golden__');
const FACTS = join(root, 'fixtures/facts/broken');

function strip(text: string): string {
  return text
    .replace(/"(startedAt|startTimeUtc|timestamp)": "[^"]+"/g, '"$1": "<time>"')
    .replace(/"durationMs": [\d.]+/g, '"durationMs": 0')
    // The repository is wherever this checkout lives.
    .replace(/"repo": "[^"]*"/g, '"repo": "<repo>"')
    .replace(/(time|timestamp)="[^"]*"/g, '$1="<t>"')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z · \d+ ms/g, '<time> · 0 ms')
    .replace(/took \d+ ms/g, 'took 0 ms')
    .replace(/\d+(\.\d+)? ms\b/g, '0 ms');
}

/** The table as the reporter draws it from the JSON report with every duration at zero: its column widths and
 * line breaks follow the Time column, so a golden drawn from real durations would change with the machine's load. */
function zeroedTable(json: string): string {
  const report = JSON.parse(json) as Report;
  const zeroed: Report = { ...report, durationMs: 0, checks: report.checks.map((k) => ({ ...k, durationMs: 0 })) };
  return strip(renderTable(zeroed, { color: false, width: 100 }));
}

function matchGolden(name: string, text: string): void {
  const file = join(golden, name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(golden, { recursive: true });
    writeFileSync(file, text);
    if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`golden file ${name} was missing and has been written: check it in`);
  }
  expect(text).toBe(readFileSync(file, 'utf8'));
}

const outputs: Record<string, string> = {};

beforeAll(async () => {
  for (const format of ['json', 'sarif', 'junit', 'markdown', 'table', 'html']) {
    const r = await runInProcess(['audit', '--from-facts', FACTS, '--only', 'dns,config', '--format', format, '--no-color'], { GITHUB_STEP_SUMMARY: '' }, root);
    expect(r.code, r.stderr).toBe(1);
    outputs[format] = r.stdout;
  }
});

describe('golden reports from recorded facts', () => {
  it.each([['json', 'broken.json'], ['sarif', 'broken.sarif'], ['junit', 'broken.junit.xml'], ['markdown', 'broken.md'], ['table', 'broken.txt'], ['html', 'broken.html']])('%s', (format, file) => {
    matchGolden(file, format === 'table' ? zeroedTable(outputs.json!) : strip(outputs[format]!));
  });

  it('the CLI draws the table the golden is drawn from (same verdict banner, same risks)', () => {
    const cli = strip(outputs.table!);
    const zeroed = zeroedTable(outputs.json!);
    expect(cli.split('\n').slice(0, 3)).toEqual(zeroed.split('\n').slice(0, 3));
    const report = JSON.parse(outputs.json!) as Report;
    for (const f of report.findings) expect(cli.replace(/\s+/g, ' ')).toContain(f.title.split(' ').slice(0, 3).join(' '));
  });

  it('the replay finds what the live run found', () => {
    const report = JSON.parse(outputs.json!) as Report;
    expect(report.verdict).toBe('no-go');
    expect(report.findings.map((f) => f.id)).toEqual([
      'dns.dangling-cname.target-nxdomain', 'dns.dangling-cname.target-nxdomain-provider-edge', 'dns.lame-delegation.no-answer',
      'dns.unexpected-record.a-mismatch', 'dns.unresolvable-host.nxdomain', 'dns.soa-serial-mismatch.mismatch', 'dns.missing-caa.absent',
    ]);
    expect(report.findings.at(-1)!.accepted).toEqual({ reason: 'CAA after launch (owner: ops)', expires: '2099-12-31' });
  });
});

// The whole product (every area: DNS to AI), recorded live by test/cli/product.e2e.test.ts with RECORD_FACTS=1.
const PRODUCT = join(root, 'fixtures/facts/product');
const productOutputs: Record<string, string> = {};

describe('golden reports of a whole product, every area', () => {
  beforeAll(async () => {
    for (const format of ['json', 'sarif', 'junit', 'markdown', 'table', 'html']) {
      const r = await runInProcess(['audit', '--from-facts', PRODUCT, '--format', format, '--no-color'], { GITHUB_STEP_SUMMARY: '' }, root);
      expect(r.code, r.stderr).toBe(1);
      productOutputs[format] = r.stdout;
    }
  });

  it.each([['json', 'product.json'], ['sarif', 'product.sarif'], ['junit', 'product.junit.xml'], ['markdown', 'product.md'], ['table', 'product.txt'], ['html', 'product.html']])('%s', (format, file) => {
    matchGolden(file, format === 'table' ? zeroedTable(productOutputs.json!) : strip(productOutputs[format]!));
  });

  it('covers every area, with no check in error', () => {
    const report = JSON.parse(productOutputs.json!) as Report;
    const ran = new Set(report.checks.filter((c) => c.status !== 'not-applicable').map((c) => c.area));
    for (const area of ['dns', 'tls', 'redirects', 'edge', 'email', 'secrets', 'hygiene', 'deploy', 'latency', 'flows', 'ai', 'database']) expect(ran, area).toContain(area);
    expect(report.checks.filter((c) => c.status === 'error').map((c) => c.id)).toEqual([]);
    const areas = new Set(report.findings.map((f) => f.area));
    for (const area of ['dns', 'tls', 'redirects', 'edge', 'email', 'secrets', 'hygiene', 'deploy', 'latency', 'flows', 'ai', 'database']) expect(areas, area).toContain(area);
  });
});

describe('format validity', () => {
  it('JSON validates against schemas/report.schema.json', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(root, 'schemas/report.schema.json'), 'utf8')));
    expect(validate(JSON.parse(outputs.json!)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('SARIF is valid 2.1.0 with one rule per check, security-severity and stable fingerprints', () => {
    const sarif = JSON.parse(outputs.sarif!);
    // The published schema has a language-tag pattern that is only valid without the u flag.
    const ajv = new AjvDraft04.default({ strict: false, allErrors: true, validateSchema: false, unicodeRegExp: false });
    addFormats.default(ajv);
    const validate = ajv.compile(sarifSchema);
    expect(validate(sarif), JSON.stringify(validate.errors, null, 1)).toBe(true);
    const run = sarif.runs[0];
    const report = JSON.parse(outputs.json!) as Report;
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(report.checks.map((c) => `${c.area}.${c.id}`));
    expect(run.results).toHaveLength(report.findings.length);
    const admin = run.results.find((r: { properties: { id: string } }) => r.properties.id === 'dns.dangling-cname.target-nxdomain-provider-edge');
    expect(admin.level).toBe('error');
    expect(admin.partialFingerprints['launchReady/v1']).toBe(report.findings[1]!.fingerprint);
    expect(admin.locations[0].physicalLocation.artifactLocation.uri).toBe('launch-ready.config.json');
    expect(admin.locations[0].logicalLocations[0].name).toMatch(/admin\.broken\.test/);
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'dns.dangling-cname');
    expect(rule.properties['security-severity']).toBe('8.0');
    expect(rule.help.text).toMatch(/Fix: Delete the CNAME/);
    const accepted = run.results.find((r: { properties: { id: string } }) => r.properties.id === 'dns.missing-caa.absent');
    expect(accepted.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'CAA after launch (owner: ops)' }]);
  });

  it('JUnit is well-formed, one suite per area, failures for blocking findings and skips for accepted ones', () => {
    expect(XMLValidator.validate(outputs.junit!)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(outputs.junit!);
    const suites = [doc.testsuites.testsuite].flat() as { name: string; failures: string; skipped: string; testcase: unknown[] }[];
    expect(suites.map((s) => s.name)).toEqual(['dns', 'config']);
    const dns = suites[0]!;
    // 9 check testcases (subdomain-takeover passes: no resolving host points at a service) + 7 finding testcases
    expect([dns.testcase].flat()).toHaveLength(17);
    expect(Number(dns.failures)).toBe(4 + 5); // failing checks with a blocking finding + blocking findings
    expect(Number(dns.skipped)).toBe(2); // the accepted CAA finding, and zone-transfer-allowed (no discovery in these facts)
  });

  it('Markdown has the verdict, the ranked table and per-area details', () => {
    const md = outputs.markdown!;
    expect(md).toMatch(/^## ⛔ launch-ready: NO-GO/);
    expect(md).toMatch(/\| 1 \| high \| `app\.broken\.test`/);
    expect(md).toMatch(/### Accepted risks/);
    expect(md).toMatch(/<details><summary><b>dns<\/b>/);
  });
});
