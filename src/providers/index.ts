// Who runs what: DNS hosts from NS names, CDNs and hosting from CNAME targets and response headers, mail providers
// from MX. The one place of provider knowledge (data in the sibling files), read by checks, collectors and `map`.
import { CDNS } from './cdn.js';
import { DNS_HOSTS } from './dns.js';
import { EDGE_PLATFORMS } from './edge.js';
import { HEADER_SIGNS } from './headers.js';
import { HOSTING_PROVIDERS, type HostingProvider } from './hosting.js';
import { MAIL_PROVIDERS } from './mail.js';

export { HOSTING_PROVIDERS, type HostingProvider } from './hosting.js';

export interface ProviderMatch {
  name: string;
  kind: 'dns' | 'cdn' | 'hosting' | 'mail';
  /** What gave it away: the NS/CNAME/MX name or the header. */
  evidence: string;
}

const norm = (n: string) => n.toLowerCase().replace(/\.$/, '');

export function dnsHostOf(nsName: string): ProviderMatch | undefined {
  const n = norm(nsName);
  const hit = DNS_HOSTS.find(([re]) => re.test(n));
  return hit ? { name: hit[1], kind: 'dns', evidence: `NS ${n}` } : undefined;
}

export function mailProviderOf(mxName: string): ProviderMatch | undefined {
  const n = norm(mxName);
  const hit = MAIL_PROVIDERS.find(([re]) => re.test(n));
  return hit ? { name: hit[1], kind: 'mail', evidence: `MX ${n}` } : undefined;
}

/** CDN or hosting from a CNAME target. */
export function providerOfTarget(target: string): ProviderMatch | undefined {
  const n = norm(target);
  const cdn = CDNS.find(([re]) => re.test(n));
  if (cdn) return { name: cdn[1], kind: 'cdn', evidence: `CNAME ${n}` };
  const hosting = hostingProvider(n);
  return hosting ? { name: hosting.provider, kind: 'hosting', evidence: `CNAME ${n}` } : undefined;
}

/** The provider answers at an edge network in front of the origin: a CDN, or a platform with its own edge. */
export function isEdge(m: ProviderMatch): boolean {
  return m.kind === 'cdn' || EDGE_PLATFORMS.has(m.name);
}

export function providersOfHeaders(headers: Record<string, string>): ProviderMatch[] {
  const out: ProviderMatch[] = [];
  for (const [name, value, provider, kind] of HEADER_SIGNS) {
    const v = headers[name];
    if (v === undefined || (value && !value.test(v))) continue;
    if (!out.some((m) => m.name === provider)) out.push({ name: provider, kind, evidence: `${name}: ${v.slice(0, 60)}` });
  }
  return out;
}

/** The provider of the longest matching suffix, so `s3.amazonaws.com` wins over `amazonaws.com`. */
export function hostingProvider(name: string): HostingProvider | undefined {
  const n = norm(name);
  let best: HostingProvider | undefined;
  for (const p of HOSTING_PROVIDERS) {
    if ((n === p.suffix || n.endsWith(`.${p.suffix}`)) && (!best || p.suffix.length > best.suffix.length)) best = p;
  }
  return best;
}
