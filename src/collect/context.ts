// What every collector gets: the run's one resolver, network policy, limiter, deadline and signal, the extra
// trusted CAs from --ca, and the run's one HTTP client (created on first use, connecting through the resolver).
import type { HttpClient } from './http/fetch.js';
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
  /** PEM certificates from --ca (private CAs), trusted on top of Node's store. */
  extraCa?: readonly string[];
  /** The run's one HTTP client (for httpFetch): every connection resolves through `resolver`, never the system resolver. */
  agent?: () => Promise<HttpClient>;
}
