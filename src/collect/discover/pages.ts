// Hosts the audited pages link to or load: each host's start page (https, else http) and its redirect chain, read
// for href/src/action/srcset, CSP sources (header, report-only, <meta>), CORS origins, Link headers and redirect
// Locations. Only names under an audited domain (same registrable domain) count; the walk never leaves them.
import { getDomain } from 'tldts';
import { MAX_CSP, parsePolicy } from '../../derive/csp.js';
import { metaPolicies, MAX_HTML, pageReferences } from '../../derive/html.js';
import type { CollectContext } from '../context.js';
import { httpFetch, isFetchFailure, REDIRECT_STATUSES } from '../http/fetch.js';
import type { Candidate } from './dns-data.js';
import { resolves } from './resolves.js';

/** Redirect hops followed from each start page, at most. */
export const MAX_HOPS = 5;
/** Body bytes read per page, at most (the HTML reader reads no further either). */
export const PAGE_BYTES = 256 * 1024;
/** Names taken from one page, at most. */
export const MAX_NAMES_PER_PAGE = 500;

/** What one answer of a walk gave: where it came from, its headers, its Location and, for a page, its markup. */
export interface PageAnswer {
  url: string;
  headers: Readonly<Record<string, string>>;
  /** The Location of a redirect, resolved against `url`. */
  location?: string;
  body?: string;
}

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

/** A lower-case host name, or undefined for IP literals, wildcards and anything that is not a name. */
export function hostName(raw: string): string | undefined {
  const name = raw.trim().toLowerCase().replace(/\.$/, '');
  return HOSTNAME.test(name) && !/^[0-9.]+$/.test(name) ? name : undefined;
}

function hostOfUrl(url: string, base?: string): string | undefined {
  try {
    const u = new URL(url, base);
    return u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:' || u.protocol === 'wss:' ? hostName(u.hostname) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Host names in CSP source lists: `https://api.example.com`, `api.example.com:443/path`, `wss://rt.example.com`,
 * report-uri URLs. Keywords, schemes, nonces and hashes name no host; wildcards (`*.example.com`) name no one host.
 */
export function cspHosts(policy: string): string[] {
  const out = new Set<string>();
  for (const sources of parsePolicy(policy).directives.values()) {
    for (const s of sources) {
      if (s.startsWith("'") || s.includes('*') || /^[a-z][a-z0-9+.-]*:$/.test(s)) continue;
      const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/:?#]+)(?::[0-9]+)?(?:[/?#].*)?$/.exec(s);
      const name = m ? hostName(m[1]!) : undefined;
      if (name) out.add(name);
    }
  }
  return [...out];
}

/** Every host name an answer points at, in no particular order and each once (scope is the caller's). */
export function pageHosts(page: PageAnswer): string[] {
  const out = new Set<string>();
  const add = (name: string | undefined) => { if (name && out.size < MAX_NAMES_PER_PAGE) out.add(name); };
  const h = page.headers;
  if (page.location) add(hostOfUrl(page.location));
  // CORS: the one origin allowed ('*' and 'null' name none).
  const acao = h['access-control-allow-origin'];
  if (acao) for (const origin of acao.split(/[\s,]+/)) add(hostOfUrl(origin));
  for (const name of ['content-security-policy', 'content-security-policy-report-only']) {
    for (const p of (h[name] ?? '').slice(0, MAX_CSP).split(',')) for (const host of cspHosts(p)) add(host);
  }
  // Link: <https://cdn.example.com>; rel=preconnect, ...
  for (const [, url] of (h.link ?? '').matchAll(/<([^>]*)>/g)) add(hostOfUrl(url!, page.url));
  if (page.body !== undefined) {
    for (const p of metaPolicies(page.body).csp) for (const host of cspHosts(p)) add(host);
    for (const ref of pageReferences(page.body, page.url)) add(hostOfUrl(ref));
  }
  return [...out];
}

/** The audited domain a name belongs to: under it, with the same registrable domain; undefined for anything else. */
export function auditedDomainOf(name: string, domains: readonly string[]): string | undefined {
  const registrable = getDomain(name, { allowPrivateDomains: true });
  return domains.find((d) => (name === d || name.endsWith(`.${d}`)) && registrable === getDomain(d, { allowPrivateDomains: true }));
}

/** A URL as a finding may show it: no query or fragment (a redirect's may carry a token), no credentials. */
export function pageLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url.slice(0, 200);
  }
}

/** Reads `text/html`-ish bodies of 2xx answers; redirects and anything else only for their headers. */
function readPolicy(head: { status: number; headers: Record<string, string> }) {
  const type = head.headers['content-type'] ?? '';
  const html = head.status >= 200 && head.status < 300 && (type === '' || /html|xml/i.test(type));
  return html ? { maxBytes: Math.min(PAGE_BYTES, MAX_HTML) } : { maxBytes: 0, keep: false };
}

/**
 * Walks each host's start page (https://host/, else http://host/) and its redirects within the audited domains, and
 * returns the names found (with the page each was found on). Each request is deadline-bound by `deadlineMs()`.
 */
export async function pageCandidates(
  ctx: CollectContext, hosts: readonly string[], domains: readonly string[], deadlineMs: () => number, go: () => boolean,
): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const walk = async (host: string) => {
    const seen = new Set<string>();
    let url = `https://${host}/`;
    let fallback = true;
    for (let hop = 0; hop <= MAX_HOPS && go(); hop++) {
      const at = new URL(url);
      // A name that does not resolve is never reached through a --connect-to catch-all.
      if (seen.has(url) || !(await resolves(ctx, at.hostname))) return;
      seen.add(url);
      const timeoutMs = Math.max(1, Math.min(ctx.timeoutMs, deadlineMs()));
      const r = await httpFetch(ctx, { url, read: readPolicy, timeoutMs, slot: true, headerValueCap: MAX_CSP });
      if (isFetchFailure(r)) {
        if (hop === 0 && fallback) { fallback = false; url = `http://${host}/`; hop--; continue; }
        return;
      }
      const answer: PageAnswer = {
        url: r.url, headers: r.headers,
        ...(r.locationUrl ? { location: r.locationUrl } : {}),
        ...(r.body.length ? { body: r.body.toString('utf8') } : {}),
      };
      const from = pageLabel(r.url);
      for (const name of pageHosts(answer)) if (auditedDomainOf(name, domains)) out.push({ name, via: { source: 'page', from } });
      const next = REDIRECT_STATUSES.has(r.status) ? r.locationUrl : undefined;
      const nextHost = next ? hostOfUrl(next) : undefined;
      if (!next || !nextHost || !auditedDomainOf(nextHost, domains)) return;
      url = next;
    }
  };
  await Promise.all(hosts.map(walk));
  return out;
}
