// Builds the run's network stack from options: connect-to rules, the DNS servers to ask, the one shared resolver.
import { DnsResolver, type ServerAddress } from './dns/resolver.js';
import { systemNameservers } from './dns/system.js';
import type { CollectContext } from './context.js';
import { Limiter } from './limit.js';
import { NetPolicy, parseConnectTo, parseServer } from './net.js';

export interface NetworkOptions {
  resolver?: string;
  connectTo?: readonly string[];
  timeoutMs: number;
  concurrency: number;
  /** Extra UDP attempts per DNS query after a timeout. */
  retries?: number;
  loopbackOnly?: boolean;
}

export interface PreparedNetwork {
  policy: NetPolicy;
  servers: ServerAddress[];
  context: (signal: AbortSignal) => CollectContext;
}

/** Parses and validates network options up front, so a bad --connect-to is a usage error before anything runs. */
export async function prepareNetwork(opts: NetworkOptions): Promise<PreparedNetwork> {
  const policy = new NetPolicy({
    connectTo: (opts.connectTo ?? []).map(parseConnectTo),
    ...(opts.loopbackOnly !== undefined ? { loopbackOnly: opts.loopbackOnly } : {}),
  });
  const servers = opts.resolver ? [parseServer(opts.resolver)] : await systemNameservers();
  const retries = opts.retries ?? 2;
  // --timeout bounds a whole DNS step, retries included.
  const attemptMs = Math.max(50, Math.floor(opts.timeoutMs / (retries + 1)));
  return {
    policy,
    servers,
    context: (signal) => {
      const limiter = new Limiter(opts.concurrency);
      const resolver = new DnsResolver({ servers, timeoutMs: attemptMs, retries, policy, limiter, signal });
      return { resolver, policy, limiter, timeoutMs: opts.timeoutMs, signal };
    },
  };
}
