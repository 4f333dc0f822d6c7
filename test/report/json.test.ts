// JSON reporter: schema key order regardless of how the report object was built, and a lossless round trip.
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { ReportSchema } from '../../src/report/schema.js';
import type { Report } from '../../src/types.js';
import { recordedReport as sampleReport } from '../fixtures/recorded-report.js';

const REPORT_KEYS = [
  'schemaVersion', 'tool', 'target', 'startedAt', 'durationMs', 'failOn', 'verdict', 'verdictReason',
  'summary', 'findings', 'checks', 'measurements', 'incomplete',
];
const FINDING_KEYS = [
  'id', 'checkId', 'area', 'code', 'severity', 'impact', 'title', 'message', 'whatBreaks', 'remediation',
  'references', 'location', 'evidence', 'args', 'occurrences', 'count', 'rank', 'fingerprint', 'accepted',
];
const CHECK_KEYS = ['id', 'area', 'severity', 'title', 'status', 'durationMs', 'details', 'error', 'reason', 'findings'];

/** The same data with every object's keys inserted in reverse, as a careless producer might build it. */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse()) out[key] = reversedKeys((value as Record<string, unknown>)[key]);
  return out as T;
}

/** Keys of `obj` must appear in the same relative order as in `order`, and only keys from `order`. */
function expectKeyOrder(obj: object, order: string[]): void {
  const keys = Object.keys(obj);
  expect(keys).toEqual(order.filter((k) => keys.includes(k)));
}

describe('renderJson', () => {
  it('uses a fixture that is a valid report', () => {
    expect(() => ReportSchema.parse(sampleReport())).not.toThrow();
  });

  it('prints 2-space JSON with a trailing newline', () => {
    const out = renderJson(sampleReport());
    expect(out.endsWith('}\n')).toBe(true);
    expect(out.endsWith('\n\n')).toBe(false);
    expect(out.split('\n')[1]).toBe('  "schemaVersion": 1,');
    expect(out).toContain('\n    "name": "launch-ready",');
  });

  it('parses back to the same report, still valid against the schema', () => {
    const report = sampleReport();
    const parsed: unknown = JSON.parse(renderJson(report));
    expect(parsed).toEqual(report);
    expect(ReportSchema.parse(parsed)).toEqual(report);
  });

  it('orders keys by the schema at every level', () => {
    const parsed = JSON.parse(renderJson(reversedKeys(sampleReport()))) as Report;
    expect(Object.keys(parsed)).toEqual(REPORT_KEYS);
    expect(Object.keys(parsed.tool)).toEqual(['name', 'version']);
    const targetKeys = Object.keys(ReportSchema.shape.target.shape);
    expect(targetKeys.slice(0, 4)).toEqual(['domains', 'hosts', 'config', 'repo']);
    expect(Object.keys(parsed.target)).toEqual(targetKeys.filter((k) => k in parsed.target));
    expect(Object.keys(parsed.target).length).toBeGreaterThan(3);
    expect(Object.keys(parsed.summary)).toEqual(['critical', 'high', 'medium', 'low', 'info', 'accepted', 'places']);
    for (const f of parsed.findings) {
      expectKeyOrder(f, FINDING_KEYS);
      expectKeyOrder(f.location, ['host', 'url', 'record', 'file', 'line', 'commit']);
      if (f.accepted) expect(Object.keys(f.accepted)).toEqual(['reason', 'expires']);
    }
    for (const k of parsed.checks) expectKeyOrder(k, CHECK_KEYS);
    for (const i of parsed.incomplete) expect(Object.keys(i)).toEqual(['id', 'error']);
    // The secret finding has record, file, line and commit: the reversal must not survive.
    const secret = parsed.findings.find((f) => f.area === 'secrets' && f.location.commit)!;
    expect(Object.keys(secret.location)).toEqual(['record', 'file', 'line', 'commit']);
    expect(Object.keys(secret)).toContain('evidence');
  });

  it('sorts the keys of free-form records (args, details), which have no schema order', () => {
    const parsed = JSON.parse(renderJson(reversedKeys(sampleReport()))) as Report;
    const sorted = (o: object) => Object.keys(o).toSorted((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const withArgs = parsed.findings.filter((f) => Object.keys(f.args ?? {}).length > 1);
    const withDetails = parsed.checks.filter((c) => Object.keys(c.details ?? {}).length > 1);
    expect(withArgs.length).toBeGreaterThan(10);
    expect(withDetails.length).toBeGreaterThan(10);
    for (const f of withArgs) expect(Object.keys(f.args), f.id).toEqual(sorted(f.args));
    for (const c of withDetails) expect(Object.keys(c.details!), c.id).toEqual(sorted(c.details!));
  });

  it('is byte-identical however the keys were inserted and however often it runs', () => {
    const report = sampleReport();
    const first = renderJson(report);
    expect(renderJson(report)).toBe(first);
    expect(renderJson(reversedKeys(report))).toBe(first);
  });

  it('keeps findings and checks in the order given, without re-sorting', () => {
    const report = sampleReport();
    const reversed = sampleReport({ findings: [...report.findings].reverse(), checks: [...report.checks].reverse() });
    const parsed = JSON.parse(renderJson(reversed)) as Report;
    expect(parsed.findings.map((f) => f.id)).toEqual(reversed.findings.map((f) => f.id));
    expect(parsed.checks.map((k) => k.id)).toEqual(reversed.checks.map((k) => k.id));
  });

  it('does not mutate its input', () => {
    const report = sampleReport();
    const before = structuredClone(report);
    renderJson(reversedKeys(report));
    renderJson(report);
    expect(report).toEqual(before);
    expect(Object.keys(report)).toEqual(Object.keys(before));
  });

  it('drops keys the schema does not know, so the output always matches the published schema', () => {
    const report = { ...sampleReport(), debugToken: 'do-not-print' } as Report;
    const out = renderJson(report);
    expect(out).not.toContain('debugToken');
    expect(() => ReportSchema.parse(JSON.parse(out))).not.toThrow();
  });
});
