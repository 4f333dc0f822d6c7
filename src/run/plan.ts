// The front door of an audit: from a loaded config, the domains and the flags to the run's options (which checks,
// which target, which network, baseline, replayed facts), then the run itself. Shared by audit, demo and handover.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AnyCheck } from '../checks/define.js';
import { allChecks } from '../checks/index.js';
import { loadFacts, saveFacts } from '../collect/facts-store.js';
import type { LoadedConfig } from '../config/load.js';
import { acceptEntries } from '../config/target.js';
import { UsageError } from '../errors.js';
import type { FactKey, TargetFacts } from '../facts/index.js';
import { canonicalId, type Report, type Severity } from '../types.js';
import { runAudit, selectChecks, type RunEvent, type RunOptions } from './audit.js';
import type { AuditFlags } from './flags.js';
import { networkFor } from './network.js';
import { buildTarget } from './target.js';
import { TOOL } from './tool.js';

export interface AuditRequest {
  loaded: LoadedConfig;
  /** Domains named on the command line (they narrow the config's). */
  domains: readonly string[];
  flags: AuditFlags;
  /** Where relative paths start. */
  cwd: string;
  /** Look for a git repository around cwd when neither --repo nor the config names one (not for the demo). */
  findRepo: boolean;
  onEvent?: (e: RunEvent) => void;
  /** Log lines for a person (where facts were recorded, accepted risks that match nothing). */
  onLog?: (line: string) => void;
  /** Resolves on Ctrl-C: the run stops collecting and reports what it has, never GO. */
  interrupt?: Promise<void>;
  /** In CI an accepted-risk id that matches no check fails the run (a typo would silently accept nothing). */
  ci?: boolean;
  /** Receives every collected fact once the run has them (the handover builds its map from them). */
  capture?: (facts: Partial<Record<FactKey, unknown>>) => void;
}

/** Facts about domains and their hosts: checks that need them have nothing to do without a domain. */
const DOMAIN_FACTS = /^(dns|tls|http|email)\./;

const needsDomain = (c: AnyCheck) => c.requires.some((k) => DOMAIN_FACTS.test(k));

async function readBaseline(file: string, cwd: string): Promise<{ file: string; fingerprints: Set<string> }> {
  let parsed: { findings?: { fingerprint?: unknown }[] };
  try {
    parsed = JSON.parse(await readFile(resolve(cwd, file), 'utf8')) as typeof parsed;
  } catch (err) {
    throw new UsageError(`--baseline ${file}: cannot read a JSON report from it (${(err as Error).message}). Make one with --format json --output ${file}`);
  }
  if (!Array.isArray(parsed.findings)) throw new UsageError(`--baseline ${file}: not a launch-ready JSON report (no findings array)`);
  return { file, fingerprints: new Set(parsed.findings.map((f) => f.fingerprint).filter((x): x is string => typeof x === 'string')) };
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** Accepted-risk ids that name no check (`area.check-id`, `check-id` or a finding id `area.check-id.code`). */
export function unknownAcceptIds(ids: readonly string[], checks: readonly AnyCheck[]): { id: string; suggestion?: string }[] {
  const known = new Set(checks.flatMap((c) => [c.id, `${c.area}.${c.id}`, ...Object.keys(c.messages).map((code) => `${c.area}.${c.id}.${code}`)]));
  return ids.filter((id) => !known.has(canonicalId(id))).map((id) => {
    const best = [...known].map((k) => [k, editDistance(id, k)] as const).sort((x, y) => x[1] - y[1])[0];
    return best && best[1] <= 3 ? { id, suggestion: best[0] } : { id };
  });
}

/**
 * A replay judges the recorded facts by today's policy: the current config's accepted risks and endpoint budgets
 * (failOn comes from the flags and config as for any run); with no config file, the recorded policy stands. Naming other domains than were recorded is refused:
 * the report would otherwise claim to be about them.
 */
function replayTarget(recorded: TargetFacts, loaded: LoadedConfig, domains: readonly string[], dir: string): TargetFacts {
  const names = recorded.domains.map((d) => d.name);
  const other = domains.filter((d) => !names.includes(d));
  if (other.length) {
    throw new UsageError(`--from-facts ${dir} holds facts about ${names.join(', ') || 'no domain'}, not ${other.join(', ')}: record them with --save-facts, or drop the domain argument`);
  }
  // Without a config file there is no current policy to apply: the recorded one stands.
  if (!loaded.file) return recorded;
  const { config } = loaded;
  const budgets = new Map(config.endpoints.filter((e) => e.budgetP95Ms !== undefined).map((e) => [e.name, e.budgetP95Ms!]));
  return {
    ...recorded,
    accept: acceptEntries(config),
    ...(recorded.endpoints ? { endpoints: recorded.endpoints.map((e) => (budgets.has(e.name) ? { ...e, budgetP95Ms: budgets.get(e.name)! } : e)) } : {}),
  };
}

/** Everything the run needs, decided before any traffic: a bad selector, baseline or network flag fails here. */
export async function planAudit(req: AuditRequest): Promise<RunOptions> {
  const { loaded, flags, cwd } = req;
  const { config } = loaded;
  const recorded = flags.fromFacts ? await loadFacts(resolve(cwd, flags.fromFacts)) : undefined;
  // A replay audits exactly what was recorded, at the recorded time, so its findings match the original run.
  const target: TargetFacts = recorded
    ? replayTarget(recorded.facts.target as TargetFacts, loaded, req.domains, flags.fromFacts!)
    : await buildTarget(loaded, req.domains, flags, { cwd, now: new Date(), findRepo: req.findRepo });
  const checks = selectChecks(allChecks, flags.only.length ? flags.only : config.only, flags.skip.length ? flags.skip : config.skip);
  if (checks.length === 0) {
    throw new UsageError(`the selection is empty (only: ${(flags.only.length ? flags.only : config.only ?? []).join(',') || 'all'}; skip: ${(flags.skip.length ? flags.skip : config.skip ?? []).join(',')}): nothing would be checked. Run \`launch-ready checks\` to list areas and ids`);
  }
  const unknown = unknownAcceptIds(config.accept.map((a) => a.id), allChecks);
  if (unknown.length) {
    const text = unknown.map((u) => `"${u.id}"${u.suggestion ? ` (did you mean ${u.suggestion}?)` : ''}`).join(', ');
    const message = `accept: ${text} ${unknown.length === 1 ? 'matches' : 'match'} no check, so ${unknown.length === 1 ? 'it accepts' : 'they accept'} nothing. Ids are area.check-id (see \`launch-ready checks\`)`;
    if (req.ci) throw new UsageError(message);
    req.onLog?.(`warning: ${message}`);
  }
  const failOn = (flags.failOn ?? config.failOn ?? 'high') as Severity;
  const net = await networkFor(flags, loaded, cwd, flags.concurrency, { offline: Boolean(recorded) });
  const baseline = flags.baseline ? await readBaseline(flags.baseline, cwd) : undefined;
  // Without a domain, the domain checks have nothing to look at; the run is still worth it for the repository,
  // the database or the endpoints, but not when there is nothing at all.
  const noDomain = target.domains.length === 0;
  const somethingElse = Boolean(target.repo || target.database) || config.endpoints.length > 0 || config.flows.length > 0 || config.ai.length > 0;
  if (noDomain && !somethingElse) {
    throw new UsageError('nothing to audit: give a domain (`launch-ready audit example.com`, or `launch-ready init example.com` for a config), a repository (--repo), endpoints, flows, ai or a database (database.url) in the config');
  }
  if (noDomain && checks.every((c) => needsDomain(c) || c.area === 'config')) {
    throw new UsageError('no domain to audit: the selected checks look at domains. Run `launch-ready audit example.com`, or list domains in the config');
  }
  const { capture, onLog } = req;
  return {
    checks,
    target,
    ...(noDomain ? { inapplicable: (c: AnyCheck) => (needsDomain(c) ? 'no domain to audit: give one on the command line or in the config' : undefined) } : {}),
    failOn,
    redactor: loaded.redactor,
    context: net.context,
    deadlineMs: flags.deadline,
    tool: TOOL,
    reportTarget: {
      domains: target.domains.map((d) => d.name),
      hosts: target.domains.flatMap((d) => d.hosts.map((h) => h.name)),
      ...(loaded.file ? { config: loaded.file } : {}),
      ...(target.repo ? { repo: target.repo } : {}),
    },
    ...(req.onEvent ? { onEvent: req.onEvent } : {}),
    ...(req.interrupt ? { interrupt: req.interrupt } : {}),
    ...(recorded ? { recordedFacts: recorded.facts } : {}),
    ...(baseline ? { baseline } : {}),
    ...(flags.saveFacts || capture ? {
      onFacts: async (facts: Partial<Record<FactKey, unknown>>) => {
        capture?.(facts);
        if (!flags.saveFacts) return;
        const file = await saveFacts(resolve(cwd, flags.saveFacts), facts, TOOL, loaded.redactor);
        onLog?.(`facts recorded in ${file}`);
      },
    } : {}),
  };
}

/** Plans and runs an audit: the report, never a crash for a bad target (failures become error outcomes). */
export async function audit(req: AuditRequest): Promise<Report> {
  return runAudit(await planAudit(req));
}
