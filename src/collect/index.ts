// The collector registry: which collector produces each fact. Loaded lazily so commands that need none stay fast.
import type { FactKey, FactMap, TargetFacts } from '../facts/index.js';
import type { CollectContext } from './context.js';

export type Collector<K extends FactKey> = (ctx: CollectContext, target: TargetFacts) => Promise<FactMap[K]>;

export type CollectedKey = Exclude<FactKey, 'target'>;

export const collectors: { [K in CollectedKey]: () => Promise<Collector<K>> } = {
  'dns.hosts': async () => (await import('./dns/facts.js')).collectHosts,
  'dns.zones': async () => (await import('./dns/facts.js')).collectZones,
};
