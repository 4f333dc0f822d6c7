// The run's one undici Agent. Its `connect` resolves every host through the run's DnsResolver, applies
// --connect-to and the loopback guard, and hands sockets a lookup that refuses host names: no request of the run
// can fall back to the system resolver. Certificates are not verified here (the TLS collector judges them), so a
// broken certificate does not hide what the redirects do.
import { AsyncLocalStorage } from 'node:async_hooks';
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { CollectContext } from '../context.js';
import { forbiddenLookup, isDestinationError, resolveDestination } from './destination.js';

/** Connection phases of the request being made, filled by `connect` when it opens a new connection. */
export interface ConnectTiming {
  dns: number;
  connect: number;
  tls: number;
  opened: boolean;
}

export const connectTimings = new AsyncLocalStorage<ConnectTiming>();

export class DestinationFailure extends Error {
  constructor(readonly kind: 'no-address' | 'dns-failure' | 'forbidden', message: string) {
    super(message);
    this.name = 'DestinationFailure';
  }
}

export function createAgent(ctx: Omit<CollectContext, 'agent'>): Agent {
  const base = buildConnector({
    timeout: ctx.timeoutMs,
    rejectUnauthorized: false,
    // Weak certificates and old ciphers must still be reachable to be reported.
    ciphers: 'DEFAULT@SECLEVEL=0',
    lookup: forbiddenLookup,
  } as buildConnector.BuildOptions);
  const connect: buildConnector.connector = (opts, callback) => {
    const timing = connectTimings.getStore();
    const t0 = performance.now();
    const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
    resolveDestination(ctx, opts.hostname, port).then(
      (dest) => {
        if (isDestinationError(dest)) return callback(new DestinationFailure(dest.kind, dest.message), null);
        if (ctx.signal.aborted) return callback(new Error('run deadline passed'), null);
        const tDns = performance.now();
        const name = opts.hostname.replace(/^\[|\]$/g, '');
        const socket = base(
          { ...opts, hostname: dest.address, port: String(dest.port), ...(isIP(name) ? {} : { servername: name }) },
          (err, sock) => {
            if (timing) {
              timing.opened = true;
              timing.dns = tDns - t0;
              if (opts.protocol === 'https:') timing.tls = performance.now() - tDns - timing.connect;
              else timing.connect = performance.now() - tDns;
            }
            if (err) callback(err, null);
            else callback(null, sock!);
          },
        ) as unknown as import('node:net').Socket | undefined;
        socket?.once('connect', () => { if (timing) timing.connect = performance.now() - tDns; });
      },
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), null),
    );
  };
  const agent = new Agent({
    connect,
    headersTimeout: ctx.timeoutMs,
    bodyTimeout: ctx.timeoutMs,
    keepAliveTimeout: 2000,
    keepAliveMaxTimeout: 5000,
    // Few sockets per origin: an audit walks a handful of chains, it does not load-test. Bodies are capped by the
    // reader (src/collect/http/index.ts), which stops early instead of failing the hop.
    connections: 8,
  });
  // runAudit aborts the signal when the run ends: close every socket then, so the process can exit.
  ctx.signal.addEventListener('abort', () => { void agent.destroy().catch(() => {}); }, { once: true });
  return agent;
}
