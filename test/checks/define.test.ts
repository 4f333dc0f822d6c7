// Message templates: placeholders, number formats and optional clauses, so checks pass raw values.
import { describe, expect, it } from 'vitest';
import { placeholders, renderMessage } from '../../src/checks/define.js';

describe('renderMessage', () => {
  it('fills placeholders, joins arrays, and leaves an unknown placeholder visible', () => {
    expect(renderMessage('{host} has {records}; {missing}', { host: 'shop.test', records: ['A', 'AAAA'] })).toBe('shop.test has A, AAAA; {missing}');
    expect(renderMessage('no placeholders {', {})).toBe('no placeholders {');
  });

  it('formats numbers in the template, not in the check', () => {
    const t = '{a|ms} {b|ms} {c|ms} | {d|duration} {e|duration} {f|duration} {g|duration} | {h|count} {i|percent} | {j|bytes} {k|bytes} {l|bytes}';
    expect(renderMessage(t, { a: 912.4, b: 10.54, c: 1.254, d: 5, e: 120, f: 1500, g: 90_000, h: 12_400.2, i: 0.904, j: 512, k: 12_345, l: 5 * 1024 ** 2 }))
      .toBe('912 10.5 1.25 | 5.00 ms 120 ms 1.5 s 1.5 min | 12,400 90% | 512 B 12 kB 5.0 MB');
    // A format only applies to numbers; an unknown format prints the value as is.
    expect(renderMessage('{a|ms} {b|nope}', { a: 'n/a', b: 3 })).toBe('n/a 3');
  });

  it('renders an optional clause only when its arg is set, true, non-zero and not empty, with nested clauses', () => {
    const t = 'Slow.{q? Cause: {q}{scans? (reads {scans} whole)}.}';
    expect(renderMessage(t, {})).toBe('Slow.');
    expect(renderMessage(t, { q: '', scans: ['orders'] })).toBe('Slow.');
    expect(renderMessage(t, { q: 'SELECT 1', scans: [] })).toBe('Slow. Cause: SELECT 1.');
    expect(renderMessage(t, { q: 'SELECT 1', scans: ['orders', 'items'] })).toBe('Slow. Cause: SELECT 1 (reads orders, items whole).');
    expect(renderMessage('{slow? and is slow per call}', { slow: true })).toBe(' and is slow per call');
    expect(renderMessage('{n? ({n|count} rows)}', { n: 0 })).toBe('');
    const since = 'since the statistics were {reset?reset on {reset}}{reset!last reset}';
    expect(renderMessage(since, { reset: '2026-11-01' })).toBe('since the statistics were reset on 2026-11-01');
    expect(renderMessage(since, { reset: null })).toBe('since the statistics were last reset');
  });
});

describe('placeholders', () => {
  it('lists the args a finding must supply: not those inside optional clauses, without formats', () => {
    expect(placeholders('{name} p95 {p95Ms|ms} ms{q? because {q} on {table}}')).toEqual(['name', 'p95Ms']);
  });
});
