// The fact map: every kind of fact a collector can produce and a check can require, by key.
import type { HostResolution, TargetHost, ZoneFacts } from './dns.js';

export interface TargetDomain {
  name: string;
  canonical: 'apex' | 'www';
  hosts: TargetHost[];
}

export interface AcceptEntry {
  id: string;
  location?: string;
  reason: string;
  expires?: string;
}

/** Always present: what the user asked to audit, and the run's clock (checks never read the clock themselves). */
export interface TargetFacts {
  domains: TargetDomain[];
  /** ISO timestamp of the run's start. */
  now: string;
  configFile?: string;
  accept: AcceptEntry[];
}

export interface FactMap {
  target: TargetFacts;
  'dns.hosts': HostResolution[];
  'dns.zones': ZoneFacts[];
}

export type FactKey = keyof FactMap;

/** A collector that failed as a whole yields this instead of its fact. */
export interface FactError {
  factError: { key: FactKey; message: string };
}

export function isFactError(v: unknown): v is FactError {
  return typeof v === 'object' && v !== null && 'factError' in v;
}
