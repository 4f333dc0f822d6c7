// The check contract: static meta (wording lives here) plus a pure `run` over the facts the check declares.
import type { FactKey, FactMap } from '../facts/index.js';
import type { Area, Args, Impact, Location, Severity } from '../types.js';

/** The wording of one finding code. `{name}` placeholders are filled from the finding's args. */
export interface MessageSpec {
  message: string;
  /** Overrides the check's severity for this code. */
  severity?: Severity;
  /** Overrides the check's launch impact for this code. */
  impact?: Impact;
  /** Overrides the check's description of what breaks for users. */
  whatBreaks?: string;
  /** Overrides the check's remediation. */
  remediation?: string;
  /**
   * Findings (`area.check-id.code`) this one explains when both are on the same host: the run folds them into this
   * finding, so one cause is one row (a redirect loop that also downgrades to HTTP).
   */
  supersedes?: readonly string[];
}

export interface RawFinding<C extends string = string> {
  code: C;
  args?: Args;
  location?: Location;
  /** Must already be redacted. */
  evidence?: string;
  /**
   * What identifies this finding across runs, when the location alone does not (a secret keeps its identity when
   * its line moves). Default: the location.
   */
  identity?: string;
  /**
   * Which findings of the same code are one problem. Default: the same host (also a URL's host), else the same
   * subject of a `subject › part` record (an assistant, a flow), else the same identity (a secret), else the place.
   */
  group?: string;
}

export interface CheckContext<C extends string = string> {
  report(finding: RawFinding<C>): void;
  /** What the check measured: shown in reports also when it passed. */
  details(details: Record<string, unknown>): void;
  /** Something the check needed could not be found out: the check ends in `error`, never in a pass. */
  unknown(reason: string): void;
  /** The check has nothing to judge here (e.g. no DKIM selector configured). */
  notApplicable(reason: string): void;
}

export interface CheckDefinition<F extends FactKey = FactKey, C extends string = string> {
  /** kebab-case noun of the problem; equals the file name. */
  id: string;
  area: Area;
  severity: Severity;
  impact: Impact;
  title: string;
  /** What breaks for real users when this fails. */
  description: string;
  remediation: string;
  references: string[];
  requires: readonly F[];
  /**
   * Facts the check uses when the run collects them anyway for another selected check (a failed one is absent):
   * context that sharpens a finding without making the check depend on another area.
   */
  optional?: readonly FactKey[];
  messages: Record<C, MessageSpec>;
  run(facts: Pick<FactMap, F | 'target'> & Partial<FactMap>, ctx: CheckContext<C>): void;
}

export type AnyCheck = CheckDefinition<FactKey, string>;

/** Typed identity: infers the fact keys and message codes so `ctx.report` only accepts declared codes. */
export function defineCheck<const F extends FactKey, const C extends string>(def: CheckDefinition<F, C>): CheckDefinition<F, C> {
  return def;
}

/** Fills `{name}` placeholders from args; arrays are joined. An unknown placeholder is left visible, not dropped. */
export function renderMessage(template: string, args: Args = {}): string {
  return template.replace(/\{([a-zA-Z0-9_]+)\}/g, (whole, key: string) => {
    const v = args[key];
    if (v === undefined) return whole;
    if (Array.isArray(v)) return v.join(', ');
    return String(v);
  });
}

/** Placeholder names a template uses: the check tests assert every finding supplies them. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{([a-zA-Z0-9_]+)\}/g)].map((m) => m[1]!);
}
