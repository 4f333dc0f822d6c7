// HTTPS responses carry Strict-Transport-Security with a long max-age, so browsers never try plain HTTP again.
import type { HttpSurface } from '../../facts/http.js';
import { inconclusive } from '../../derive/redirects.js';
import { defineCheck } from '../define.js';

const HALF_YEAR_S = 180 * 86_400;
const YEAR_S = 365 * 86_400;

export interface Hsts {
  maxAge: number | null;
  includeSubDomains: boolean;
  preload: boolean;
}

/** Parses the first Strict-Transport-Security value (RFC 6797 §6.1); a value without a valid max-age gives null. */
export function parseHsts(value: string): Hsts {
  const first = value.slice(0, 512).split(',')[0] ?? '';
  let maxAge: number | null = null;
  let includeSubDomains = false;
  let preload = false;
  for (const part of first.split(';')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    const key = (k ?? '').toLowerCase();
    if (key === 'max-age' && v !== undefined && /^"?\d{1,12}"?$/.test(v)) maxAge = Number(v.replace(/"/g, ''));
    if (key === 'includesubdomains') includeSubDomains = true;
    if (key === 'preload') preload = true;
  }
  return { maxAge, includeSubDomains, preload };
}

export function humanDuration(seconds: number): string {
  if (seconds < 3600) return `${Math.round(seconds / 60)} minutes`;
  if (seconds < 2 * 86_400) return `${Math.round(seconds / 3600)} hours`;
  return `${Math.floor(seconds / 86_400)} days`;
}

function firstHttpsResponse(s: HttpSurface) {
  const hop = s.https.hops[0];
  return hop && hop.status !== undefined && hop.url.startsWith('https:') ? hop : undefined;
}

export default defineCheck({
  id: 'hsts-policy',
  area: 'tls',
  severity: 'medium',
  impact: 'data-exposure',
  title: 'HTTPS responses set HSTS for at least 180 days',
  description:
    'Without HSTS, the first request a browser makes (a typed "example.com", an old http:// link) goes out in clear text and can be intercepted on public Wi-Fi to steal sessions or inject content (SSL stripping).',
  remediation:
    'Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` on every HTTPS response (including redirects), once every subdomain serves HTTPS; consider hstspreload.org afterwards.',
  references: ['https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Strict-Transport-Security', 'https://www.rfc-editor.org/rfc/rfc6797', 'https://hstspreload.org/'],
  requires: ['http.surfaces'],
  // Browsers ignore HSTS received over a certificate they do not trust: the value is not judged there.
  optional: ['tls.endpoints'],
  messages: {
    missing: { message: 'https://{host}/ sends no Strict-Transport-Security header.' },
    invalid: { message: 'https://{host}/ sends a Strict-Transport-Security header without a valid max-age ("{value}"): browsers ignore it.' },
    repeated: { message: 'https://{host}/ sends Strict-Transport-Security more than once ("{value}"): browsers ignore the policy.' },
    short: { message: 'https://{host}/ sets HSTS max-age={maxAge} ({duration}); at least 180 days is needed.' },
    'below-year': {
      message: 'https://{host}/ sets HSTS max-age={maxAge} ({duration}); a year or more is recommended (and required for preloading).',
      severity: 'low',
    },
    'no-include-subdomains': {
      message: 'The HSTS policy of {host} does not include subdomains: a forgotten http:// subdomain can still set cookies for the domain.',
      severity: 'info',
      whatBreaks: 'Subdomains stay reachable over plain HTTP, which weakens the policy (cookie injection from a subdomain).',
    },
  },
  run(facts, ctx) {
    const surfaces = facts['http.surfaces'];
    const seen: Record<string, string> = {};
    for (const s of surfaces) {
      const trust = facts['tls.endpoints']?.find((e) => e.host === s.host)?.trust;
      if (trust && trust.status !== 'trusted') {
        seen[s.host] = `not judged: the certificate is not trusted (${trust.status}), so browsers ignore HSTS`;
        continue;
      }
      const hop = firstHttpsResponse(s);
      if (!hop) {
        const why = s.https.hops.length === 1 ? inconclusive(s.https) : undefined;
        if (why) ctx.unknown(why);
        continue;
      }
      const loc = { host: s.host, url: hop.url };
      const value = hop.headers['strict-transport-security'];
      seen[s.host] = value ?? '(none)';
      if (value === undefined) {
        ctx.report({ code: 'missing', args: { host: s.host }, location: loc });
        continue;
      }
      // Repeated headers arrive joined with ", ", which no valid value contains.
      if (value.includes(',')) {
        ctx.report({ code: 'repeated', args: { host: s.host, value: value.slice(0, 80) }, location: loc, evidence: value.slice(0, 200) });
        continue;
      }
      const h = parseHsts(value);
      if (h.maxAge === null) {
        ctx.report({ code: 'invalid', args: { host: s.host, value: value.slice(0, 80) }, location: loc, evidence: value.slice(0, 200) });
        continue;
      }
      const duration = humanDuration(h.maxAge);
      if (h.maxAge < HALF_YEAR_S) ctx.report({ code: 'short', args: { host: s.host, maxAge: h.maxAge, duration }, location: loc });
      else if (h.maxAge < YEAR_S) ctx.report({ code: 'below-year', args: { host: s.host, maxAge: h.maxAge, duration }, location: loc });
      if (s.label === '@' && !h.includeSubDomains && h.maxAge > 0) ctx.report({ code: 'no-include-subdomains', args: { host: s.host }, location: loc });
    }
    if (Object.keys(seen).length === 0) return ctx.notApplicable('no surface answered over HTTPS (see tls.https-unavailable)');
    ctx.details({ hsts: seen });
  },
});
