// The ranked list's order, counts, fingerprints and the words of an empty verdict: what a reader sees first and what
// baselines match on. Each case sets one key apart and checks both directions of the comparison.
import { describe, expect, it } from 'vitest';
import { compareFindings, decideVerdict, fingerprintsOf, impactWeight, locationKey, rankFindings, summarize } from '../src/rank/index.js';
import { IMPACTS, type CheckOutcome, type Finding, type Location } from '../src/types.js';

function finding(over: Partial<Finding> = {}): Finding {
  return {
    id: 'dns.a.b', checkId: 'a', area: 'dns', code: 'b', severity: 'high', impact: 'hygiene', title: 't', message: 'm',
    whatBreaks: '', remediation: '', references: [], location: {}, args: {}, fingerprint: 'fp', rank: 1, occurrences: [], count: 1,
    ...over,
  } as Finding;
}

/** compareFindings says a comes first, and says it the other way round too. */
function first(a: Finding, b: Finding): void {
  expect(compareFindings(a, b)).toBeLessThan(0);
  expect(compareFindings(b, a)).toBeGreaterThan(0);
}

describe('ranking order', () => {
  it('an open finding comes before an accepted one, however severe the accepted one is', () => {
    const open = finding({ severity: 'low' });
    const accepted = finding({ severity: 'critical', accepted: { reason: 'known' } });
    first(open, accepted);
    expect(rankFindings([accepted, open]).map((f) => [f.severity, f.rank])).toEqual([['low', 1], ['critical', 2]]);
  });

  it('then severity', () => {
    first(finding({ severity: 'medium' }), finding({ severity: 'low', id: 'a.a.a' }));
  });

  it('then launch impact, in the documented order (auth first, hygiene last)', () => {
    expect(IMPACTS.map(impactWeight)).toEqual([6, 5, 4, 3, 2, 1]);
    first(finding({ impact: 'auth', id: 'z.z.z' }), finding({ impact: 'email', id: 'a.a.a' }));
    first(finding({ impact: 'email', id: 'z.z.z' }), finding({ impact: 'hygiene', id: 'a.a.a' }));
  });

  it('then id, then place, so equal findings keep one order', () => {
    first(finding({ id: 'dns.a.a', location: { host: 'z.test' } }), finding({ id: 'dns.a.b', location: { host: 'a.test' } }));
    first(finding({ location: { host: 'a.test' } }), finding({ location: { host: 'b.test' } }));
    expect(compareFindings(finding({ location: { host: 'a.test' } }), finding({ location: { host: 'a.test' } }))).toBe(0);
  });
});

describe('locationKey', () => {
  it('joins the parts in a fixed order, an absent part empty', () => {
    expect(locationKey({ location: { host: 'h.test' } })).toBe('h.test|||||');
    const all: Location = { host: 'h', url: 'u', record: 'r', file: 'f', line: 7, commit: 'c' };
    expect(locationKey({ location: all })).toBe('h|u|r|f|7|c');
    // A line alone is not a host: the place of each part stays apart.
    expect(locationKey({ location: { line: 3 } })).not.toBe(locationKey({ location: { host: '3' } }));
  });
});

describe('summarize', () => {
  it('counts open findings by severity and the places they show at; accepted ones apart', () => {
    const s = summarize([
      finding({ severity: 'high', count: 3 }),
      finding({ severity: 'high' }),
      finding({ severity: 'low', count: undefined }),
      finding({ severity: 'critical', count: 5, accepted: { reason: 'later' } }),
    ]);
    expect(s).toEqual({ critical: 0, high: 2, medium: 0, low: 1, info: 0, accepted: 1, places: 5 });
  });
});

describe('fingerprintsOf', () => {
  it('answers to its own fingerprint, each place\'s and those of the findings it explains, in that order', () => {
    const f = finding({
      fingerprint: 'own',
      occurrences: [{ host: 'a', message: 'm', fingerprint: 'place-a' }, { host: 'b', message: 'm', fingerprint: 'place-b' }],
      explains: [{ id: 'x', fingerprints: ['e1', 'e2'] }, { id: 'y', fingerprints: ['e3'] }] as unknown as Finding['explains'],
    });
    expect(fingerprintsOf(f)).toEqual(['own', 'place-a', 'place-b', 'e1', 'e2', 'e3']);
    expect(fingerprintsOf({ fingerprint: 'only' })).toEqual(['only']);
  });
});

describe('a verdict with nothing audited says why', () => {
  const na = (id: string, reason?: string): CheckOutcome => ({ id, area: 'secrets', severity: 'high', title: 't', status: 'not-applicable', durationMs: 0, findings: 0, ...(reason ? { reason } : {}) });

  it('no check at all', () => {
    expect(decideVerdict([], [], 'high').reason).toBe('No check ran: nothing was audited.');
  });

  it('every check not applicable: at most two distinct reasons, empty ones left out', () => {
    const v = decideVerdict([], [na('a', 'no repository'), na('b'), na('c', 'no repository'), na('d', 'no database'), na('e', 'no endpoints')], 'high');
    expect(v.verdict).toBe('incomplete');
    expect(v.reason).toBe('None of the 5 selected checks had anything to look at here (no repository; no database): nothing was audited.');
    expect(decideVerdict([], [na('a', 'no repository')], 'high').reason).toBe('None of the 1 selected check had anything to look at here (no repository): nothing was audited.');
  });
});
