// The check contract: static meta (wording lives here) plus a pure `run` over the facts the check declares.
import type { ConnectedDatabaseFacts, DatabaseFacts } from '../facts/database.js';
import type { DeployFacts } from '../facts/deploy.js';
import type { FactKey, FactMap, TargetFacts } from '../facts/index.js';
import type { EndpointLatency, LatencyFacts } from '../facts/latency.js';
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

// Applicability gates: each returns what the check judges, or undefined after telling the context why there is
// nothing to judge (not applicable) or no way to know (unknown).

/** A repository scan (secrets, hygiene) when it ran; otherwise the check is not applicable, with the scan's reason. */
export function scanOrSkip<T extends { available: true }>(facts: T | { available: false; reason: string }, ctx: CheckContext): T | undefined {
  if (facts.available) return facts;
  ctx.notApplicable(facts.reason);
  return undefined;
}

/** The deploy facts, or undefined (the check is then not applicable) when the run has no repository. */
export function repoOrSkip(target: TargetFacts, facts: DeployFacts, ctx: CheckContext): DeployFacts | undefined {
  if (!target.repo) {
    ctx.notApplicable('no repository to read (use --repo or run inside one)');
    return undefined;
  }
  return facts;
}

/** The connected database facts; not applicable without a database, unknown when it could not be read. */
export function connected(db: DatabaseFacts, ctx: CheckContext): ConnectedDatabaseFacts | undefined {
  if (!db.configured) {
    ctx.notApplicable('no database configured (add "database": {"url": "${env:DATABASE_URL}"} to the config)');
    return undefined;
  }
  if (!db.connected) {
    ctx.unknown(`could not read the database (${db.stage}): ${db.error}`);
    return undefined;
  }
  return db;
}

/** The measured endpoints; not applicable when the config lists none. */
export function measured(facts: LatencyFacts, ctx: CheckContext): EndpointLatency[] | undefined {
  if (facts.endpoints.length === 0) {
    ctx.notApplicable('no endpoints in the config (endpoints: [{name, url, kind}])');
    return undefined;
  }
  return facts.endpoints;
}
