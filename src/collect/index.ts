// The collector registry: which collector produces each fact. Loaded lazily so commands that need none stay fast.
import type { FactKey, FactMap, TargetFacts } from '../facts/index.js';
import type { CollectContext } from './context.js';

export type Collector<K extends FactKey> = (ctx: CollectContext, target: TargetFacts) => Promise<FactMap[K]>;

export type CollectedKey = Exclude<FactKey, 'target'>;

export const collectors: { [K in CollectedKey]: () => Promise<Collector<K>> } = {
  'dns.hosts': async () => (await import('./dns/facts.js')).collectHosts,
  'dns.zones': async () => (await import('./dns/facts.js')).collectZones,
  'email.domains': async () => (await import('./email/facts.js')).collectEmail,
  'tls.endpoints': async () => (await import('./tls/index.js')).collectTls,
  'http.surfaces': async () => (await import('./http/index.js')).collectHttp,
  'secrets.scan': async () => (await import('./git/secrets.js')).collectSecrets,
  'hygiene.repo': async () => (await import('./git/hygiene.js')).collectHygiene,
  'deploy.repo': async () => (await import('./deploy/index.js')).collectDeploy,
  'deploy.environments': async () => (await import('./deploy/environments.js')).collectEnvironments,
  'database.postgres': async () => (await import('./database/index.js')).collectDatabase,
  'flows.runs': async () => (await import('./flows/index.js')).collectFlows,
  'ai.runs': async () => (await import('./ai/index.js')).collectAi,
  'edge.http': async () => (await import('./edge/index.js')).collectEdge,
  'latency.endpoints': async () => (await import('./latency/index.js')).collectLatency,
  'load.ramp': async () => (await import('./load/index.js')).collectLoad,
  'dns.takeover': async () => (await import('./takeover/index.js')).collectTakeover,
  'dns.discovery': async () => (await import('./discover/index.js')).collectDiscovery,
};

/**
 * Collectors that have nothing to do for a target (no database, no endpoints, no load test asked for) still run
 * and return their empty fact at once, but they are not work in progress: the progress line does not name them.
 */
export const idleFor: { [K in CollectedKey]?: (target: TargetFacts) => boolean } = {
  'database.postgres': (t) => !t.database,
  'flows.runs': (t) => !t.flows,
  'ai.runs': (t) => !t.ai,
  'latency.endpoints': (t) => (t.endpoints ?? []).length === 0,
  'load.ramp': (t) => !t.load,
};
