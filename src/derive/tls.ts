// Shared reading of TLS endpoints for the TLS checks (pure helpers, no I/O).
import type { CertInfo, ChainTrust, TlsEndpoint } from '../facts/tls.js';

export const DAY_MS = 86_400_000;

/**
 * Whole days from `now` until `then` (epoch ms), negative once `then` has passed, truncated toward zero: the one
 * day count every command uses, so "expired 10 days ago" in an audit is "-10 days left" in map, never -11.
 */
export function daysUntil(then: number, now: number): number {
  return Math.trunc((then - now) / DAY_MS) || 0;
}

/** Endpoints whose handshake completed: the ones certificate checks can judge. Closed ports are https-unavailable's. */
export function handshaken(endpoints: readonly TlsEndpoint[]): TlsEndpoint[] {
  return endpoints.filter((e) => e.status === 'ok' && e.chain.length > 0);
}

/** Leaf and intermediates: what the server vouches for. A self-issued root it also sends is the client's business. */
export function vouched(e: { readonly chain: readonly CertInfo[] }): { cert: CertInfo; role: 'leaf' | 'intermediate' }[] {
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

/**
 * Why a browser refuses the certificate `chain` (leaf first) presented for `host` at `now`, or undefined when it
 * accepts it: the audit's rules in one place (chain trust with --ca as judged by the TLS collector, the leaf's names
 * per RFC 6125, the validity dates of what the server vouches for). Certificate and endpoint monitors both use it.
 */
export function browserRejection(host: string, chain: readonly CertInfo[], trust: ChainTrust | undefined, now: number): string | undefined {
  const leaf = chain[0];
  if (!leaf) return 'no certificate presented';
  if (trust && trust.status !== 'trusted') return `certificate not trusted (${trust.status}): ${trust.detail}`;
  if (leaf.dnsNames.length === 0) return 'certificate names no host (no subjectAltName)';
  if (!leaf.dnsNames.some((n) => nameMatches(n, host))) return `certificate is for ${leaf.dnsNames.slice(0, 4).join(', ')}, not ${host}`;
  for (const { cert, role } of vouched({ chain })) {
    const what = role === 'leaf' ? 'certificate' : 'intermediate certificate';
    const notAfter = Date.parse(cert.notAfter);
    if (notAfter <= now) return `${what} expired ${-daysUntil(notAfter, now)} days ago`;
    if (Date.parse(cert.notBefore) > now) return `${what} not valid before ${cert.notBefore}`;
  }
  return undefined;
}
