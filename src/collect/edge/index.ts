// The edge-safety collector: per surface a random-path baseline, a cross-origin request, well-known exposed files,
// the home page's same-origin assets, and the source maps of its same-site scripts; per configured endpoint its
// response and a cross-origin twin; the opt-in auth rate-limit probe. Every request is bounded in count, size and time and goes through the
// run's HTTP client (our resolver, --connect-to, the loopback guard). Failures become values, never exceptions.
import { createHash, randomBytes } from 'node:crypto';
import type { TargetFacts } from '../../facts/index.js';
import type { BundleSecret, EdgeEndpoint, EdgeFacts, EdgeResponse, EdgeSurface, ExposedKind, ExposedProbe, RateLimitProbe, ScriptSourceMap, SourceMapSecret } from '../../facts/edge.js';
import { siteOf } from '../../derive/dns.js';
import { pageScripts } from '../../derive/html.js';
import { decodeDataUrl, isVendorSource, parseSourceMap, sourceMapReference, type SourceText } from '../../derive/source-map.js';
import { ENDPOINT_REQUEST, type TargetEndpoint } from '../../facts/latency.js';
import type { CollectContext } from '../context.js';
import { isDestinationError, resolveDestination } from '../http/destination.js';
import { httpFetch, isFetchFailure, runClient, type HttpClient } from '../http/fetch.js';
import { Limiter } from '../limit.js';
import { isLoopback } from '../net.js';
import { SecretScanner } from '../../secrets/engine.js';
import { maskSecret } from '../../redact.js';

/** Well-known files and pages that must never be served; what a real one looks like is judged by the check. */
export const EXPOSED_PATHS: readonly { path: string; kind: ExposedKind }[] = [
  { path: '/.env', kind: 'env' },
  { path: '/.env.production', kind: 'env' },
  { path: '/.git/config', kind: 'git-config' },
  { path: '/.git/HEAD', kind: 'git-head' },
  { path: '/.DS_Store', kind: 'ds-store' },
  { path: '/config.json', kind: 'config-json' },
  { path: '/backup.sql', kind: 'sql-dump' },
  { path: '/dump.sql', kind: 'sql-dump' },
  { path: '/backup.zip', kind: 'archive' },
  { path: '/backup.tar.gz', kind: 'archive' },
  { path: '/server-status', kind: 'server-status' },
  { path: '/phpinfo.php', kind: 'phpinfo' },
  { path: '/actuator/env', kind: 'actuator' },
  { path: '/debug/pprof/', kind: 'debug-page' },
  { path: '/_profiler/', kind: 'debug-page' },
  { path: '/phpmyadmin/', kind: 'admin-page' },
  { path: '/admin/login/', kind: 'admin-page' },
];

/** A CORS preflight from the foreign origin for `method` with credentials: what a hostile page's fetch() would ask. */
function preflight(ctx: CollectContext, agent: HttpClient, url: string, method: string): Promise<EdgeResponse> {
  return fetchEdge(ctx, agent, url, {
    method: 'OPTIONS',
    headers: { origin: FOREIGN_ORIGIN, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' },
  });
}

/** Same-origin scripts and stylesheets fetched per surface. */
export const MAX_ASSETS = 6;
/** Same-site scripts per surface whose source map is looked for, and how many are worked on at once. */
export const MAX_SOURCE_MAPS = 12;
const MAP_PARALLEL = 3;
/** Source maps are read up to this; a longer one is judged on the part read. */
export const MAP_CAP = 8 * 1024 * 1024;
/** Original sources of one map scanned for secrets, at most this many characters in all. */
const MAP_SCAN_CAP = 8 * 1024 * 1024;
/** Requests of the auth rate-limit probe, at most. */
export const RATE_LIMIT_MAX = 30;
/** The foreign origin sent in cross-origin requests (.invalid never resolves: nobody can own it). */
export const FOREIGN_ORIGIN = 'https://launch-ready-cors-probe.invalid';

/** Scripts are read whole up to this for the secrets scan (bundles are big; a key hides anywhere in them). */
export const SCRIPT_CAP = 4 * 1024 * 1024;
const BODY_KEEP = 4096;
const BODY_CAP = 64 * 1024;
const HTML_CAP = 256 * 1024;
const CREDENTIAL_HEADERS = /^(authorization|cookie|x-api-key|proxy-authorization)$/i;

interface Req {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  cap?: number;
  keep?: number;
  /** Keep the body unmasked (a script kept only until the secrets scan has run, then cut). */
  raw?: boolean;
}

/** One request, never followed, body read up to the cap. */
export async function fetchEdge(ctx: CollectContext, agent: HttpClient, href: string, req: Req = {}): Promise<EdgeResponse> {
  const method = req.method ?? 'GET';
  const sentCredentials = Object.keys(req.headers ?? {}).filter((h) => CREDENTIAL_HEADERS.test(h)).map((h) => h.toLowerCase());
  const base: EdgeResponse = {
    url: href, method, headers: {}, cookies: [], bodyBytes: 0, bodyTruncated: false,
    ...(sentCredentials.length ? { sentCredentials } : {}),
  };
  const r = await httpFetch(ctx, {
    url: href, method, headers: { accept: '*/*', ...req.headers }, ...(req.body !== undefined ? { body: req.body } : {}),
    read: { maxBytes: req.cap ?? BODY_CAP }, client: agent, slot: true,
  });
  if (isFetchFailure(r)) return { ...base, error: r.error.message };
  const kept = r.body.subarray(0, req.keep ?? BODY_KEEP).toString('utf8');
  return {
    ...base, status: r.status, headers: r.headers, cookies: r.cookies,
    body: req.raw ? kept : sanitizeBody(kept),
    bodyBytes: r.bodyBytes, bodyTruncated: r.truncated,
    bodyHash: createHash('sha256').update(r.body).digest('hex').slice(0, 16),
    magic: r.body.subarray(0, 8).toString('hex'),
    ms: Math.round(r.timing.total * 10) / 10,
  };
}

/** Same-origin script and stylesheet URLs of a page, in order, deduplicated. */
export function pageAssets(html: string, pageUrl: string): string[] {
  const out: string[] = [];
  const origin = new URL(pageUrl).origin;
  const add = (ref: string | undefined) => {
    if (!ref) return;
    try {
      const u = new URL(ref.replace(/&amp;/g, '&'), pageUrl);
      if (u.origin === origin && !out.includes(u.href)) out.push(u.href);
    } catch {
      // An unparsable reference is the page's problem, not ours.
    }
  };
  for (const m of html.matchAll(/<script\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]+)/gi)) add(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    if (/\brel\s*=\s*["']?(?:stylesheet|modulepreload)\b/i.test(m[0])) add(/\bhref\s*=\s*["']?([^"'\s>]+)/i.exec(m[0])?.[1]);
  }
  return out;
}

function isScript(url: string): boolean {
  return /\.m?js$/.test(new URL(url).pathname);
}

/**
 * The page's scripts on the same site as the page (another host of the same registrable domain counts: its maps are
 * the product's too), an http:// one as its https:// twin (the same file, and the scheme we may fetch), in order,
 * each once. Scripts of other sites are someone else's: never fetched here.
 */
export function sameSiteScripts(html: string, pageUrl: string): string[] {
  const site = siteOf(new URL(pageUrl).hostname);
  const out: string[] = [];
  for (const s of pageScripts(html, pageUrl)) {
    const u = new URL(s.url);
    if (siteOf(u.hostname) !== site) continue;
    if (u.protocol === 'http:') {
      u.protocol = 'https:';
      if (u.port === '80') u.port = '';
    }
    if (!out.includes(u.href)) out.push(u.href);
  }
  return out;
}

/** Secrets the secrets rules find in a map's original sources (the product's own files; masked). */
export function scanSources(contents: readonly SourceText[]): SourceMapSecret[] {
  scanner ??= new SecretScanner();
  const out: SourceMapSecret[] = [];
  let budget = MAP_SCAN_CAP;
  for (const c of contents) {
    if (budget <= 0 || out.length >= 20) break;
    if (isVendorSource(c.source)) continue;
    const text = c.content.slice(0, budget);
    budget -= text.length;
    // The map's name for the file (webpack://app/src/x.ts) as a repository path, so test files stay quiet as in a scan.
    const path = c.source.replace(/^[a-z][a-z0-9+.-]*:\/\/+[^/]*\//i, '').replace(/^(?:\.\.?\/)+/, '');
    for (const h of scanner.scan(text, path)) {
      if (h.allowed || h.publicByDesign) continue;
      out.push({ source: c.source.slice(0, 200), line: h.line, ruleId: h.rule.id, description: h.rule.description, severity: h.severity, masked: h.masked, secretId: h.secretId });
    }
  }
  return out.slice(0, 20);
}

/** A fetched script as the map search needs it: the status, headers and the body (unmasked, in memory only). */
export interface FetchedScript {
  status?: number;
  headers: Record<string, string>;
  body?: string;
  error?: string;
}

/**
 * One same-site script's source map: the script (already fetched as an asset, or fetched now), its map reference,
 * then the map itself, read and scanned here so that only counts and masked matches reach the facts.
 */
async function scriptSourceMap(ctx: CollectContext, agent: HttpClient, scriptUrl: string, site: string, fetched?: FetchedScript): Promise<ScriptSourceMap> {
  const script = fetched ?? await fetchEdge(ctx, agent, scriptUrl, { cap: SCRIPT_CAP, keep: SCRIPT_CAP, raw: true });
  const base = { script: scriptUrl, secrets: [] as SourceMapSecret[] };
  if (script.status === undefined || script.status >= 300) {
    return { ...base, via: 'guess', url: scriptUrl, inline: false, outcome: 'no-script', ...(script.status !== undefined ? { status: script.status } : {}), ...(script.error ? { error: script.error } : {}) };
  }
  const ref = sourceMapReference(scriptUrl, script.headers, script.body ?? '');
  if (ref.inline) {
    const decoded = decodeDataUrl(ref.url);
    if (!decoded) return { ...base, via: ref.via, url: scriptUrl, inline: true, outcome: 'not-json' };
    return judged({ ...base, via: ref.via, url: scriptUrl, inline: true, bytes: decoded.text.length, truncated: decoded.truncated }, decoded.text, decoded.truncated);
  }
  const entry = { ...base, via: ref.via, url: ref.url.slice(0, 500), inline: false };
  if (siteOf(new URL(ref.url).hostname) !== site) return { ...entry, outcome: 'other-site' };
  const r = await httpFetch(ctx, { url: ref.url, headers: { accept: 'application/json, */*;q=0.5' }, read: { maxBytes: MAP_CAP }, client: agent, slot: true });
  if (isFetchFailure(r)) return { ...entry, outcome: 'error', error: r.error.message };
  const status = { ...entry, status: r.status, bytes: r.bodyBytes, truncated: r.truncated };
  if (r.status < 200 || r.status >= 300) return { ...status, outcome: 'not-found' };
  return judged(status, r.body.toString('utf8'), r.truncated);
}

function judged(entry: Omit<ScriptSourceMap, 'outcome'>, text: string, truncated: boolean): ScriptSourceMap {
  const parsed = parseSourceMap(text, truncated);
  if (!parsed.map) return { ...entry, outcome: parsed.reason };
  return { ...entry, outcome: 'map', map: parsed.info, secrets: scanSources(parsed.contents) };
}

/** The source maps of the page's same-site scripts, bounded in count and parallelism. */
async function collectSourceMaps(ctx: CollectContext, agent: HttpClient, html: string, pageUrl: string, fetched: ReadonlyMap<string, FetchedScript>): Promise<ScriptSourceMap[]> {
  const site = siteOf(new URL(pageUrl).hostname);
  const scripts = sameSiteScripts(html, pageUrl).slice(0, MAX_SOURCE_MAPS);
  const limit = new Limiter(MAP_PARALLEL);
  return Promise.all(scripts.map((u) => limit.run(() => scriptSourceMap(ctx, agent, u, site, fetched.get(u)))));
}

let scanner: SecretScanner | undefined;

/**
 * A served bundle scanned with the secrets rules. Scanned as build output: the broad generic rules stay quiet there
 * (minified code is full of token-like strings); the specific ones (live API keys, private keys) still fire.
 */
export function scanBundle(url: string, text: string): BundleSecret[] {
  scanner ??= new SecretScanner();
  return scanner.scan(text, `dist${new URL(url).pathname}`)
    .filter((h) => !h.allowed && !h.publicByDesign)
    .slice(0, 20)
    .map((h) => ({
      url, ruleId: h.rule.id, description: h.rule.description, severity: h.rule.severity,
      masked: h.masked, secretId: h.secretId, line: h.line, evidence: h.evidence,
    }));
}

/**
 * What the facts keep of a body (facts can be saved to disk with --save-facts): every value the secrets rules
 * recognise, and every value of an env-style `KEY=value` line, masked. Names and structure stay for the checks.
 */
export function sanitizeBody(text: string): string {
  scanner ??= new SecretScanner();
  let out = text;
  const hits = scanner.scan(text, 'response.txt').sort((a, b) => b.index - a.index);
  for (const h of hits) out = `${out.slice(0, h.index)}${h.masked}${out.slice(h.index + h.length)}`;
  return out.replace(/^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=\s*)(.+)$/gm, (_, key: string, value: string) => `${key}${value.includes('[redacted') ? value : maskSecret(value.trim())}`);
}

function randomPath(): string {
  return `/launch-ready-${randomBytes(6).toString('hex')}`;
}

async function collectSurface(ctx: CollectContext, agent: HttpClient, host: string, label: string): Promise<EdgeSurface> {
  const surface: EdgeSurface = { host, api: /^api(?:[.-]|$)/.test(label), corsOrigin: FOREIGN_ORIGIN, exposed: [], assets: [], bundleSecrets: [] };
  let origin: string | undefined;
  let notFound: EdgeResponse | undefined;
  const missing = randomPath();
  for (const scheme of ['https', 'http']) {
    const r = await fetchEdge(ctx, agent, `${scheme}://${host}${missing}`);
    if (!r.error) {
      origin = `${scheme}://${host}`;
      notFound = r;
      break;
    }
    surface.error = r.error;
  }
  if (!origin || !notFound) return surface;
  delete surface.error;
  surface.origin = origin;
  surface.notFound = notFound;
  const cors = await fetchEdge(ctx, agent, `${origin}/`, { headers: { origin: FOREIGN_ORIGIN, accept: 'text/html,application/json,*/*;q=0.8' }, cap: HTML_CAP, keep: HTML_CAP, raw: true });
  surface.cors = cors;
  if (/json/i.test(cors.headers['content-type'] ?? '')) surface.api = true;
  if (surface.api) surface.preflight = await preflight(ctx, agent, `${origin}/`, 'POST');
  const html = /html/i.test(cors.headers['content-type'] ?? '') ? cors.body ?? '' : '';
  // The body was only kept to find the assets: the report needs its start only.
  if (cors.body) cors.body = sanitizeBody(cors.body.slice(0, BODY_KEEP));
  const assetUrls = html ? pageAssets(html, `${origin}/`).slice(0, MAX_ASSETS) : [];
  const [exposed, assets] = await Promise.all([
    Promise.all(EXPOSED_PATHS.map(async (p): Promise<ExposedProbe> => ({ ...p, response: await fetchEdge(ctx, agent, `${origin}${p.path}`) }))),
    Promise.all(assetUrls.map((u) => fetchEdge(ctx, agent, u, isScript(u) ? { cap: SCRIPT_CAP, keep: SCRIPT_CAP, raw: true } : { keep: 512 }))),
  ]);
  surface.exposed = exposed;
  // Scripts already fetched as assets (same cap) are not fetched again for their maps.
  const fetched = new Map<string, FetchedScript>(assets.filter((a) => isScript(a.url)).map((a) => [a.url, { ...a }]));
  surface.sourceMaps = html ? await collectSourceMaps(ctx, agent, html, `${origin}/`, fetched) : [];
  for (const a of assets) {
    if (isScript(a.url) && a.status !== undefined && a.status < 300 && a.body) surface.bundleSecrets.push(...scanBundle(a.url, a.body));
    if (a.body) a.body = sanitizeBody(a.body.slice(0, 512));
  }
  surface.assets = assets;
  return surface;
}

const HEALTH = /(?:^|[/_.-])(?:health|healthz|healthcheck|ready|readyz|live|livez|ping|status)(?:$|[/_.?-])/i;

export function isHealthEndpoint(e: { name: string; url: string }): boolean {
  let path = '';
  try {
    path = new URL(e.url).pathname;
  } catch {
    // The config schema already requires a URL.
  }
  return HEALTH.test(e.name) || HEALTH.test(path);
}

/** The configured body with every credential-looking field replaced: the probe must never log anyone in. */
export function invalidCredentialsBody(body: string | undefined, contentType: string | undefined): { body: string; contentType: string } {
  const bogus = `launch-ready-invalid-${randomBytes(4).toString('hex')}`;
  const secretKey = /pass|pwd|otp|code|token|secret|pin|answer/i;
  if (body !== undefined) {
    try {
      const parsed = JSON.parse(body) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(parsed)) out[k] = secretKey.test(k) ? bogus : v;
        return { body: JSON.stringify(out), contentType: 'application/json' };
      }
    } catch {
      // Not JSON: try a form below.
    }
    if (/^[^=&\s]+=[^&]*(?:&[^=&\s]+=[^&]*)*$/.test(body)) {
      const form = new URLSearchParams(body);
      for (const k of [...form.keys()]) if (secretKey.test(k)) form.set(k, bogus);
      return { body: form.toString(), contentType: contentType ?? 'application/x-www-form-urlencoded' };
    }
  }
  return { body: JSON.stringify({ email: 'launch-ready-probe@example.invalid', password: bogus }), contentType: 'application/json' };
}

function limitSignal(r: EdgeResponse): string | undefined {
  if (r.status === 429) return '429';
  if (r.headers['retry-after'] !== undefined) return 'retry-after';
  for (const h of ['ratelimit-remaining', 'x-ratelimit-remaining']) {
    const v = r.headers[h];
    if (v !== undefined && /^\s*0\s*$/.test(v)) return `${h}: 0`;
  }
  const combined = r.headers.ratelimit;
  if (combined && /\br\s*=\s*0\b/.test(combined)) return 'ratelimit: r=0';
  return undefined;
}

function advertisedLimit(r: EdgeResponse): number | undefined {
  for (const h of ['ratelimit-limit', 'x-ratelimit-limit']) {
    const n = Number.parseInt(r.headers[h] ?? '', 10);
    if (Number.isFinite(n)) return n;
  }
  return undefined;
}

/**
 * The gate of every opt-in probe (rate limits, retried writes): why it may not send to `href`, if it may not. The
 * probe is load, or writes, on someone's system: it needs the same confirmation as a load test. Judged on where the
 * bytes would go (a --connect-to target), or on the host's own addresses when the guard already refused them.
 */
export async function probeRefusal(ctx: CollectContext, href: string, confirmed: readonly string[]): Promise<{ skipped: string } | { error: string } | undefined> {
  const url = new URL(href);
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const dest = await resolveDestination(ctx, url.hostname, port);
  const host = url.hostname.toLowerCase();
  const addresses = isDestinationError(dest) ? dest.hostAddresses : [dest.address];
  if (addresses.some((a) => !isLoopback(a)) && !confirmed.includes(host)) return { skipped: `${host} is not loopback and not listed in load.confirm` };
  if (isDestinationError(dest)) return { error: dest.message };
  return undefined;
}

/** Sequential requests with invalid credentials until the first limited answer, at most `max`. */
export async function probeRateLimit(ctx: CollectContext, agent: HttpClient, e: TargetEndpoint, confirmed: readonly string[], max = RATE_LIMIT_MAX): Promise<{ probe: RateLimitProbe; first?: EdgeResponse }> {
  const probe: RateLimitProbe = { sent: 0, max, limitedAt: null, statuses: [] };
  const refused = await probeRefusal(ctx, e.url, confirmed);
  if (refused) return { probe: { ...probe, ...refused } };
  const configured = e[ENDPOINT_REQUEST];
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(configured?.headers ?? {})) if (!CREDENTIAL_HEADERS.test(k)) headers[k.toLowerCase()] = v;
  const method = e.method === 'GET' || e.method === 'HEAD' ? 'POST' : e.method;
  const payload = invalidCredentialsBody(configured?.body, headers['content-type']);
  headers['content-type'] = payload.contentType;
  let first: EdgeResponse | undefined;
  for (let i = 1; i <= max; i++) {
    if (ctx.signal.aborted) break;
    const r = await fetchEdge(ctx, agent, e.url, { method, headers, body: payload.body, cap: 16 * 1024, keep: 512 });
    first ??= r;
    if (r.error) return { probe: { ...probe, error: r.error }, first };
    probe.sent = i;
    probe.statuses.push(r.status!);
    const adv = advertisedLimit(r);
    if (adv !== undefined && probe.advertisedLimit === undefined) probe.advertisedLimit = adv;
    const signal = limitSignal(r);
    if (signal) {
      probe.limitedAt = i;
      probe.signal = signal;
      break;
    }
  }
  return { probe, ...(first ? { first } : {}) };
}

async function collectEndpoint(ctx: CollectContext, agent: HttpClient, e: TargetEndpoint, target: TargetFacts): Promise<EdgeEndpoint> {
  const out: EdgeEndpoint = {
    name: e.name, url: e.url, method: e.method, kind: e.kind, budgetP95Ms: e.budgetP95Ms, cacheable: e.cacheable,
    health: isHealthEndpoint(e), corsOrigin: FOREIGN_ORIGIN,
  };
  const configured = e[ENDPOINT_REQUEST];
  // Only safe methods are replayed as configured; a write is never sent outside the opt-in probe.
  if (e.method === 'GET' || e.method === 'HEAD') {
    const req = { method: e.method, headers: { ...configured?.headers } };
    out.response = await fetchEdge(ctx, agent, e.url, req);
    out.cors = await fetchEdge(ctx, agent, e.url, { ...req, headers: { ...req.headers, origin: FOREIGN_ORIGIN } });
  }
  out.preflight = await preflight(ctx, agent, e.url, e.method === 'OPTIONS' ? 'GET' : e.method);
  if (target.rateLimitProbes?.includes(e.name)) {
    const { probe, first } = await probeRateLimit(ctx, agent, e, target.loadConfirm ?? []);
    out.rateLimit = probe;
    if (!out.response && first && !first.error) out.response = first;
  }
  return out;
}

export async function collectEdge(ctx: CollectContext, target: TargetFacts): Promise<EdgeFacts> {
  const agent = await runClient(ctx);
  const [surfaces, endpoints] = await Promise.all([
    Promise.all(target.domains.flatMap((d) => d.hosts.filter((h) => !h.dnsOnly).map((h) => collectSurface(ctx, agent, h.name, h.label)))),
    Promise.all((target.endpoints ?? []).map((e) => collectEndpoint(ctx, agent, e, target))),
  ]);
  return { surfaces, endpoints };
}
