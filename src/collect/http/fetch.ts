// The product's one HTTP request (the load generator aside): resolves through the run's DNS and --connect-to, refuses
// forbidden destinations before any packet, bounds each request by a deadline and the run's signal, caps the body it
// reads and marks the cut, follows redirects only when asked, splits timing into phases and masks Set-Cookie values.
// It never throws: a failure is a value with a kind.
import type { Dispatcher } from 'undici';
import { maskCookie } from '../../redact.js';
import { onAbort } from '../abort.js';
import type { CollectContext } from '../context.js';
import { connectTimings, createHttpClient, DestinationFailure, dispatcherOf, type CertificateVerdict, type ConnectTiming, type HttpClient } from './agent.js';
import { isDestinationError, resolveDestination } from './destination.js';

export { createHttpClient, HttpClient, type CertificateVerdict, type ClientOptions } from './agent.js';

/** The one User-Agent every request of the product sends (unless a configured request sets its own). */
export const USER_AGENT = 'Mozilla/5.0 (compatible; launch-ready; +https://github.com/launch-ready)';
/** Body bytes read when a request names no cap. */
export const DEFAULT_BODY_CAP = 64 * 1024;
/** Header values are untrusted input: cut before anything parses them. */
export const MAX_HEADER_VALUE = 1024;
export const MAX_HEADERS = 64;
export const MAX_COOKIES = 32;
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Bodies of redirects followed on the way are drained up to this (so the connection can be reused), then dropped. */
const DRAIN_CAP = 64 * 1024;
const CREDENTIALS = /^(authorization|cookie|proxy-authorization)$/i;

export interface ResponseHead {
  status: number;
  /** As recorded on the response (see FetchRequest.unmaskedHeaders). */
  headers: Record<string, string>;
}

export interface BodyPolicy {
  /** Bytes read at most; past it the body is cut, the connection dropped and the response marked truncated. */
  maxBytes: number;
  /** false: the bytes are counted and dropped (download time still measured). Default true. */
  keep?: boolean;
}

export type RedirectPolicy = 'manual' | { follow: number };

export interface FetchRequest {
  url: string | URL;
  /** Default GET. */
  method?: string;
  /** Sent as given, on top of `user-agent: USER_AGENT` (a configured User-Agent wins, in any letter case). */
  headers?: Record<string, string>;
  body?: string;
  /** How much of the body to read; a function decides once status and headers are known. Default 64 KiB kept. */
  read?: BodyPolicy | ((head: ResponseHead) => BodyPolicy);
  /**
   * 'manual' (default): a 3xx is the answer, with `location`/`locationUrl` set; walking a chain hop by hop is the
   * caller's. `{ follow: n }`: up to n redirects followed, each hop resolved and guarded like the first; a POST
   * turns into a GET on 301/302/303 and credentials are not sent to another origin. Past n: 'too-many-redirects'.
   */
  redirect?: RedirectPolicy;
  /** Deadline of this request (headers and body), ms. Default the run's per-step deadline. */
  timeoutMs?: number;
  /** Default the run's pool. A private one (createHttpClient) gives really cold first requests or judged certificates. */
  client?: HttpClient;
  /** Take one of the run's limiter slots for the exchange (after DNS, which takes slots of its own). Default false. */
  slot?: boolean;
  /** Cut for each recorded header value. Default MAX_HEADER_VALUE. */
  headerValueCap?: number;
  /**
   * Headers exactly as the server sent them (repeated ones joined with ", "), uncut and unmasked: only for values the
   * run uses in memory (a flow carrying a session cookie forward), never for facts.
   */
  unmaskedHeaders?: boolean;
}

/** Milliseconds, unrounded. dns/connect/tls are 0 on a kept-alive connection. */
export interface FetchTiming {
  dns: number;
  connect: number;
  tls: number;
  /** From sending the request (after the connection was ready) to the response headers. */
  ttfb: number;
  download: number;
  total: number;
  /** The request went over a connection opened earlier. */
  reused: boolean;
}

export interface FetchResponse {
  /** The URL that answered (the last hop when redirects were followed). */
  url: string;
  /** URLs that redirected on the way here, in order (empty unless redirects were followed). */
  redirects: string[];
  status: number;
  /** Lower-cased names, repeated headers joined with ", ", at most MAX_HEADERS, values cut, Set-Cookie masked. */
  headers: Record<string, string>;
  /** Each Set-Cookie masked (name and attributes kept), at most MAX_COOKIES. */
  cookies: string[];
  /** The Location header of a 3xx. */
  location?: string;
  /** `location` resolved against the URL, when it is a valid http(s) URL. */
  locationUrl?: string;
  /** The bytes kept (empty when the policy dropped them). */
  body: Buffer;
  /** Bytes read (at most the cap). */
  bodyBytes: number;
  truncated: boolean;
  /** Of the request that answered. */
  timing: FetchTiming;
  /** Set when this request opened a TLS connection on a client with `certificates: 'judge'`. */
  certificate?: CertificateVerdict;
  error?: undefined;
}

export type FetchErrorKind =
  | 'invalid-url' | 'no-address' | 'dns-failure' | 'forbidden' | 'refused' | 'reset' | 'timeout' | 'aborted' | 'tls'
  | 'too-many-redirects' | 'error';

export interface FetchError {
  kind: FetchErrorKind;
  /** One line, at most 200 characters: `no answer within N ms`, `the run's deadline passed`, or the cause and code. */
  message: string;
  /** The system or undici error code, when there was one. */
  code?: string;
}

export interface FetchFailure {
  url: string;
  redirects: string[];
  error: FetchError;
  /** From the call to the failure, DNS included. */
  elapsedMs: number;
  certificate?: CertificateVerdict;
}

export type FetchResult = FetchResponse | FetchFailure;

export function isFetchFailure(r: FetchResult): r is FetchFailure {
  return r.error !== undefined;
}

const runClients = new WeakMap<CollectContext, HttpClient>();

/** The run's pool; a context built without one (a test's) gets one of its own, closed with the run's signal. */
export async function runClient(ctx: CollectContext): Promise<HttpClient> {
  if (ctx.agent) return ctx.agent();
  let c = runClients.get(ctx);
  if (!c) {
    c = createHttpClient(ctx);
    runClients.set(ctx, c);
  }
  return c;
}

/** One request (or a bounded chain of them with `redirect: { follow }`). Never throws. */
export async function httpFetch(ctx: CollectContext, req: FetchRequest): Promise<FetchResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  let url: URL;
  try {
    url = new URL(req.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    // The URL itself may carry a token: it is not repeated in the message.
    return { url: String(req.url), redirects: [], error: { kind: 'invalid-url', message: 'not a valid http(s) URL' }, elapsedMs: 0 };
  }
  const client = req.client ?? await runClient(ctx);
  const follow = typeof req.redirect === 'object' ? Math.max(0, req.redirect.follow) : 0;
  const redirects: string[] = [];
  let method = (req.method ?? 'GET').toUpperCase();
  let body = req.body;
  let headers = withUserAgent(req.headers ?? {});
  for (;;) {
    const more = typeof req.redirect === 'object' && redirects.length < follow;
    const userRead = req.read ?? { maxBytes: DEFAULT_BODY_CAP };
    // A redirect about to be followed is drained whatever the caller asked for its answer.
    const read: OneRequest['read'] = !more ? userRead : (head) => {
      if (REDIRECT_STATUSES.has(head.status) && head.headers.location !== undefined) return { maxBytes: DRAIN_CAP, keep: false };
      return typeof userRead === 'function' ? userRead(head) : userRead;
    };
    const r = await once(ctx, client, url, { ...req, method, headers, body, read }, started);
    if (isFetchFailure(r)) return { ...r, redirects, elapsedMs: elapsed() };
    if (typeof req.redirect !== 'object' || !REDIRECT_STATUSES.has(r.status) || !r.locationUrl) return { ...r, redirects };
    if (!more) {
      return { url: r.url, redirects, error: { kind: 'too-many-redirects', message: `more than ${follow} redirects` }, elapsedMs: elapsed() };
    }
    redirects.push(r.url);
    const next = new URL(r.locationUrl);
    if (r.status === 303 || ((r.status === 301 || r.status === 302) && method === 'POST')) {
      if (method !== 'HEAD') method = 'GET';
      body = undefined;
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !/^content-(type|length)$/i.test(k)));
    }
    // Credentials were given for one origin: a redirect elsewhere must not carry them (as browsers and curl do).
    if (next.origin !== url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIALS.test(k)));
    url = next;
  }
}

function withUserAgent(headers: Record<string, string>): Record<string, string> {
  return Object.keys(headers).some((k) => k.toLowerCase() === 'user-agent') ? { ...headers } : { 'user-agent': USER_AGENT, ...headers };
}

interface OneRequest {
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  read: BodyPolicy | ((head: ResponseHead) => BodyPolicy);
  timeoutMs?: number;
  slot?: boolean;
  headerValueCap?: number;
  unmaskedHeaders?: boolean;
}

async function once(ctx: CollectContext, client: HttpClient, url: URL, req: OneRequest, started: number): Promise<FetchResult> {
  const tResolve = performance.now();
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  // Resolved (and guarded) before any slot or socket: a refused or unknown destination costs no request at all. The
  // connector resolves again when it opens a connection, from the run's cache.
  const dest = await resolveDestination(ctx, url.hostname, port);
  if (isDestinationError(dest)) {
    // A lookup the run's end cut short is the run's deadline, not a DNS failure of the host.
    const error: FetchError = ctx.signal.aborted ? runAborted() : { kind: dest.kind, message: dest.message };
    return { url: url.href, redirects: [], error, elapsedMs: performance.now() - started };
  }
  const resolveMs = performance.now() - tResolve;
  const run = () => exchange(ctx, client, url, req, resolveMs, started);
  return req.slot ? ctx.limiter.run(run) : run();
}

async function exchange(ctx: CollectContext, client: HttpClient, url: URL, req: OneRequest, resolveMs: number, started: number): Promise<FetchResult> {
  const timeoutMs = req.timeoutMs ?? ctx.timeoutMs;
  // Our own controller rather than AbortSignal.any(run, AbortSignal.timeout()): those keep each request's signals
  // reachable until the timeout fires or the run ends, which over a long run (watch) is memory that only grows.
  const controller = new AbortController();
  const deadline = { aborted: false };
  const timer = setTimeout(() => { deadline.aborted = true; controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')); }, timeoutMs);
  const stopWaiting = onAbort(ctx.signal, () => controller.abort(ctx.signal.reason));
  const signal = controller.signal;
  const timing: ConnectTiming = { dns: 0, connect: 0, tls: 0, opened: false };
  return connectTimings.run(timing, async () => {
    const t0 = performance.now();
    try {
      const res = await dispatcherOf(client).request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal,
      });
      const tHeaders = performance.now();
      // Headers are recorded before the body only when the body policy depends on them: the latency samples'
      // download time must not carry our own bookkeeping.
      let early: ReturnType<typeof recordHeaders> | undefined;
      let policy = req.read;
      if (typeof policy === 'function') {
        early = recordHeaders(res.headers, req);
        policy = policy({ status: res.statusCode, headers: early.headers });
      }
      const read = await readCapped(res.body, policy);
      const tEnd = performance.now();
      const { headers, cookies } = early ?? recordHeaders(res.headers, req);
      // The host's resolution counts where a connection was opened for it; a kept-alive one needed none.
      const dns = timing.opened ? resolveMs + timing.dns : 0;
      const setup = timing.opened ? timing.dns + timing.connect + timing.tls : 0;
      const out: FetchResponse = {
        url: url.href, redirects: [], status: res.statusCode, headers, cookies,
        body: read.body, bodyBytes: read.bytes, truncated: read.truncated,
        timing: {
          dns,
          connect: timing.opened ? timing.connect : 0,
          tls: timing.opened ? timing.tls : 0,
          ttfb: Math.max(0, tHeaders - t0 - setup),
          download: tEnd - tHeaders,
          total: (timing.opened ? resolveMs : 0) + tEnd - t0,
          reused: !timing.opened,
        },
        ...(timing.certificate ? { certificate: timing.certificate } : {}),
      };
      const location = headers.location;
      if (REDIRECT_STATUSES.has(res.statusCode) && location !== undefined) {
        out.location = location;
        try {
          const next = new URL(location, url);
          if (next.protocol === 'http:' || next.protocol === 'https:') out.locationUrl = next.href;
        } catch {
          // Left without locationUrl: the caller decides what an unusable Location means.
        }
      }
      return out;
    } catch (err) {
      return {
        url: url.href, redirects: [], error: classify(err, deadline, ctx.signal, timeoutMs), elapsedMs: performance.now() - started,
        ...(timing.certificate ? { certificate: timing.certificate } : {}),
      };
    } finally {
      clearTimeout(timer);
      stopWaiting();
    }
  });
}

function recordHeaders(raw: Record<string, string | string[] | undefined>, req: OneRequest): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  let cookies: string[] = [];
  if (req.unmaskedHeaders) {
    for (const [k, v] of Object.entries(raw)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    return { headers, cookies };
  }
  const cap = req.headerValueCap ?? MAX_HEADER_VALUE;
  for (const [k, v] of Object.entries(raw).slice(0, MAX_HEADERS)) {
    if (v === undefined) continue;
    const name = k.toLowerCase();
    const values = Array.isArray(v) ? v : [v];
    if (name === 'set-cookie') {
      // A cookie's value is a session token: what is recorded keeps its name and attributes only.
      cookies = values.slice(0, MAX_COOKIES).map((c) => maskCookie(c.slice(0, MAX_HEADER_VALUE)));
      headers[name] = cookies.join(', ').slice(0, cap);
      continue;
    }
    headers[name] = values.join(', ').slice(0, cap);
  }
  return { headers, cookies };
}

async function readCapped(body: Dispatcher.ResponseData['body'], policy: BodyPolicy): Promise<{ body: Buffer; bytes: number; truncated: boolean }> {
  const keep = policy.keep !== false;
  const chunks: Buffer[] = [];
  let bytes = 0;
  let truncated = false;
  for await (const chunk of body) {
    const b = chunk as Buffer;
    if (bytes + b.length > policy.maxBytes) {
      if (keep) chunks.push(b.subarray(0, policy.maxBytes - bytes));
      bytes = policy.maxBytes;
      truncated = true;
      break;
    }
    if (keep) chunks.push(b);
    bytes += b.length;
  }
  // Stops the transfer: the rest of a capped body is never downloaded.
  if (truncated) body.destroy();
  return { body: keep ? Buffer.concat(chunks) : Buffer.alloc(0), bytes, truncated };
}

function codeOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  // DOMExceptions (TimeoutError, AbortError) carry a numeric code.
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return undefined;
}

function runAborted(): FetchError {
  return { kind: 'aborted', message: 'the run\'s deadline passed' };
}

function classify(err: unknown, deadline: { aborted: boolean }, run: AbortSignal, timeoutMs: number): FetchError {
  // Whatever step the run's end interrupted (the connector's lookup included), that end is the cause.
  if (run.aborted) return runAborted();
  if (err instanceof DestinationFailure) return { kind: err.kind, message: err.message };
  const code = codeOf(err);
  const withCode = (kind: FetchErrorKind): FetchError => {
    const msg = ((err as Error | undefined)?.message ?? String(err)).split('\n')[0]!;
    const message = (code && !msg.includes(code) ? `${code}: ${msg}` : msg).slice(0, 200);
    return { kind, message, ...(code ? { code } : {}) };
  };
  const c = code ?? '';
  const name = (err as { name?: string } | undefined)?.name;
  const timedOut = deadline.aborted || name === 'TimeoutError' || c === 'ETIMEDOUT' || (c.startsWith('UND_ERR_') && c.includes('TIMEOUT'));
  if (timedOut) return { kind: 'timeout', message: `no answer within ${timeoutMs} ms`, ...(code ? { code } : {}) };
  if (c === 'ECONNREFUSED') return withCode('refused');
  if (c === 'ECONNRESET' || c === 'EPIPE' || c === 'UND_ERR_SOCKET' || c === 'UND_ERR_CLOSED') return withCode('reset');
  if (c.startsWith('ERR_SSL') || c.startsWith('ERR_TLS') || c === 'EPROTO') return withCode('tls');
  return withCode('error');
}
