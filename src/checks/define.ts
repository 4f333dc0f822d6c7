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
   * Which findings of the same code are one problem. Default: the same location host (a URL alone is an endpoint: its own problem), else the same
   * subject of a `subject › part` record (an assistant, a flow), else the same identity (a secret), else the place.
   * The text is the group's key as is (its fingerprint hashes it), so reuse the identity a single place had.
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

/**
 * Number wording shared by every message, so checks pass raw numbers: `{p95Ms|ms}` → "912" / "10.5" / "1.25",
 * `{mean|duration}` → "12 ms" / "1.5 s" / "2.0 min", `{calls|count}` → "12,400", `{share|percent}` (a 0-1 share)
 * → "90%", `{size|bytes}` → "12 kB".
 */
export const FORMATS: Record<string, (n: number) => string> = {
  ms: (v) => (v >= 100 ? String(Math.round(v)) : v >= 10 ? v.toFixed(1) : v.toFixed(2)),
  duration: (v) => {
    if (v >= 60_000) return `${(v / 60_000).toFixed(1)} min`;
    if (v >= 1000) return `${(v / 1000).toFixed(1)} s`;
    return `${v >= 10 ? Math.round(v) : v.toFixed(2)} ms`;
  },
  count: (v) => Math.round(v).toLocaleString('en-US'),
  percent: (v) => `${Math.round(v * 100)}%`,
  bytes: (v) => {
    if (v >= 1024 ** 3) return `${(v / 1024 ** 3).toFixed(1)} GB`;
    if (v >= 1024 ** 2) return `${(v / 1024 ** 2).toFixed(1)} MB`;
    if (v >= 1024) return `${Math.round(v / 1024)} kB`;
    return `${v} B`;
  },
};

type Part = string | { key: string; format?: string; whole: string } | { when: string; negated: boolean; parts: Part[]; whole: string };

/**
 * Template syntax: `{name}` or `{name|format}` fills a value (arrays are joined with ", "); `{name?text}` renders
 * `text` (which may hold placeholders) only when `name` is set, true, non-zero and not empty; `{name!text}` only when
 * it is not.
 */
function parse(template: string, from = 0, nested = false): { parts: Part[]; end: number } {
  const parts: Part[] = [];
  let text = '';
  let i = from;
  while (i < template.length) {
    const c = template[i]!;
    if (c === '}' && nested) break;
    const m = c === '{' ? /^\{([a-zA-Z0-9_]+)(?:\|([a-z]+))?(\}|\?|!)/.exec(template.slice(i)) : null;
    if (!m) {
      text += c;
      i++;
      continue;
    }
    if (text) parts.push(text);
    text = '';
    if (m[3] === '}') {
      parts.push({ key: m[1]!, ...(m[2] ? { format: m[2] } : {}), whole: m[0] });
      i += m[0].length;
    } else {
      const inner = parse(template, i + m[0].length, true);
      parts.push({ when: m[1]!, negated: m[3] === '!', parts: inner.parts, whole: template.slice(i, inner.end + 1) });
      i = inner.end + 1;
    }
  }
  if (text) parts.push(text);
  return { parts, end: i };
}

function present(v: Args[string] | undefined): boolean {
  return v !== undefined && v !== null && v !== false && v !== '' && v !== 0 && !(Array.isArray(v) && v.length === 0);
}

function fill(parts: Part[], args: Args): string {
  return parts.map((p) => {
    if (typeof p === 'string') return p;
    if ('when' in p) return present(args[p.when]) !== p.negated ? fill(p.parts, args) : '';
    const v = args[p.key];
    // An unknown placeholder is left visible, not dropped.
    if (v === undefined) return p.whole;
    if (Array.isArray(v)) return v.join(', ');
    const format = p.format ? FORMATS[p.format] : undefined;
    return format && typeof v === 'number' ? format(v) : String(v);
  }).join('');
}

/** Renders a message template from a finding's args (see `parse` for the syntax). */
export function renderMessage(template: string, args: Args = {}): string {
  return fill(parse(template).parts, args);
}

/** Placeholder names a finding must supply (those outside `{name?...}` clauses): the check tests assert them. */
export function placeholders(template: string): string[] {
  return parse(template).parts.flatMap((p) => (typeof p !== 'string' && 'key' in p ? [p.key] : []));
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
