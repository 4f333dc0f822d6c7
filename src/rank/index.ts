// Ranking and the verdict: severity first, then what the finding does to a launch; GO / NO-GO / INCOMPLETE.
import { IMPACTS, SEVERITIES, type CheckOutcome, type Finding, type Severity, type Summary, type Verdict } from '../types.js';

/** Higher is more urgent. */
export function severityWeight(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

export function atOrAbove(s: Severity, threshold: Severity): boolean {
  return severityWeight(s) >= severityWeight(threshold);
}

/** Launch impact breaks ties within a severity: auth/onboarding before data exposure before email, ... */
export function impactWeight(i: Finding['impact']): number {
  return IMPACTS.length - IMPACTS.indexOf(i);
}

export function locationKey(f: Pick<Finding, 'location'>): string {
  const l = f.location;
  return [l.host, l.url, l.record, l.file, l.line, l.commit].map((v) => (v === undefined ? '' : String(v))).join('|');
}

/** Unaccepted before accepted; then severity, launch impact, id and location, so the order is total and stable. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    Number(Boolean(a.accepted)) - Number(Boolean(b.accepted)) ||
    severityWeight(b.severity) - severityWeight(a.severity) ||
    impactWeight(b.impact) - impactWeight(a.impact) ||
    a.id.localeCompare(b.id) ||
    locationKey(a).localeCompare(locationKey(b))
  );
}

export function rankFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(compareFindings).map((f, i) => ({ ...f, rank: i + 1 }));
}

/** Counts problems (findings) by severity, and the places the open ones show at. */
export function summarize(findings: readonly Finding[]): Summary {
  const s: Summary = { critical: 0, high: 0, medium: 0, low: 0, info: 0, accepted: 0, places: 0 };
  for (const f of findings) {
    if (f.accepted) s.accepted++;
    else {
      s[f.severity]++;
      s.places += f.count ?? 1;
    }
  }
  return s;
}

/**
 * Every fingerprint a finding answers to: its own, each place's (what reports before grouping used) and those of
 * the findings it explains. Baselines and diffs match on any of them, so older reports keep matching.
 */
export function fingerprintsOf(f: Pick<Finding, 'fingerprint'> & Partial<Pick<Finding, 'occurrences' | 'explains'>>): string[] {
  return [f.fingerprint, ...(f.occurrences ?? []).map((o) => o.fingerprint), ...(f.explains ?? []).flatMap((e) => e.fingerprints)];
}

export interface VerdictResult {
  verdict: Verdict;
  reason: string;
  incomplete: { id: string; error: string }[];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * NO-GO when an unaccepted finding is at or above failOn; else INCOMPLETE when a check of severity high or above
 * could not be completed (an unknown is not a pass), or when no check had anything to judge; else GO.
 */
export function decideVerdict(findings: readonly Finding[], checks: readonly CheckOutcome[], failOn: Severity): VerdictResult {
  const incomplete = checks
    .filter((c) => c.status === 'error' && atOrAbove(c.severity, 'high'))
    .map((c) => ({ id: c.id, error: c.error ?? 'could not be completed' }));
  const blocking = findings.filter((f) => !f.accepted && atOrAbove(f.severity, failOn));
  if (blocking.length > 0) {
    const worst = blocking[0]!;
    return {
      verdict: 'no-go',
      reason: `${plural(blocking.length, 'finding')} at or above ${failOn} must be fixed before launch; the most urgent: ${worst.message}`,
      incomplete,
    };
  }
  if (incomplete.length > 0) {
    return {
      verdict: 'incomplete',
      reason: `No blocking finding, but ${plural(incomplete.length, 'important check')} could not be completed (${incomplete.map((i) => i.id).join(', ')}): fix what stopped them and run again.`,
      incomplete,
    };
  }
  // Nothing looked at is not a pass: a run whose every check had nothing to judge says so.
  if (checks.length === 0 || checks.every((c) => c.status === 'not-applicable')) {
    return {
      verdict: 'incomplete',
      reason: checks.length === 0
        ? 'No check ran: nothing was audited.'
        : `None of the ${plural(checks.length, 'selected check')} had anything to look at here (${[...new Set(checks.map((c) => c.reason).filter(Boolean))].slice(0, 2).join('; ')}): nothing was audited.`,
      incomplete,
    };
  }
  const remaining = findings.filter((f) => !f.accepted).length;
  return {
    verdict: 'go',
    reason: remaining === 0 ? 'Nothing at or above the bar was found.' : `No finding at or above ${failOn}; ${plural(remaining, 'lower risk')} listed below to fix when you can.`,
    incomplete,
  };
}
