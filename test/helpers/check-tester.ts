// A table-driven tester for checks (after ESLint's RuleTester): a known-good baseline of facts, and cases that
// change one thing each, with the exact finding codes and status expected.
import { expect, it } from 'vitest';
import { placeholders, type AnyCheck } from '../../src/checks/define.js';
import type { FactMap } from '../../src/facts/index.js';
import { runCheck } from '../../src/run/audit.js';
import type { CheckStatus, Finding } from '../../src/types.js';

/** Facts a check table works over: the target plus whichever facts the checks under test need. */
export type TableFacts = Partial<FactMap> & Pick<FactMap, 'target'>;

export interface CheckCase<F extends TableFacts = TableFacts> {
  name: string;
  /** Changes the baseline (a deep copy) for this case. */
  mutate?: (facts: F) => void;
  status: CheckStatus;
  /**
   * Finding codes in order, optionally with the expected location host, the whole location (exactly) and the args
   * that matter (a subset, compared exactly).
   */
  findings?: (string | { code: string; host?: string; severity?: Finding['severity']; message?: RegExp; location?: Finding['location']; args?: Record<string, unknown>; evidence?: string })[];
  error?: RegExp;
  /** What the check's details must hold (what it says when there is nothing to report). */
  details?: Record<string, unknown>;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function checkTable<F extends TableFacts>(check: AnyCheck, baseline: () => F, cases: CheckCase<F>[]): void {
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`duplicate case name "${c.name}" for ${check.id}`);
    names.add(c.name);
  }
  for (const c of cases) {
    it(`${check.id}: ${c.name}`, () => {
      const facts = structuredClone(baseline());
      c.mutate?.(facts);
      // Frozen input: a check that mutates its facts would corrupt other checks' view of them.
      deepFreeze(facts);
      const { outcome, findings } = runCheck(check, facts, facts.target.accept, facts.target.now.slice(0, 10));
      const got = findings.map((f) => f.code);
      const want = (c.findings ?? []).map((f) => (typeof f === 'string' ? f : f.code));
      expect({ status: outcome.status, codes: got, error: outcome.error }).toMatchObject({ status: c.status, codes: want });
      if (c.error) expect(outcome.error).toMatch(c.error);
      if (c.details) expect(outcome.details).toMatchObject(c.details);
      (c.findings ?? []).forEach((f, i) => {
        if (typeof f === 'string') return;
        if (f.host) expect(findings[i]!.location.host).toBe(f.host);
        if (f.severity) expect(findings[i]!.severity).toBe(f.severity);
        if (f.message) expect(findings[i]!.message).toMatch(f.message);
        if (f.location) expect(findings[i]!.location).toEqual(f.location);
        if (f.args) expect(findings[i]!.args).toMatchObject(f.args);
        if (f.evidence !== undefined) expect(findings[i]!.evidence).toBe(f.evidence);
      });
      // Every placeholder of the message must be filled: no "{host}" may reach a report.
      for (const f of findings) {
        const spec = check.messages[f.code]!;
        for (const p of placeholders(spec.message)) expect(f.args, `${f.id} lacks arg "${p}"`).toHaveProperty(p);
        expect(f.message).not.toMatch(/\{[a-zA-Z0-9_]+\}/);
      }
    });
  }
}
