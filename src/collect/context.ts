// What every collector gets: the run's one resolver, network policy, limiter, deadline and signal.
import type { DnsResolver } from './dns/resolver.js';
import type { Limiter } from './limit.js';
import type { NetPolicy } from './net.js';

export interface CollectContext {
  resolver: DnsResolver;
  policy: NetPolicy;
  limiter: Limiter;
  /** Deadline for each network step. */
  timeoutMs: number;
  /** Aborted when the run's global deadline passes. */
  signal: AbortSignal;
}
