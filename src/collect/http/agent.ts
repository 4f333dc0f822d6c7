// The dispatcher setup behind the one HTTP fetch (./fetch.ts): an undici Agent whose `connect` resolves every host
// through the run's DnsResolver, applies --connect-to and the loopback guard, and hands sockets a lookup that refuses
// host names, so no request can fall back to the system resolver. Callers only ever hold the opaque HttpClient.
import { AsyncLocalStorage } from 'node:async_hooks';
import { isIP, type Socket } from 'node:net';
import tls from 'node:tls';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { onAbort } from '../abort.js';
import type { CollectContext } from '../context.js';
import { browserRejection } from '../../derive/tls.js';
import { presentedChain, safeParse } from '../tls/parse.js';
import { judgeChain } from '../tls/trust.js';
import { forbiddenLookup, isDestinationError, resolveDestination } from './destination.js';

/** How a TLS peer's certificate chain fared against Node's store plus --ca (only with `certificates: 'judge'`). */
export interface CertificateVerdict {
  valid: boolean;
  error?: string;
}

/** Connection phases of the request being made, filled by `connect` when it opens a new connection. */
export interface ConnectTiming {
  dns: number;
  connect: number;
  tls: number;
  opened: boolean;
  certificate?: CertificateVerdict;
}

export const connectTimings = new AsyncLocalStorage<ConnectTiming>();

export class DestinationFailure extends Error {
  constructor(readonly kind: 'no-address' | 'dns-failure' | 'forbidden', message: string) {
    super(message);
    this.name = 'DestinationFailure';
  }
}

export interface ClientOptions {
  /**
   * 'ignore' (default): certificates are not verified (the TLS collector judges them), and weak ciphers stay
   * reachable, so a broken certificate does not hide what the server answers. 'judge': Node's default ciphers, the
   * chain verified against Node's store plus --ca and recorded on the response, the request still made (how MTA-STS
   * senders judge a policy host). 'audit': Node's default ciphers, and the verdict is the audit's own (the presented
   * chain judged against Node's roots plus --ca as the TLS collector judges it, then names and dates), with the
   * audit's wording; no root store is re-parsed per connection.
   */
  certificates?: 'ignore' | 'judge' | 'audit';
  /** Sockets per origin. */
  connections?: number;
}

let wrap: (agent: Agent, detach: () => void) => HttpClient;
let unwrap: (client: HttpClient) => Dispatcher;

/** A connection pool that connects only as this module allows. Opaque: requests go through httpFetch. */
export class HttpClient {
  readonly #agent: Agent;
  readonly #detach: () => void;

  private constructor(agent: Agent, detach: () => void) {
    this.#agent = agent;
    this.#detach = detach;
  }

  static {
    wrap = (agent, detach) => new HttpClient(agent, detach);
    unwrap = (client) => client.#agent;
  }

  /** Lets requests in flight finish, then closes every socket. */
  close(): Promise<void> {
    this.#detach();
    return this.#agent.close();
  }

  /** Closes every socket now. */
  destroy(): Promise<void> {
    this.#detach();
    return this.#agent.destroy();
  }
}

/** The audit's verdict on the chain a connection was given for `host`: what the certificate monitor would say. */
function auditVerdict(sock: tls.TLSSocket, host: string, extraCa: readonly string[]): CertificateVerdict {
  const ders = presentedChain(sock);
  const error = browserRejection(host, ders.flatMap(safeParse), judgeChain(ders, extraCa), Date.now());
  return error ? { valid: false, error } : { valid: true };
}

export function dispatcherOf(client: HttpClient): Dispatcher {
  return unwrap(client);
}

/**
 * How every socket of ours is opened (undici's connector shape): the host through the run's resolver, --connect-to,
 * the loopback guard, then TCP or TLS with the certificate handling asked for. The undici pool below uses it, and so
 * does the flow ramp's keep-alive client (../load/wire.ts).
 */
export function createConnector(ctx: Omit<CollectContext, 'agent'>, opts: Pick<ClientOptions, 'certificates'> = {}): buildConnector.connector {
  const judge = opts.certificates === 'judge';
  const audit = opts.certificates === 'audit';
  const base = buildConnector({
    timeout: ctx.timeoutMs,
    rejectUnauthorized: false,
    // Weak certificates and old ciphers must still be reachable to be reported; a judged host gets what senders use.
    ...(judge ? { ca: [...tls.rootCertificates, ...(ctx.extraCa ?? [])] } : audit ? {} : { ciphers: 'DEFAULT@SECLEVEL=0' }),
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
              if (judge && sock instanceof tls.TLSSocket) {
                timing.certificate = sock.authorized ? { valid: true } : { valid: false, error: String(sock.authorizationError ?? 'not trusted') };
              } else if (audit && sock instanceof tls.TLSSocket) {
                timing.certificate = auditVerdict(sock, name, ctx.extraCa ?? []);
              }
            }
            if (err) callback(err, null);
            else callback(null, sock!);
          },
        ) as unknown as Socket | undefined;
        socket?.once('connect', () => { if (timing) timing.connect = performance.now() - tDns; });
      },
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), null),
    );
  };
  return connect;
}

export function createHttpClient(ctx: Omit<CollectContext, 'agent'>, opts: ClientOptions = {}): HttpClient {
  const agent = new Agent({
    connect: createConnector(ctx, opts),
    headersTimeout: ctx.timeoutMs,
    bodyTimeout: ctx.timeoutMs,
    keepAliveTimeout: 2000,
    keepAliveMaxTimeout: 5000,
    // Few sockets per origin: an audit walks a handful of chains, it does not load-test. Bodies are capped by the
    // fetch's reader, which stops early instead of failing the request.
    connections: opts.connections ?? 8,
  });
  // runAudit aborts the signal when the run ends: close every socket then, so the process can exit. A client closed
  // earlier (one per latency endpoint, per MTA-STS fetch) stops listening, so long runs do not pile up listeners.
  const stopWaiting = onAbort(ctx.signal, () => { void agent.destroy().catch(() => {}); });
  return wrap(agent, stopWaiting);
}
