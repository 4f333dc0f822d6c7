// Who runs what: DNS hosts from NS names, CDNs and hosting from CNAME targets and response headers, mail providers
// from MX. Pure data and matching, shared by checks, `map` and `handover`.
import { HOSTING_PROVIDERS } from './checks/dns/providers.js';

export interface ProviderMatch {
  name: string;
  kind: 'dns' | 'cdn' | 'hosting' | 'mail';
  /** What gave it away: the NS/CNAME/MX name or the header. */
  evidence: string;
}

const DNS_HOSTS: [RegExp, string][] = [
  [/\.ns\.cloudflare\.com$/, 'Cloudflare DNS'],
  [/awsdns-\d+\./, 'AWS Route 53'],
  [/(googledomains\.com|ns-cloud-[a-z]\d*\.googledomains\.com|\.google\.com)$/, 'Google Cloud DNS'],
  [/azure-dns\./, 'Azure DNS'],
  [/\.digitalocean\.com$/, 'DigitalOcean DNS'],
  [/vercel-dns\.com$/, 'Vercel DNS'],
  [/nsone\.net$/, 'NS1 (Netlify DNS)'],
  [/domaincontrol\.com$/, 'GoDaddy'],
  [/registrar-servers\.com$/, 'Namecheap'],
  [/gandi\.net$/, 'Gandi'],
  [/ovh\.net$/, 'OVHcloud'],
  [/(hetzner\.com|your-server\.de)$/, 'Hetzner DNS'],
  [/dnsimple\.com$/, 'DNSimple'],
  [/(dnsmadeeasy\.com)$/, 'DNS Made Easy'],
  [/(porkbun\.com)$/, 'Porkbun'],
  [/(squarespacedns\.com|googledomains)$/, 'Squarespace Domains'],
];

const CDNS: [RegExp, string][] = [
  [/\.cdn\.cloudflare\.net$/, 'Cloudflare'],
  [/(\.fastly\.net|\.fastlylb\.net)$/, 'Fastly'],
  [/(\.akamaiedge\.net|\.edgekey\.net|\.edgesuite\.net|\.akamaized\.net)$/, 'Akamai'],
  [/\.cloudfront\.net$/, 'AWS CloudFront'],
  [/\.azureedge\.net$|\.azurefd\.net$/, 'Azure Front Door/CDN'],
  [/\.b-cdn\.net$/, 'Bunny CDN'],
];

/** Response headers that name the edge or the platform. */
const HEADER_SIGNS: [string, RegExp | undefined, string, ProviderMatch['kind']][] = [
  ['cf-ray', undefined, 'Cloudflare', 'cdn'],
  ['x-vercel-id', undefined, 'Vercel', 'hosting'],
  ['x-nf-request-id', undefined, 'Netlify', 'hosting'],
  ['fly-request-id', undefined, 'Fly.io', 'hosting'],
  ['x-amz-cf-id', undefined, 'AWS CloudFront', 'cdn'],
  ['x-served-by', /cache-/, 'Fastly', 'cdn'],
  ['x-github-request-id', undefined, 'GitHub Pages', 'hosting'],
  ['x-render-origin-server', undefined, 'Render', 'hosting'],
  ['via', /vegur/, 'Heroku', 'hosting'],
  ['x-railway-request-id', undefined, 'Railway', 'hosting'],
  ['server', /^cloudflare$/i, 'Cloudflare', 'cdn'],
  ['server', /^Netlify$/i, 'Netlify', 'hosting'],
  ['server', /^Vercel$/i, 'Vercel', 'hosting'],
  ['server', /AkamaiGHost/i, 'Akamai', 'cdn'],
  ['x-azure-ref', undefined, 'Azure Front Door', 'cdn'],
];

const MAIL: [RegExp, string][] = [
  [/(\.google\.com|\.googlemail\.com)$/, 'Google Workspace'],
  [/\.(mail\.)?protection\.outlook\.com$/, 'Microsoft 365'],
  [/\.zoho\.(com|eu|in)$/, 'Zoho Mail'],
  [/\.messagingengine\.com$/, 'Fastmail'],
  [/\.protonmail\.ch$/, 'Proton Mail'],
  [/\.mailgun\.org$/, 'Mailgun'],
  [/\.sendgrid\.net$/, 'SendGrid'],
  [/amazonses\.com$/, 'Amazon SES'],
  [/\.icloud\.com$/, 'iCloud Mail'],
  [/\.improvmx\.com$/, 'ImprovMX'],
  [/\.mx\.cloudflare\.net$/, 'Cloudflare Email Routing'],
];

const norm = (n: string) => n.toLowerCase().replace(/\.$/, '');

export function dnsHostOf(nsName: string): ProviderMatch | undefined {
  const n = norm(nsName);
  const hit = DNS_HOSTS.find(([re]) => re.test(n));
  return hit ? { name: hit[1], kind: 'dns', evidence: `NS ${n}` } : undefined;
}

export function mailProviderOf(mxName: string): ProviderMatch | undefined {
  const n = norm(mxName);
  const hit = MAIL.find(([re]) => re.test(n));
  return hit ? { name: hit[1], kind: 'mail', evidence: `MX ${n}` } : undefined;
}

/** CDN or hosting from a CNAME target. */
export function providerOfTarget(target: string): ProviderMatch | undefined {
  const n = norm(target);
  const cdn = CDNS.find(([re]) => re.test(n));
  if (cdn) return { name: cdn[1], kind: 'cdn', evidence: `CNAME ${n}` };
  let best: (typeof HOSTING_PROVIDERS)[number] | undefined;
  for (const p of HOSTING_PROVIDERS) if ((n === p.suffix || n.endsWith(`.${p.suffix}`)) && (!best || p.suffix.length > best.suffix.length)) best = p;
  return best ? { name: best.provider, kind: 'hosting', evidence: `CNAME ${n}` } : undefined;
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
