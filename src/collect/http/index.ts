// The HTTP collector: walks redirect chains itself (undici never follows them) from http:// and https:// on every
// surface, hop by hop, with a hop limit, loop detection and cross-host hops, recording status, Location, headers,
// a dns/connect/tls/ttfb/total split per hop, and the final HTML page up to a size cap.
import { maskCookie } from '../../redact.js';
import type { Dispatcher } from 'undici';
import type { TargetFacts } from '../../facts/index.js';
import { PROBE_PATH, PROBE_QUERY, type Hop, type HttpSurface, type RedirectChain } from '../../facts/http.js';
import type { CollectContext } from '../context.js';
import { connectTimings, createAgent, DestinationFailure, type ConnectTiming } from './agent.js';
import { isDestinationError, resolveDestination } from './destination.js';

export const MAX_HOPS = 10;
/** HTML kept for content checks; a page past this is cut and marked truncated. */
export const HTML_CAP = 512 * 1024;
/** Redirect and non-HTML bodies are drained (so the connection can be reused) up to this, then dropped. */
const DRAIN_CAP = 64 * 1024;
const MAX_HEADER_VALUE = 1024;
const MAX_HEADERS = 64;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'Mozilla/5.0 (compatible; launch-ready; +https://github.com/launch-ready)';

const fallbackAgents = new WeakMap<CollectContext, Dispatcher>();

/** The run's agent; a context built without one (a test's) gets one of its own, closed with the run's signal. */
export async function agentFor(ctx: CollectContext): Promise<Dispatcher> {
  if (ctx.agent) return ctx.agent();
  let a = fallbackAgents.get(ctx);
  if (!a) {
    a = createAgent(ctx);
    fallbackAgents.set(ctx, a);
  }
  return a;
}

// Header values are untrusted input: cut them before anything parses them.
function recordHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw).slice(0, MAX_HEADERS)) {
    if (v === undefined) continue;
    const name = k.toLowerCase();
    // Session cookies are credentials: facts (and --save-facts files) keep their names and attributes only.
    const values = (Array.isArray(v) ? v : [v]).map((x) => (name === 'set-cookie' ? maskCookie(x.slice(0, MAX_HEADER_VALUE)) : x));
    out[name] = values.join(', ').slice(0, MAX_HEADER_VALUE);
  }
  return out;
}

function errorKind(err: unknown): NonNullable<Hop['error']>['kind'] {
  if (err instanceof DestinationFailure) return err.kind;
  const e = err as { code?: unknown; name?: string };
  // DOMExceptions (TimeoutError, AbortError) carry a numeric code.
  const code = typeof e.code === 'string' ? e.code : '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return 'reset';
  if (code.startsWith('UND_ERR_') && /TIMEOUT/.test(code)) return 'timeout';
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || code === 'ETIMEDOUT' || code === 'ABORT_ERR') return 'timeout';
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) return 'tls';
  return 'error';
}

function errorText(err: unknown): string {
  const e = err as { code?: unknown; message?: string };
  const msg = (e.message ?? String(err)).split('\n')[0]!;
  return typeof e.code === 'string' && !msg.includes(e.code) ? `${e.code}: ${msg}` : msg;
}

async function readCapped(body: Dispatcher.ResponseData['body'], cap: number): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of body) {
    const b = chunk as Buffer;
    if (size + b.length > cap) {
      chunks.push(b.subarray(0, cap - size));
      truncated = true;
      break;
    }
    chunks.push(b);
    size += b.length;
  }
  if (truncated) body.destroy();
  return { text: Buffer.concat(chunks).toString('utf8'), truncated };
}

interface HopResult {
  hop: Hop;
  html?: { text: string; truncated: boolean };
}

async function requestHop(ctx: CollectContext, agent: Dispatcher, url: URL, dnsMs: number): Promise<HopResult> {
  const timing: ConnectTiming = { dns: 0, connect: 0, tls: 0, opened: false };
  const t0 = performance.now();
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]);
  try {
    const res = await connectTimings.run(timing, () => agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: { 'user-agent': USER_AGENT, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
      signal,
    }));
    const tHeaders = performance.now();
    const headers = recordHeaders(res.headers);
    const hop: Hop = { url: url.href, status: res.statusCode, headers };
    const location = headers.location;
    if (REDIRECTS.has(res.statusCode) && location !== undefined) {
      hop.location = location;
      try {
        const next = new URL(location, url);
        if (next.protocol === 'http:' || next.protocol === 'https:') hop.locationUrl = next.href;
      } catch {
        // Left without locationUrl: the chain ends as bad-location.
      }
    }
    let html: HopResult['html'];
    if (!REDIRECTS.has(res.statusCode) && /text\/html|application\/xhtml/i.test(headers['content-type'] ?? '')) {
      html = await readCapped(res.body, HTML_CAP);
    } else {
      await res.body.dump({ limit: DRAIN_CAP }).catch(() => {});
    }
    const phases = timing.dns + timing.connect + timing.tls;
    hop.timing = {
      dns: round(dnsMs + timing.dns),
      connect: round(timing.connect),
      tls: round(timing.tls),
      ttfb: round(tHeaders - t0 - phases),
      total: round(dnsMs + performance.now() - t0),
      reused: !timing.opened,
    };
    return { hop, ...(html ? { html } : {}) };
  } catch (err) {
    return { hop: { url: url.href, headers: {}, error: { kind: errorKind(err), message: errorText(err) } } };
  }
}

function round(ms: number): number {
  return Math.max(0, Math.round(ms * 10) / 10);
}

/** Follows one chain from `start`: every hop is a separate request; nothing is followed automatically. */
export async function walkChain(ctx: CollectContext, start: string, maxHops = MAX_HOPS): Promise<RedirectChain> {
  const agent = await agentFor(ctx);
  const hops: Hop[] = [];
  const seen = new Set<string>();
  let url = new URL(start);
  for (let i = 0; i < maxHops; i++) {
    seen.add(url.href);
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    // Resolved before taking a limiter slot: DNS takes slots of its own. The agent's connect then hits the cache.
    const dest = await resolveDestination(ctx, url.hostname, port);
    if (isDestinationError(dest)) {
      hops.push({ url: url.href, headers: {}, error: { kind: dest.kind, message: dest.message } });
      return { start, hops, outcome: 'error' };
    }
    const { hop, html } = await ctx.limiter.run(() => requestHop(ctx, agent, url, dest.dnsMs));
    hops.push(hop);
    if (hop.error) return { start, hops, outcome: 'error' };
    if (!REDIRECTS.has(hop.status!)) {
      return {
        start, hops, outcome: 'final', finalUrl: hop.url, finalStatus: hop.status!,
        ...(html ? { html: html.text, htmlTruncated: html.truncated } : {}),
      };
    }
    if (!hop.locationUrl) return { start, hops, outcome: 'bad-location' };
    const next = new URL(hop.locationUrl);
    if (seen.has(next.href)) return { start, hops, outcome: 'loop', finalUrl: next.href };
    url = next;
  }
  return { start, hops, outcome: 'too-many-hops' };
}

export async function collectHttp(ctx: CollectContext, target: TargetFacts): Promise<HttpSurface[]> {
  const jobs = target.domains.flatMap((d) => {
    const canonicalOrigin = `https://${d.canonical === 'www' ? `www.${d.name}` : d.name}`;
    return d.hosts.map(async (h): Promise<HttpSurface> => {
      const [http, https, probe] = await Promise.all([
        walkChain(ctx, `http://${h.name}/`),
        walkChain(ctx, `https://${h.name}/`),
        walkChain(ctx, `http://${h.name}${PROBE_PATH}?${PROBE_QUERY}`),
      ]);
      return { host: h.name, domain: h.domain, label: h.label, declared: h.declared, canonicalOrigin, http, https, probe };
    });
  });
  return Promise.all(jobs);
}
