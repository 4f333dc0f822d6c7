// Shared reading of TLS endpoints for the TLS checks (pure helpers, no I/O).
import type { CertInfo, TlsEndpoint } from '../facts/tls.js';

export const DAY_MS = 86_400_000;

/** Whole days in a span, rounded down (10.5 days is 10): how expiry is counted everywhere, audit and watch alike. */
export function wholeDays(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** Endpoints whose handshake completed: the ones certificate checks can judge. Closed ports are https-unavailable's. */
export function handshaken(endpoints: readonly TlsEndpoint[]): TlsEndpoint[] {
  return endpoints.filter((e) => e.status === 'ok' && e.chain.length > 0);
}

/** Leaf and intermediates: what the server vouches for. A self-issued root it also sends is the client's business. */
export function vouched(e: TlsEndpoint): { cert: CertInfo; role: 'leaf' | 'intermediate' }[] {
  return e.chain.flatMap((cert, i): { cert: CertInfo; role: 'leaf' | 'intermediate' }[] =>
    i === 0 ? [{ cert, role: 'leaf' }] : cert.selfIssued ? [] : [{ cert, role: 'intermediate' }]);
}

export function certName(c: CertInfo): string {
  return c.commonName ?? c.dnsNames[0] ?? c.subject;
}

export function location(e: TlsEndpoint) {
  return { host: e.host, url: `https://${e.host}${e.port === 443 ? '' : `:${e.port}`}/` };
}

/** When nothing could be judged, say why instead of passing silently. */
export function noneJudged(endpoints: readonly TlsEndpoint[]): string | undefined {
  if (handshaken(endpoints).length > 0) return undefined;
  return endpoints.length === 0 ? 'no surface to check' : 'no surface completed a TLS handshake (see tls.https-unavailable)';
}

/** RFC 6125 §6.4: a wildcard is the whole left-most label, matches exactly one label, and never a public suffix. */
export function nameMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!p.includes('*')) return p === h;
  const [first, ...rest] = p.split('.');
  if (first !== '*' || rest.some((l) => l.includes('*')) || rest.length < 2) return false;
  const labels = h.split('.');
  return labels.length === rest.length + 1 && labels[0]!.length > 0 && labels.slice(1).join('.') === rest.join('.');
}

export function isoDay(iso: string): string {
  return iso.slice(0, 10);
}
