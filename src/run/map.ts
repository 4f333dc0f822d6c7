// The front door of `map` (and the map inside `handover`): the deployment map built from facts collected with an
// audit's deadlines and error isolation, through one run's resolver and agent.
import { dirname, resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { targetFromConfig } from '../config/target.js';
import { UsageError } from '../errors.js';
import type { HostResolution, ZoneFacts } from '../facts/dns.js';
import type { EmailDomainFacts } from '../facts/email.js';
import { isFactError, type FactKey, type FactMap, type TargetFacts } from '../facts/index.js';
import type { HttpSurface } from '../facts/http.js';
import type { TlsEndpoint } from '../facts/tls.js';
import { buildMap, type DeploymentMap } from '../map/build.js';

export { renderMapText } from '../map/build.js';
import { collectFacts } from './audit.js';
import type { MapFlags } from './flags.js';
import { networkFor } from './network.js';
import { discoverOptions } from './discover.js';

/** The facts the map is drawn from. */
export const MAP_FACTS = ['dns.hosts', 'dns.zones', 'tls.endpoints', 'http.surfaces', 'email.domains'] as const;

/** A fact the run has, or undefined when it failed or was not collected. */
export function factOf<K extends FactKey>(facts: Partial<Record<FactKey, unknown>>, key: K): FactMap[K] | undefined {
  const v = facts[key];
  return v === undefined || isFactError(v) ? undefined : (v as FactMap[K]);
}

/** The map from whatever facts a run collected; undefined without the DNS facts it is drawn on. */
export function mapFromFacts(facts: Partial<Record<FactKey, unknown>>, config: LoadedConfig['config']): DeploymentMap | undefined {
  const target: TargetFacts | undefined = factOf(facts, 'target');
  const hosts: HostResolution[] | undefined = factOf(facts, 'dns.hosts');
  const zones: ZoneFacts[] | undefined = factOf(facts, 'dns.zones');
  if (!target || !hosts || !zones) return undefined;
  const tls: TlsEndpoint[] | undefined = factOf(facts, 'tls.endpoints');
  const http: HttpSurface[] | undefined = factOf(facts, 'http.surfaces');
  const email: EmailDomainFacts[] = factOf(facts, 'email.domains') ?? [];
  return buildMap({
    target, hosts, zones,
    ...(tls ? { tls } : {}),
    ...(http ? { http } : {}),
    mx: Object.fromEntries(email.map((e) => [e.domain, e.mx.targets.map((t) => `${t.preference} ${t.exchange}`)])),
    ...(config.project ? { project: config.project } : {}),
    ...(config.environments ? { environments: config.environments } : {}),
  });
}

/** Per-command deadline of the map's collection: it never hangs on a silent server. */
const MAP_DEADLINE_MS = 60_000;

export async function collectMap(loaded: LoadedConfig, domains: readonly string[], flags: MapFlags, cwd: string): Promise<DeploymentMap> {
  const target = targetFromConfig(loaded.config, domains, new Date(), loaded.file);
  if (target.domains.length === 0) throw new UsageError('no domain to map: `launch-ready map example.com`, or list domains in the config');
  const discover = await discoverOptions(flags, loaded, cwd);
  if (discover) target.discover = discover;
  // The config's repository (relative to the config file) feeds discovery's repository source, as in an audit.
  const repoPath = loaded.config.repo?.path;
  if (discover && repoPath) target.repo = resolve(loaded.file ? dirname(resolve(cwd, loaded.file)) : cwd, repoPath);
  const net = await networkFor(flags, loaded, cwd, 64);
  const facts = await collectFacts(MAP_FACTS, { target, context: net.context, deadlineMs: MAP_DEADLINE_MS });
  const map = mapFromFacts(facts, loaded.config);
  if (!map) {
    const failed = MAP_FACTS.map((k) => facts[k]).find(isFactError);
    throw new Error(`the map could not be drawn: ${failed ? `${failed.factError.key}: ${failed.factError.message}` : 'no DNS facts'}`);
  }
  return map;
}
