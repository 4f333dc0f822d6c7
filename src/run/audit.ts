// The audit run: plans collectors from the enabled checks, runs them concurrently under one deadline, runs each
// check over exactly the facts it declared, isolates every failure, then ranks findings and decides the verdict.
import { setMaxListeners } from 'node:events';
import type { AnyCheck, RawFinding } from '../checks/define.js';
import { renderMessage } from '../checks/define.js';
import type { CollectContext } from '../collect/context.js';
import { collectors, idleFor, type CollectedKey } from '../collect/index.js';
import { AI_SPECS } from '../facts/ai.js';
import { acceptanceExpired, isFactError, type AcceptEntry, type FactError, type FactKey, type FactMap, type TargetFacts } from '../facts/index.js';
import { decideVerdict, fingerprintsOf, rankFindings, summarize } from '../rank/index.js';
import type { Redactor } from '../redact.js';
import { groupFindings, groupFingerprint, groupOf, occurrenceOf, placeFingerprint, type GroupMeta, type Unranked } from './findings.js';
import { maskerFor, maskDeep } from './mask.js';
import { measure } from './measurements.js';
import { discoveredHosts, foundVia, withDiscovered } from '../derive/discovery.js';
import { DISCOVERY_NOT_RUN, type DiscoveryFacts } from '../facts/discover.js';
import { UsageError } from '../errors.js';
import { AREAS, canonicalId, type CheckOutcome, type CheckStatus, type Finding, type Report, type Severity } from '../types.js';

export { UsageError };

/** Resolves --only/--skip selectors (areas, check ids, or area.check-id) to checks; an unknown selector is an error. */
export function selectChecks(all: readonly AnyCheck[], onlyAsGiven: readonly string[] = [], skipAsGiven: readonly string[] = []): AnyCheck[] {
  const only = onlyAsGiven.map(canonicalId);
  const skip = skipAsGiven.map(canonicalId);
  const matches = (c: AnyCheck, sel: string) => sel === c.area || sel === c.id || sel === `${c.area}.${c.id}`;
  for (const sel of [...only, ...skip]) {
    if (!all.some((c) => matches(c, sel)) && !(AREAS as readonly string[]).includes(sel)) {
      throw new UsageError(`unknown area or check "${sel}": run \`launch-ready checks\` to list them (areas: ${AREAS.join(', ')})`);
    }
  }
  return all.filter((c) => (only.length === 0 || only.some((s) => matches(c, s))) && !skip.some((s) => matches(c, s)));
}

export type RunEvent =
  | { type: 'plan'; checks: number }
  | { type: 'collect-start'; key: FactKey }
  | { type: 'collect-end'; key: FactKey; ok: boolean; durationMs: number }
  | { type: 'check-end'; id: string; status: CheckStatus; done: number; total: number };

export interface RunOptions extends CollectOptions {
  checks: readonly AnyCheck[];
  failOn: Severity;
  tool: { name: string; version: string };
  reportTarget: Report['target'];
  /** Called with every collected fact once the run has them all (--save-facts). */
  onFacts?: (facts: Partial<Record<FactKey, unknown>>) => Promise<void> | void;
  /** Fingerprints of findings known from a baseline report: listed, not counted toward the verdict. */
  baseline?: { file: string; fingerprints: ReadonlySet<string> };
  /** The run's secret values from the config (${env:NAME}): masked in every field of the report. */
  redactor?: Redactor;
  /** A reason when a check has nothing to look at in this run (e.g. no domain): it is then not-applicable, uncollected. */
  inapplicable?: (check: AnyCheck) => string | undefined;
}

function factError(key: FactKey, message: string): FactError {
  return { factError: { key, message } };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The fingerprint of one place: what every report used before grouping, and still each occurrence's. */
export const fingerprint = placeFingerprint;

function acceptanceFor(f: Omit<Finding, 'rank' | 'accepted'>, accept: readonly AcceptEntry[], today: string): AcceptEntry | undefined {
  return accept.find((a) => {
    if (acceptanceExpired(a, today)) return false;
    const id = canonicalId(a.id);
    const idMatch = id === f.id || id === `${f.area}.${f.checkId}` || id === f.checkId;
    if (!idMatch) return false;
    if (!a.location) return true;
    const loc = Object.values(f.location).map(String);
    return loc.some((v) => v.toLowerCase().includes(a.location!.toLowerCase()));
  });
}

interface CheckRunResult {
  outcome: CheckOutcome;
  /** One per reported place, not yet grouped. */
  findings: Unranked[];
  /** Parallel to findings: what groups them. */
  meta: GroupMeta[];
}

/** Runs one check over its facts. Never throws: a throwing check is an `error` outcome tagged with its id. */
export function runCheck(check: AnyCheck, facts: Partial<Record<FactKey, unknown>>, accept: readonly AcceptEntry[], today: string): CheckRunResult {
  const started = performance.now();
  const base = { id: check.id, area: check.area, severity: check.severity, title: check.title };
  const meta: GroupMeta[] = [];
  const finish = (status: CheckStatus, extra: Partial<CheckOutcome>, findings: Unranked[] = []): CheckRunResult => ({
    outcome: { ...base, status, durationMs: Math.round((performance.now() - started) * 100) / 100, findings: findings.length, ...extra },
    findings,
    meta: meta.slice(0, findings.length),
  });

  const missing = check.requires.map((k) => facts[k]).find(isFactError);
  if (missing) return finish('error', { error: `could not collect ${missing.factError.key}: ${missing.factError.message}` });

  const raw: RawFinding[] = [];
  const unknowns: string[] = [];
  let notApplicable: string | undefined;
  let details: Record<string, unknown> | undefined;
  try {
    check.run(facts as FactMap, {
      report: (f) => raw.push(f),
      details: (d) => { details = { ...details, ...d }; },
      unknown: (reason) => unknowns.push(reason),
      notApplicable: (reason) => { notApplicable = reason; },
    });
  } catch (err) {
    return finish('error', { error: `check threw: ${errorMessage(err)}` });
  }

  const findings: Unranked[] = [];
  const found = facts.target ? discoveredHosts(facts.target as TargetFacts) : new Map<string, never>();
  try {
    for (const r of raw) {
      const spec = check.messages[r.code];
      if (!spec) throw new Error(`reported unknown code "${r.code}"`);
      const location = r.location ?? {};
      const via = location.host !== undefined ? found.get(String(location.host)) : undefined;
      // A host nobody listed: the finding says how it was found, so the reader knows why it is in the report.
      const message = `${renderMessage(spec.message, r.args)}${via ? ` (found via ${foundVia(via)})` : ''}`;
      const group = groupOf(r);
      const f: Unranked = {
        id: `${check.area}.${check.id}.${r.code}`,
        checkId: check.id,
        area: check.area,
        code: r.code,
        severity: spec.severity ?? check.severity,
        impact: spec.impact ?? check.impact,
        title: check.title,
        message,
        whatBreaks: spec.whatBreaks ?? check.description,
        remediation: spec.remediation ?? check.remediation,
        references: check.references,
        location,
        ...(r.evidence !== undefined ? { evidence: r.evidence } : {}),
        args: { ...(r.args ?? {}) } as Finding['args'],
        occurrences: [occurrenceOf(location, message, placeFingerprint(check.id, r.code, location, r.identity), r.evidence)],
        count: 1,
        fingerprint: groupFingerprint(check.id, r.code, group),
      };
      meta.push({ group, supersedes: spec.supersedes ?? [] });
      const acc = acceptanceFor(f, accept, today);
      findings.push(acc ? { ...f, accepted: { reason: acc.reason, ...(acc.expires ? { expires: acc.expires } : {}) } } : f);
    }
  } catch (err) {
    return finish('error', { error: `check ${errorMessage(err)}` });
  }

  const extra: Partial<CheckOutcome> = details ? { details } : {};
  if (unknowns.length > 0) return finish('error', { ...extra, error: unknowns.join('; ') }, findings);
  const open = findings.filter((f) => !f.accepted);
  if (open.some((f) => f.severity === 'critical' || f.severity === 'high' || f.severity === 'medium')) return finish('fail', extra, findings);
  if (open.length > 0) return finish('warn', extra, findings);
  if (notApplicable && findings.length === 0) return finish('not-applicable', { ...extra, reason: notApplicable }, findings);
  return finish('pass', extra, findings);
}

/** What collecting needs: the same for an audit and for the commands that only want facts (map, handover, watch). */
export interface CollectOptions {
  target: TargetFacts;
  /** Builds the collectors' context; given the collection's abort signal. */
  context: (signal: AbortSignal) => CollectContext;
  /** Collection always finishes by then: unfinished facts become error facts. */
  deadlineMs: number;
  onEvent?: (e: RunEvent) => void;
  /** Overridable for tests; the check collectors come from src/collect by default. */
  collectorsFor?: typeof collectors;
  /** Facts recorded by an earlier run (--from-facts): used instead of collecting. A missing key is an error fact. */
  recordedFacts?: Partial<Record<FactKey, unknown>>;
  /** Resolves when the user interrupts (Ctrl-C): collection stops as at the deadline, and the checks run on what came in. */
  interrupt?: Promise<void>;
}

interface Collection {
  /** Each fact as it arrives; a failed, timed-out or missing one is a FactError value, never a rejection. */
  facts: Map<FactKey, Promise<unknown>>;
  /** Stops the deadline timer and aborts whatever is still in flight. */
  close: () => void;
  /** Whether the user interrupted collection. */
  interrupted: () => boolean;
}

/** Starts every collector of `keys` at once under one deadline and one abort signal; never throws. */
function startCollection(keys: readonly CollectedKey[], opts: CollectOptions): Collection {
  const controller = new AbortController();
  // Every in-flight query listens for the deadline; hundreds at once is expected, not a leak.
  setMaxListeners(0, controller.signal);
  const ctx = opts.context(controller.signal);
  const registry = opts.collectorsFor ?? collectors;
  const emitAll = opts.onEvent ?? (() => {});

  let deadlineTimer: NodeJS.Timeout | undefined;
  let stopped: string | undefined;
  const deadline = new Promise<string>((resolve) => {
    deadlineTimer = setTimeout(() => {
      controller.abort();
      resolve(stopped ??= `run deadline of ${opts.deadlineMs} ms passed before it finished`);
    }, opts.deadlineMs);
    void opts.interrupt?.then(() => {
      clearTimeout(deadlineTimer);
      controller.abort();
      resolve(stopped ??= 'interrupted (Ctrl-C) before it finished');
    });
  });

  const facts = new Map<FactKey, Promise<unknown>>();
  const start = (key: CollectedKey, target: Promise<TargetFacts>): Promise<unknown> => {
    const t0 = performance.now();
    // Work in progress only: a recorded fact or a collector with nothing to do for this target is not announced.
    const announced = !opts.recordedFacts && !idleFor[key]?.(opts.target);
    const emit = announced ? emitAll : () => {};
    emit({ type: 'collect-start', key });
    const collected = (async () => {
      if (opts.recordedFacts) {
        // Facts recorded before discovery existed replay as a run without it.
        if (key === 'dns.discovery' && !(key in opts.recordedFacts)) return DISCOVERY_NOT_RUN;
        if (!(key in opts.recordedFacts)) throw new Error('not in the recorded facts (record them again with --save-facts)');
        return opts.recordedFacts[key];
      }
      const collector = await registry[key]();
      return (collector as (c: CollectContext, t: TargetFacts) => Promise<unknown>)(ctx, await target);
    })().then(
      (value) => { emit({ type: 'collect-end', key, ok: true, durationMs: performance.now() - t0 }); return value; },
      (err: unknown) => { emit({ type: 'collect-end', key, ok: false, durationMs: performance.now() - t0 }); return factError(key, errorMessage(err)); },
    );
    return Promise.race([collected, deadline.then((why) => factError(key, why))]);
  };
  // Discovery runs first: the hosts it finds join the target every other collector gets (a failed or cut-short
  // discovery leaves the target as it was). A replay's recorded target already holds them.
  const discovering = opts.target.discover || keys.includes('dns.discovery');
  const discovery = discovering ? start('dns.discovery', Promise.resolve(opts.target)) : undefined;
  const target = discovery
    ? discovery.then((d) => (d && !isFactError(d) ? withDiscovered(opts.target, d as DiscoveryFacts) : opts.target))
    : Promise.resolve(opts.target);
  facts.set('target', target);
  if (discovery) facts.set('dns.discovery', discovery);
  for (const key of new Set(keys)) if (key !== 'dns.discovery') facts.set(key, start(key, target));
  return {
    facts,
    interrupted: () => stopped !== undefined && stopped.startsWith('interrupted'),
    close: () => {
      clearTimeout(deadlineTimer);
      controller.abort();
    },
  };
}

/**
 * Collects the given facts with an audit's deadlines and error isolation, for commands that want facts without
 * checks (map, handover, watch). Each value is the fact or a FactError; the target is always there.
 */
export async function collectFacts(keys: readonly CollectedKey[], opts: CollectOptions): Promise<Partial<Record<FactKey, unknown>>> {
  const run = startCollection(keys, opts);
  try {
    const entries = await Promise.all([...run.facts].map(async ([k, v]) => [k, await v] as const));
    return Object.fromEntries(entries);
  } finally {
    run.close();
  }
}

/** The configured canaries: planted so that a leak is recognised, so never printed either. */
function canariesOf(target: TargetFacts): string[] {
  return (target.ai?.[AI_SPECS] ?? []).flatMap((a) => a.canaries);
}

/** A check's count of problems after grouping, the findings it caused that another one explains included. */
function problemsOf(outcome: CheckOutcome, findings: readonly Finding[]): number {
  const prefix = `${outcome.area}.${outcome.id}.`;
  return findings.filter((f) => (f.checkId === outcome.id && f.area === outcome.area) || f.explains?.some((e) => e.id.startsWith(prefix))).length;
}

/** The report's target: every host of the run, and for discovered ones how they were found and within which bounds. */
function reportTargetOf(planned: Report['target'], target: TargetFacts, discovery: unknown): Report['target'] {
  const hosts = target.domains.flatMap((d) => d.hosts);
  const discovered = hosts.filter((h) => h.discoveredVia);
  const d = discovery && !isFactError(discovery) ? (discovery as DiscoveryFacts) : undefined;
  if (!d?.ran) return planned;
  return {
    ...planned,
    hosts: hosts.map((h) => h.name),
    discovered: discovered.map((h) => ({ host: h.name, via: h.discoveredVia!.map((v) => ({ ...v })), ...(h.dnsOnly ? { dnsOnly: true } : {}) })),
    discovery: {
      standard: hosts.length - discovered.length, found: discovered.length, cut: d.cut, queries: d.queries, elapsedMs: d.elapsedMs,
      ...(d.exhausted ? { exhausted: d.exhausted } : {}), wildcards: d.wildcards.map((w) => w.domain),
      ...(d.errors.length ? { errors: [...d.errors] } : {}),
    },
  };
}

export async function runAudit(opts: RunOptions): Promise<Report> {
  const started = Date.now();
  const startedPerf = performance.now();
  const emit = opts.onEvent ?? (() => {});
  const skipped = new Map(opts.checks.flatMap((c) => { const why = opts.inapplicable?.(c); return why ? [[c, why] as const] : []; }));
  const runnable = opts.checks.filter((c) => !skipped.has(c));
  // Plan: only the facts some enabled check needs, each collected once.
  // Optional facts are not collected for their own sake: a check gets them when the run collects them anyway.
  const needed = [...new Set(runnable.flatMap((c) => c.requires))].filter((k): k is CollectedKey => k !== 'target');
  emit({ type: 'plan', checks: opts.checks.length });
  const run = startCollection(needed, opts);
  const facts = run.facts;

  const today = opts.target.now.slice(0, 10);
  // With discovery on, the target every check sees holds the discovered hosts too.
  const target = (await facts.get('target')) as TargetFacts;
  let done = 0;
  const results = await Promise.all(
    opts.checks.map(async (check) => {
      const why = skipped.get(check);
      if (why) {
        emit({ type: 'check-end', id: check.id, status: 'not-applicable', done: ++done, total: opts.checks.length });
        return { findings: [], meta: [], outcome: { id: check.id, area: check.area, severity: check.severity, title: check.title, status: 'not-applicable' as const, durationMs: 0, reason: why, findings: 0 } };
      }
      const values = await Promise.all(check.requires.map(async (k) => [k, await facts.get(k)] as const));
      // Optional facts that failed are simply absent: they never turn the check into an error.
      const extras = (await Promise.all((check.optional ?? []).filter((k) => facts.has(k)).map(async (k) => [k, await facts.get(k)] as const)))
        .filter(([, v]) => v !== undefined && !isFactError(v));
      const evaluated = runCheck(check, { target, ...Object.fromEntries(extras), ...Object.fromEntries(values) }, opts.target.accept, today);
      // A check's time is what a user waited for it: its facts (collected once, shared) and then its evaluation.
      // Evaluation alone is pure and takes well under a millisecond, which made the Time column read 0 ms.
      const result = { ...evaluated, outcome: { ...evaluated.outcome, durationMs: Math.round(performance.now() - startedPerf) } };
      emit({ type: 'check-end', id: check.id, status: result.outcome.status, done: ++done, total: opts.checks.length });
      return result;
    }),
  );
  run.close();
  if (opts.onFacts) {
    const entries = await Promise.all([...facts].map(async ([k, v]) => [k, await v] as const));
    await opts.onFacts(Object.fromEntries(entries));
  }

  const baseline = opts.baseline;
  // Each place meets the baseline on its own (by the group's fingerprint or its own), before places are grouped.
  const marked = results.flatMap((r) => r.findings.map((f, i) => ({
    finding: baseline && !f.accepted && fingerprintsOf(f).some((fp) => baseline.fingerprints.has(fp))
      ? { ...f, accepted: { reason: `known: already in the baseline ${baseline.file}`, baseline: true } }
      : f,
    meta: r.meta[i]!,
  })));
  const mask = maskerFor({ canaries: canariesOf(opts.target), ...(opts.redactor ? { redactor: opts.redactor } : {}) });
  const findings = rankFindings(maskDeep(groupFindings(marked), mask) as Finding[]);
  const checks = results.map((r) => maskDeep({ ...r.outcome, findings: problemsOf(r.outcome, findings) }, mask));
  const measurements = maskDeep(await measure(facts, opts.target.now), mask);
  const decided = decideVerdict(findings, checks, opts.failOn);
  // An interrupted run never says GO: what was not collected was not checked. Its reason says it was interrupted.
  const verdict = !run.interrupted() ? decided
    : decided.verdict === 'go'
      ? { ...decided, verdict: 'incomplete' as const, reason: 'Interrupted (Ctrl-C) before every check finished: nothing blocking in what was checked, but the audit is not complete.' }
      : decided.verdict === 'incomplete' ? { ...decided, reason: `Interrupted (Ctrl-C) before every check finished. ${decided.reason}` } : decided;
  return {
    schemaVersion: 1,
    tool: opts.tool,
    target: reportTargetOf(opts.reportTarget, target, await facts.get('dns.discovery')),
    startedAt: new Date(started).toISOString(),
    durationMs: Math.round(performance.now() - startedPerf),
    failOn: opts.failOn,
    verdict: verdict.verdict,
    verdictReason: verdict.reason,
    summary: summarize(findings),
    findings,
    checks,
    measurements,
    incomplete: verdict.incomplete,
  };
}
