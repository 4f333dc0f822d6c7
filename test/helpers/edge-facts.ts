// Fact builders for TLS and redirect check tests: a known-good product (apex canonical, www redirecting to it,
// api on its own), each case changes one field of it.
import type { FactMap } from '../../src/facts/index.js';
import type { Hop, HttpSurface, RedirectChain } from '../../src/facts/http.js';
import { PROBE_PATH, PROBE_QUERY } from '../../src/facts/http.js';
import type { CertInfo, TlsEndpoint } from '../../src/facts/tls.js';

export const NOW = '2026-11-29T10:00:00.000Z';
const DAY = 86_400_000;
export const D = 'shop.test';
export const HSTS = { 'strict-transport-security': 'max-age=31536000; includeSubDomains' };

export function daysFromNow(days: number): string {
  return new Date(Date.parse(NOW) + days * DAY).toISOString();
}

export function cert(host: string, extra: Partial<CertInfo> = {}): CertInfo {
  return {
    subject: `CN=${host}`, commonName: host, dnsNames: [host], ipAddresses: [],
    issuer: 'CN=Shop Issuing CA', issuerCommonName: 'Shop Issuing CA',
    notBefore: daysFromNow(-30), notAfter: daysFromNow(60),
    keyType: 'rsa', keyBits: 2048, signatureAlgorithm: 'sha256WithRSAEncryption', serial: '4a01',
    fingerprint256: 'AA:BB', selfIssued: false, isCa: false, ocspUrls: [], caIssuerUrls: [], crlUrls: [], ...extra,
  };
}

export const INTERMEDIATE = cert('Shop Issuing CA', {
  dnsNames: [], subject: 'CN=Shop Issuing CA', issuer: 'CN=Shop Root CA', issuerCommonName: 'Shop Root CA', isCa: true, notAfter: daysFromNow(1000),
});

export function endpoint(label: string, extra: Partial<TlsEndpoint> = {}): TlsEndpoint {
  const host = label === '@' ? D : `${label}.${D}`;
  return {
    host, domain: D, label, declared: true, port: 443, addresses: ['127.0.0.1'], connectedTo: '127.0.0.1:8443',
    status: 'ok', protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384',
    chain: [cert(host), INTERMEDIATE], trust: { status: 'trusted', anchor: 'Shop Root CA' },
    legacy: [{ version: 'TLSv1', status: 'rejected' }, { version: 'TLSv1.1', status: 'rejected' }], elapsedMs: 5, ...extra,
  };
}

export function hop(url: string, status: number, headers: Record<string, string> = {}, location?: string): Hop {
  return {
    url, status, headers: { ...headers, ...(location ? { location } : {}) },
    ...(location ? { location, locationUrl: new URL(location, url).href } : {}),
    timing: { dns: 0, connect: 1, tls: 1, ttfb: 1, total: 3, reused: false },
  };
}

/** A chain through `urls`: every hop but the last a 301 to the next; the last answers `final` (an HTML page). */
export function chain(urls: string[], opts: { final?: number; headers?: Record<string, string>; html?: string; status?: number } = {}): RedirectChain {
  const hops = urls.map((u, i) => {
    const https = u.startsWith('https:');
    const h = https ? { ...HSTS, ...opts.headers } : {};
    return i < urls.length - 1 ? hop(u, opts.status ?? 301, h, urls[i + 1]) : hop(u, opts.final ?? 200, { 'content-type': 'text/html', ...h });
  });
  const last = urls[urls.length - 1]!;
  return { start: urls[0]!, hops, outcome: 'final', finalUrl: last, finalStatus: opts.final ?? 200, ...(opts.html !== undefined ? { html: opts.html } : { html: '<html><script src="/a.js"></script></html>' }) };
}

const P = `${PROBE_PATH}?${PROBE_QUERY}`;

export function surface(label: string, chains: Pick<HttpSurface, 'http' | 'https' | 'probe'>): HttpSurface {
  const host = label === '@' ? D : `${label}.${D}`;
  return { host, domain: D, label, declared: true, canonicalOrigin: `https://${D}`, ...chains };
}

export function edgeFacts(): FactMap {
  const apex = `https://${D}`;
  return {
    target: { domains: [{ name: D, canonical: 'apex', hosts: [] }], now: NOW, accept: [] },
    'tls.endpoints': [endpoint('@'), endpoint('www'), endpoint('api')],
    'http.surfaces': [
      surface('@', { http: chain([`http://${D}/`, `${apex}/`]), https: chain([`${apex}/`]), probe: chain([`http://${D}${P}`, `${apex}${P}`]) }),
      surface('www', {
        http: chain([`http://www.${D}/`, `https://www.${D}/`, `${apex}/`]),
        https: chain([`https://www.${D}/`, `${apex}/`]),
        probe: chain([`http://www.${D}${P}`, `https://www.${D}${P}`, `${apex}${P}`]),
      }),
      surface('api', {
        http: chain([`http://api.${D}/`, `https://api.${D}/`], { html: '' }),
        https: chain([`https://api.${D}/`], { html: '' }),
        probe: chain([`http://api.${D}${P}`, `https://api.${D}${P}`], { final: 404, html: '' }),
      }),
    ],
  } as unknown as FactMap;
}

export function ep(f: FactMap, label: string): TlsEndpoint {
  const e = f['tls.endpoints'].find((x) => x.label === label);
  if (!e) throw new Error(`no endpoint ${label}`);
  return e;
}

export function sf(f: FactMap, label: string): HttpSurface {
  const s = f['http.surfaces'].find((x) => x.label === label);
  if (!s) throw new Error(`no surface ${label}`);
  return s;
}
