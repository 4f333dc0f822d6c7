// Readings of HTTP responses shared by the edge-safety checks: which responses each check judges (redirect hops and
// final pages from http.surfaces, plus the edge collector's own requests), shared cacheability, Set-Cookie, CDN
// cache status, debug and version leaks.
import { deltaSeconds, parseCacheControl } from './cache-control.js';
import type { EdgeFacts, EdgeResponse } from '../facts/edge.js';
import type { HttpSurface } from '../facts/http.js';

/** A response as the header checks see it, wherever it came from. */
export interface SeenResponse {
  host: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  /** Set-Cookie headers one by one. */
  cookies: string[];
  /** Credential headers the request carried. */
  sentCredentials: string[];
  /** The configured endpoint it answered, if any. */
  endpoint?: { name: string; kind: 'read' | 'auth' | 'write'; cacheable?: boolean };
}

const MAX_PARSE = 2048;

/** Statuses a cache may store without explicit freshness (RFC 9110 15.1, "heuristically cacheable"). */
const DEFAULT_CACHEABLE = new Set([200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]);

export type SharedCacheability =
  | { cacheable: false }
  | { cacheable: true; how: 'explicit' | 'default'; why: string };

/**
 * Whether a shared cache (CDN, corporate proxy) may store this answer and serve it to someone else (RFC 9111 3,
 * 3.5). `no-cache` / `max-age=0` count as safe: every reuse is revalidated with the origin.
 */
export function sharedCacheability(r: { status: number; headers: Record<string, string>; sentCredentials: readonly string[] }): SharedCacheability {
  const cc = parseCacheControl(r.headers['cache-control']);
  if (cc.has('no-store') || cc.has('private')) return { cacheable: false };
  const sMaxAge = deltaSeconds(cc.get('s-maxage'));
  const maxAge = deltaSeconds(cc.get('max-age'));
  if (cc.has('public')) return { cacheable: true, how: 'explicit', why: `Cache-Control: ${r.headers['cache-control']}` };
  if (sMaxAge !== undefined && sMaxAge > 0) return { cacheable: true, how: 'explicit', why: `Cache-Control: ${r.headers['cache-control']}` };
  // A request with Authorization is only stored when the response explicitly allows it (RFC 9111 3.5).
  if (r.sentCredentials.includes('authorization')) {
    return cc.has('must-revalidate') && maxAge !== undefined && maxAge > 0
      ? { cacheable: true, how: 'explicit', why: `Cache-Control: ${r.headers['cache-control']} on an authorized request` }
      : { cacheable: false };
  }
  if (cc.has('no-cache') || sMaxAge === 0) return { cacheable: false };
  if (maxAge !== undefined) {
    return maxAge > 0 ? { cacheable: true, how: 'explicit', why: `Cache-Control: ${r.headers['cache-control']}` } : { cacheable: false };
  }
  const expires = r.headers.expires;
  if (expires !== undefined) {
    const t = Date.parse(expires);
    const date = Date.parse(r.headers.date ?? '');
    // Without a Date header the receipt time is unknown here: only an obviously past Expires (the usual 1970 or
    // "0") counts as already stale.
    if (Number.isNaN(t) || t <= (Number.isNaN(date) ? Date.UTC(2000, 0, 1) : date)) return { cacheable: false };
    return { cacheable: true, how: 'explicit', why: `Expires: ${expires}` };
  }
  if (!DEFAULT_CACHEABLE.has(r.status)) return { cacheable: false };
  return {
    cacheable: true, how: 'default',
    why: r.headers['cache-control'] ? `Cache-Control: ${r.headers['cache-control']} sets no freshness limit and no private/no-store` : 'no Cache-Control header',
  };
}

/** Why a response is personal to the requester, or undefined when nothing says so. */
export function personalization(r: SeenResponse): string | undefined {
  if (r.cookies.length > 0) return `it sets the cookie ${cookieName(r.cookies[0]!)}`;
  const vary = (r.headers.vary ?? '').toLowerCase();
  const varied = ['authorization', 'cookie'].find((h) => new RegExp(`(^|[,\\s])${h}($|[,\\s])`).test(vary));
  if (varied) return `it varies by ${varied === 'cookie' ? 'Cookie' : 'Authorization'}`;
  if (r.endpoint?.kind === 'auth') return `it answers the auth endpoint "${r.endpoint.name}"`;
  if (r.sentCredentials.length > 0) return `the request carried ${r.sentCredentials.join(', ')}`;
  return undefined;
}

/** A CDN or proxy cache status saying the answer came from a cache, with the header that says it. */
export function cacheHit(headers: Record<string, string>): string | undefined {
  const checks: [string, RegExp][] = [
    ['cf-cache-status', /^(hit|stale|updating|revalidated)$/i],
    ['x-vercel-cache', /^(hit|stale|prerender)$/i],
    ['x-cache', /\bhit\b/i],
    ['x-cache-status', /\bhit\b/i],
    ['cdn-cache', /\bhit\b/i],
    ['x-proxy-cache', /\bhit\b/i],
    ['cache-status', /\bhit\b/i],
  ];
  for (const [name, re] of checks) {
    const v = headers[name];
    if (v !== undefined && re.test(v.trim())) return `${name}: ${v.slice(0, 80)}`;
  }
  const age = Number.parseInt(headers.age ?? '', 10);
  if (Number.isFinite(age) && age > 0) return `age: ${age}`;
  return undefined;
}

/** Whether any edge cache reported on this answer at all (hit or miss). */
export function hasCacheStatus(headers: Record<string, string>): boolean {
  return ['cf-cache-status', 'x-vercel-cache', 'x-cache', 'x-cache-status', 'cdn-cache', 'x-proxy-cache', 'cache-status', 'age', 'x-nf-cache-status']
    .some((h) => headers[h] !== undefined);
}

export function cookieName(setCookie: string): string {
  return (/^\s*([^=;\s]+)/.exec(setCookie)?.[1] ?? '(unnamed)').slice(0, 64);
}

export interface ParsedCookie {
  name: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: string;
  /** Max-Age<=0 or an Expires in the past: a deletion, not a cookie that lives. */
  deletion: boolean;
}

export function parseSetCookie(raw: string): ParsedCookie {
  const parts = raw.slice(0, MAX_PARSE).split(';').map((p) => p.trim());
  const attrs = new Map<string, string>();
  for (const p of parts.slice(1)) {
    const i = p.indexOf('=');
    attrs.set((i < 0 ? p : p.slice(0, i)).trim().toLowerCase(), i < 0 ? '' : p.slice(i + 1).trim());
  }
  const maxAge = attrs.get('max-age');
  const expires = attrs.get('expires');
  const value = parts[0]!.slice(parts[0]!.indexOf('=') + 1);
  const deletion = (maxAge !== undefined && Number(maxAge) <= 0)
    || (expires !== undefined && Date.parse(expires) < Date.parse('2000-01-01'))
    || value === '' || value === '""';
  const sameSite = attrs.get('samesite');
  return { name: cookieName(raw), secure: attrs.has('secure'), httpOnly: attrs.has('httponly'), deletion, ...(sameSite !== undefined ? { sameSite: sameSite.toLowerCase() } : {}) };
}


/** The Set-Cookie headers joined into one value by the HTTP collector, split back (commas also sit in Expires). */
export function splitJoinedCookies(joined: string | undefined): string[] {
  if (!joined) return [];
  return joined.split(/,\s*(?=[^;=\s,]+=)/).filter((c) => c.trim() !== '');
}

function fromEdge(host: string, r: EdgeResponse | undefined, endpoint?: SeenResponse['endpoint']): SeenResponse[] {
  if (!r || r.status === undefined) return [];
  return [{ host, url: r.url, status: r.status, headers: r.headers, cookies: r.cookies, sentCredentials: r.sentCredentials ?? [], ...(endpoint ? { endpoint } : {}) }];
}

/** Every response seen on the surfaces and endpoints, one per URL (the first seen wins; endpoints first). */
export function allResponses(surfaces: readonly HttpSurface[], edge: EdgeFacts): SeenResponse[] {
  const out: SeenResponse[] = [];
  for (const e of edge.endpoints) {
    const host = hostOf(e.url);
    out.push(...fromEdge(host, e.response, { name: e.name, kind: e.kind, ...(e.cacheable !== undefined ? { cacheable: e.cacheable } : {}) }));
  }
  for (const s of surfaces) {
    for (const chain of [s.https, s.http, s.probe]) {
      for (const hop of chain.hops) {
        if (hop.status === undefined) continue;
        out.push({ host: hostOf(hop.url), url: hop.url, status: hop.status, headers: hop.headers, cookies: splitJoinedCookies(hop.headers['set-cookie']), sentCredentials: [] });
      }
    }
  }
  for (const s of edge.surfaces) out.push(...fromEdge(s.host, s.cors), ...fromEdge(s.host, s.notFound));
  const seen = new Set<string>();
  return out.filter((r) => {
    const key = `${r.url} ${r.endpoint?.name ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

/** The final HTML pages of the surfaces (each URL once), with the headers they came with. */
export function htmlPages(surfaces: readonly HttpSurface[]): { host: string; url: string; headers: Record<string, string>; html: string }[] {
  const out: { host: string; url: string; headers: Record<string, string>; html: string }[] = [];
  const seen = new Set<string>();
  for (const s of surfaces) {
    for (const chain of [s.https, s.http]) {
      if (chain.outcome !== 'final' || !chain.finalUrl || chain.finalStatus === undefined || chain.finalStatus >= 400) continue;
      const last = chain.hops[chain.hops.length - 1]!;
      if (!/text\/html|application\/xhtml/i.test(last.headers['content-type'] ?? '')) continue;
      if (seen.has(chain.finalUrl)) continue;
      seen.add(chain.finalUrl);
      out.push({ host: hostOf(chain.finalUrl), url: chain.finalUrl, headers: last.headers, html: chain.html ?? '' });
    }
  }
  return out;
}

/** Stack traces and framework debug pages, by what gives them away (untrusted body: only its start is kept). */
const LEAKS: [RegExp, string][] = [
  [/\n\s+at (?:[\w$.<>[\] ]+ \()?(?:\/|[A-Za-z]:\\|file:|node:)[^\n]*:\d+:\d+\)?/, 'a Node.js stack trace'],
  [/Traceback \(most recent call last\)/, 'a Python traceback'],
  [/You're seeing this error because you have <code>DEBUG = True<\/code>|Django Version:/, 'the Django debug page'],
  [/Action Controller: Exception caught|<h2 style="[^"]*">Application Trace<\/h2>|ActiveRecord::[A-Za-z]+Error/, 'the Rails exception page'],
  [/Whoops! There was an error|Ignition|laravel\/framework/i, 'the Laravel debug page'],
  [/Server Error in '\/' Application|ASP\.NET is configured to show verbose error messages/, 'the ASP.NET error page'],
  [/\n\s*at [\w$.]+\([\w$]+\.(?:java|kt|scala):\d+\)/, 'a JVM stack trace'],
  [/(?:Fatal error|Warning|Parse error)<\/b>:.* in <b>\/[^<]+<\/b> on line <b>\d+/, 'a PHP error with file paths'],
  [/goroutine \d+ \[running\]:/, 'a Go panic trace'],
  [/Werkzeug Debugger|__debugger__/, 'the Werkzeug debugger'],
  [/<title>Error<\/title>[\s\S]*<pre>[\s\S]*\bat [\w$.]+ \(/, 'an Express error page with a stack'],
];

/** What debug output a body leaks, if any. */
export function debugLeak(body: string | undefined): string | undefined {
  if (!body) return undefined;
  const text = body.slice(0, 8192);
  return LEAKS.find(([re]) => re.test(text))?.[1];
}

/** Software versions a body or headers give away (a health answer should say up or down, not what runs). */
export function versionLeak(body: string | undefined, headers: Record<string, string>): string | undefined {
  const text = (body ?? '').slice(0, 8192);
  const m = /"(?:version|node_?version|nodeVersion|commit|git_?sha|build)"\s*:\s*"([^"]{1,40})"/i.exec(text)
    ?? /\b((?:node|express|php|python|django|rails|ruby|nginx|apache|postgres(?:ql)?|mysql|redis)[/ ]v?\d+\.\d+(?:\.\d+)?)/i.exec(text);
  if (m) return m[0].slice(0, 60);
  for (const h of ['x-powered-by', 'server']) {
    const v = headers[h];
    if (v && /\d+\.\d+/.test(v)) return `${h}: ${v.slice(0, 60)}`;
  }
  return undefined;
}
