// Fact builders for the headers-area check tests: a known-good product (apex and api behind Cloudflare, strict
// headers, a Secure/HttpOnly/SameSite session cookie on private responses, nothing exposed, a health endpoint and a
// rate-limited login), each case changes one field of it.
import type { HostResolution } from '../../src/facts/dns.js';
import type { EdgeEndpoint, EdgeFacts, EdgeResponse, EdgeSurface, ExposedProbe } from '../../src/facts/edge.js';
import type { FactMap } from '../../src/facts/index.js';
import type { HttpSurface, RedirectChain } from '../../src/facts/http.js';
import { EXPOSED_PATHS, FOREIGN_ORIGIN } from '../../src/collect/edge/index.js';
import { D, hop, NOW } from './edge-facts.js';

export { D, NOW };

export const SECURE_PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'self'; script-src 'self' 'nonce-r4nd0m'; object-src 'none'; frame-ancestors 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cache-control': 'private, no-store',
  'set-cookie': 'session=abc123; Path=/; Secure; HttpOnly; SameSite=Lax',
  'cf-cache-status': 'DYNAMIC',
  'cf-ray': '8a1b2c3d4e5f-AMS',
};

function finalChain(url: string, headers: Record<string, string>, html = '<html><script src="/app.3f9a1c2b.js"></script></html>'): RedirectChain {
  return { start: url, hops: [hop(url, 200, headers)], outcome: 'final', finalUrl: url, finalStatus: 200, html };
}

function redirectChain(from: string, to: string, final: Record<string, string>): RedirectChain {
  return { start: from, hops: [hop(from, 301, { 'cache-control': 'no-store' }, to), hop(to, 200, final)], outcome: 'final', finalUrl: to, finalStatus: 200, html: '' };
}

function surface(label: string, https: RedirectChain, http: RedirectChain, probe: RedirectChain): HttpSurface {
  const host = label === '@' ? D : `${label}.${D}`;
  return { host, domain: D, label, declared: true, canonicalOrigin: `https://${D}`, http, https, probe };
}

export function resp(url: string, status: number, headers: Record<string, string> = {}, extra: Partial<EdgeResponse> = {}): EdgeResponse {
  const cookies = extra.cookies ?? [];
  return { url, method: 'GET', status, headers, cookies, body: '', bodyBytes: 0, bodyTruncated: false, bodyHash: `h-${url}`, magic: '', ms: 20, ...extra };
}

const API_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store', 'cf-ray': '8a1b2c3d4e5f-AMS', 'cf-cache-status': 'DYNAMIC' };

function edgeSurface(host: string, api: boolean): EdgeSurface {
  const origin = `https://${host}`;
  const notFound = resp(`${origin}/launch-ready-0123456789ab`, 404, { 'content-type': 'text/html' }, { body: '<html><h1>Not found</h1></html>', bodyHash: 'nf' });
  const exposed: ExposedProbe[] = EXPOSED_PATHS.map((p) => ({ ...p, response: resp(`${origin}${p.path}`, 404, { 'content-type': 'text/html' }, { body: '<html><h1>Not found</h1></html>', bodyHash: 'nf' }) }));
  return {
    host, origin, api, corsOrigin: FOREIGN_ORIGIN, notFound, exposed, bundleSecrets: [],
    cors: resp(`${origin}/`, 200, api ? { ...API_HEADERS, 'access-control-allow-origin': 'https://shop.test', 'access-control-allow-credentials': 'true', vary: 'Origin' } : { 'content-type': 'text/html', 'cache-control': 'private, no-store' }),
    assets: api ? [] : [resp(`${origin}/app.3f9a1c2b.js`, 200, { 'content-type': 'text/javascript', 'cache-control': 'public, max-age=31536000, immutable', 'cf-cache-status': 'HIT', age: '120' })],
    // The bundle names no map, and the conventional .map next to it is a 404.
    sourceMaps: api ? [] : [{ script: `${origin}/app.3f9a1c2b.js`, via: 'guess', url: `${origin}/app.3f9a1c2b.js.map`, inline: false, outcome: 'not-found', status: 404, bytes: 30, truncated: false, secrets: [] }],
  };
}

function endpoint(name: string, url: string, kind: EdgeEndpoint['kind'], extra: Partial<EdgeEndpoint> = {}): EdgeEndpoint {
  return { name, url, method: 'GET', kind, budgetP95Ms: kind === 'read' ? 300 : 700, cacheable: false, health: false, corsOrigin: FOREIGN_ORIGIN, ...extra };
}

export function edgeSafetyFacts(): FactMap {
  const apex = `https://${D}`;
  const api = `https://api.${D}`;
  const cname = (name: string, target: string): HostResolution => ({
    name, domain: D, label: name === D ? '@' : name.split('.')[0]!, declared: true,
    a: { status: 'ok', addresses: ['127.0.0.1'], chain: [{ name, target, ttl: 300 }], finalName: target },
    aaaa: { status: 'nodata', addresses: [], chain: [{ name, target, ttl: 300 }], finalName: target },
  });
  const edge: EdgeFacts = {
    surfaces: [edgeSurface(D, false), edgeSurface(`api.${D}`, true)],
    endpoints: [
      endpoint('health', `${api}/health`, 'read', { health: true, response: resp(`${api}/health`, 200, { 'content-type': 'application/json', 'cache-control': 'no-store' }, { body: '{"status":"ok"}', ms: 40 }) }),
      endpoint('products', `${api}/products`, 'read', {
        cacheable: true,
        response: resp(`${api}/products`, 200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=60', etag: '"v1"' }),
        cors: resp(`${api}/products`, 200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }),
      }),
      endpoint('me', `${api}/me`, 'read', {
        response: resp(`${api}/me`, 200, { ...API_HEADERS, vary: 'Authorization' }, { sentCredentials: ['authorization'] }),
        cors: resp(`${api}/me?cors`, 200, { ...API_HEADERS, vary: 'Authorization, Origin' }, { sentCredentials: ['authorization'] }),
      }),
      endpoint('login', `${api}/login`, 'auth', {
        method: 'POST',
        response: resp(`${api}/login`, 401, { ...API_HEADERS }, { method: 'POST', body: '{"error":"invalid credentials"}' }),
        rateLimit: { sent: 5, max: 30, limitedAt: 5, signal: '429', statuses: [401, 401, 401, 401, 429] },
      }),
    ],
  };
  return {
    target: { domains: [{ name: D, canonical: 'apex', hosts: [] }], now: NOW, accept: [] },
    'dns.hosts': [cname(D, 'shop.cdn.cloudflare.net'), cname(`api.${D}`, 'api.cdn.cloudflare.net')],
    'http.surfaces': [
      surface('@', finalChain(`${apex}/`, SECURE_PAGE_HEADERS), redirectChain(`http://${D}/`, `${apex}/`, SECURE_PAGE_HEADERS), redirectChain(`http://${D}/launch-ready/path-probe?lr=1`, `${apex}/launch-ready/path-probe?lr=1`, SECURE_PAGE_HEADERS)),
      surface('api', finalChain(`${api}/`, API_HEADERS, ''), redirectChain(`http://api.${D}/`, `${api}/`, API_HEADERS), redirectChain(`http://api.${D}/launch-ready/path-probe?lr=1`, `${api}/launch-ready/path-probe?lr=1`, API_HEADERS)),
    ],
    'edge.http': edge,
  } as unknown as FactMap;
}

export function endpointOf(f: FactMap, name: string): EdgeEndpoint {
  const e = f['edge.http'].endpoints.find((x) => x.name === name);
  if (!e) throw new Error(`no endpoint ${name}`);
  return e;
}

export function edgeSurfaceOf(f: FactMap, host: string): EdgeSurface {
  const s = f['edge.http'].surfaces.find((x) => x.host === host);
  if (!s) throw new Error(`no edge surface ${host}`);
  return s;
}

export function apexPage(f: FactMap): Record<string, string> {
  return f['http.surfaces'][0]!.https.hops[0]!.headers;
}

export function exposedProbe(f: FactMap, host: string, path: string): ExposedProbe {
  const p = edgeSurfaceOf(f, host).exposed.find((x) => x.path === path);
  if (!p) throw new Error(`no probe ${path}`);
  return p;
}
