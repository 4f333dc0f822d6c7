// The edge-safety collector: per surface a random-path baseline, a cross-origin request, well-known exposed files,
// the home page's same-origin assets and their source maps; per configured endpoint its response and a cross-origin
// twin; the opt-in auth rate-limit probe. Every request is bounded in count, size and time and goes through the
// run's HTTP client (our resolver, --connect-to, the loopback guard). Failures become values, never exceptions.
import { createHash, randomBytes } from 'node:crypto';
import type { TargetFacts } from '../../facts/index.js';
import type { BundleSecret, EdgeEndpoint, EdgeFacts, EdgeResponse, EdgeSurface, ExposedKind, ExposedProbe, RateLimitProbe } from '../../facts/edge.js';
import { ENDPOINT_REQUEST, type TargetEndpoint } from '../../facts/latency.js';
import type { CollectContext } from '../context.js';
import { isDestinationError, resolveDestination } from '../http/destination.js';
import { httpFetch, isFetchFailure, runClient, type HttpClient } from '../http/fetch.js';
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

/** Same-origin scripts and stylesheets fetched per surface, and scripts whose .map is tried. */
export const MAX_ASSETS = 6;
export const MAX_SOURCE_MAPS = 3;
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
  const scripts = assetUrls.filter(isScript).slice(0, MAX_SOURCE_MAPS);
  const probes: { path: string; kind: ExposedKind }[] = [
    ...EXPOSED_PATHS,
    ...scripts.map((u) => ({ path: `${new URL(u).pathname}.map`, kind: 'source-map' as const })),
  ];
  const [exposed, assets] = await Promise.all([
    Promise.all(probes.map(async (p): Promise<ExposedProbe> => ({ ...p, response: await fetchEdge(ctx, agent, `${origin}${p.path}`) }))),
    Promise.all(assetUrls.map((u) => fetchEdge(ctx, agent, u, isScript(u) ? { cap: SCRIPT_CAP, keep: SCRIPT_CAP, raw: true } : { keep: 512 }))),
  ]);
  surface.exposed = exposed;
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
