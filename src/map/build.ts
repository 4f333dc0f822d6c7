// The deployment map: domains → hosts → addresses and CNAME targets → providers, certificates, environments and
// owners. Pure: built from collected facts and the config, rendered as text or JSON.
import { bothFailed, chainTargets, hostAddresses } from '../derive/dns.js';
import { daysUntil } from '../derive/tls.js';
import { foundVia } from '../derive/discovery.js';
import type { DnsAnswer, HostResolution, ZoneFacts } from '../facts/dns.js';

/** MX records of an answer as "preference exchange". */
export function mxList(a: DnsAnswer | undefined): string[] {
  return a?.status === 'ok' ? a.records.flatMap((r) => (r.type === 'MX' ? [`${r.preference} ${r.exchange}`] : [])) : [];
}
import type { TargetFacts } from '../facts/index.js';
import type { HttpSurface } from '../facts/http.js';
import type { TlsEndpoint } from '../facts/tls.js';
import { dnsHostOf, mailProviderOf, providerOfTarget, providersOfHeaders, type ProviderMatch } from '../providers/index.js';

export interface EnvironmentSpec {
  name: string;
  hosts: string[];
  owner?: string;
}

export interface MapHost {
  name: string;
  label: string;
  environment?: string;
  owner?: string;
  status: 'resolves' | 'missing' | 'dangling' | 'unknown';
  addresses: string[];
  cnameChain: string[];
  providers: ProviderMatch[];
  certificate?: { issuer: string; notAfter: string; daysLeft: number } | { error: string };
  https?: { finalUrl?: string; status?: number; outcome: string };
  /** Set on hosts discovery found: how (nobody listed them). */
  foundVia?: string;
}

export interface MapDomain {
  name: string;
  nameservers: string[];
  dnsProviders: ProviderMatch[];
  mx: string[];
  mailProviders: ProviderMatch[];
  hosts: MapHost[];
}

export interface DeploymentMap {
  project?: string;
  generatedAt: string;
  domains: MapDomain[];
  environments: EnvironmentSpec[];
}

export interface MapInputs {
  target: TargetFacts;
  project?: string;
  hosts: HostResolution[];
  zones: ZoneFacts[];
  tls?: TlsEndpoint[];
  http?: HttpSurface[];
  /** Per domain: MX records as "preference exchange". */
  mx: Record<string, string[]>;
  environments?: EnvironmentSpec[];
}

const uniqueBy = (ms: ProviderMatch[]) => ms.filter((m, i) => ms.findIndex((x) => x.name === m.name) === i);

function environmentOf(host: string, envs: EnvironmentSpec[]): EnvironmentSpec | undefined {
  const h = host.toLowerCase();
  return envs.find((e) => e.hosts.some((x) => x.toLowerCase().replace(/\.$/, '') === h));
}

export function buildMap(i: MapInputs): DeploymentMap {
  const now = Date.parse(i.target.now);
  const envs = i.environments ?? [];
  const domains = i.target.domains.map((d): MapDomain => {
    const zone = i.zones.find((z) => z.domain === d.name);
    const nameservers = zone?.nameservers.map((n) => n.name) ?? [];
    const mx = i.mx[d.name] ?? [];
    const hosts = i.hosts.filter((h) => h.domain === d.name).map((h): MapHost => {
      const chain = chainTargets(h);
      const addresses = hostAddresses(h);
      const status: MapHost['status'] = addresses.length ? 'resolves' : bothFailed(h) ? 'unknown' : chain.length ? 'dangling' : 'missing';
      const surface = i.http?.find((s) => s.host === h.name);
      const headerProviders = [surface?.https.hops.at(-1), surface?.http.hops.at(-1)].flatMap((hop) => (hop ? providersOfHeaders(hop.headers) : []));
      const cnameProviders = chain.flatMap((t) => { const p = providerOfTarget(t); return p ? [p] : []; });
      const tls = i.tls?.find((t) => t.host === h.name);
      const leaf = tls?.chain[0];
      const env = environmentOf(h.name, envs);
      return {
        name: h.name,
        label: h.label,
        ...(h.discoveredVia ? { foundVia: foundVia(h.discoveredVia) } : {}),
        ...(env ? { environment: env.name, ...(env.owner ? { owner: env.owner } : {}) } : {}),
        status,
        addresses,
        cnameChain: chain,
        providers: uniqueBy([...cnameProviders, ...headerProviders]),
        ...(tls ? { certificate: leaf ? { issuer: leaf.issuerCommonName ?? leaf.issuer, notAfter: leaf.notAfter, daysLeft: daysUntil(Date.parse(leaf.notAfter), now) } : { error: `${tls.status}${tls.message ? `: ${tls.message}` : ''}` } } : {}),
        ...(surface ? { https: { ...(surface.https.finalUrl ? { finalUrl: surface.https.finalUrl } : {}), ...(surface.https.finalStatus ? { status: surface.https.finalStatus } : {}), outcome: surface.https.outcome } } : {}),
      };
    });
    return {
      name: d.name,
      nameservers,
      dnsProviders: uniqueBy(nameservers.flatMap((n) => { const p = dnsHostOf(n); return p ? [p] : []; })),
      mx,
      mailProviders: uniqueBy(mx.flatMap((m) => { const p = mailProviderOf(m.split(' ')[1] ?? m); return p ? [p] : []; })),
      hosts,
    };
  });
  return { ...(i.project ? { project: i.project } : {}), generatedAt: i.target.now, domains, environments: envs };
}

const names = (ms: ProviderMatch[]) => (ms.length ? ms.map((m) => m.name).join(', ') : 'unknown');

export function renderMapText(m: DeploymentMap): string {
  const out: string[] = [`Deployment map${m.project ? ` of ${m.project}` : ''} (${m.generatedAt.slice(0, 10)})`, ''];
  for (const d of m.domains) {
    out.push(`${d.name}`);
    out.push(`  DNS:  ${names(d.dnsProviders)} (${d.nameservers.join(', ') || 'no NS found'})`);
    out.push(`  Mail: ${names(d.mailProviders)} (${d.mx.join(', ') || 'no MX'})`);
    for (const h of d.hosts) {
      const where = h.status === 'resolves' ? [...h.cnameChain.map((c) => `→ ${c}`), `→ ${h.addresses.join(', ')}`].join(' ') : `(${h.status}${h.cnameChain.length ? `: → ${h.cnameChain.join(' → ')}` : ''})`;
      out.push(`  ${h.name} ${where}`);
      const extra: string[] = [];
      if (h.providers.length) extra.push(`runs on: ${names(h.providers)}`);
      if (h.certificate) extra.push('error' in h.certificate ? `TLS: ${h.certificate.error}` : `cert: ${h.certificate.issuer}, expires ${h.certificate.notAfter.slice(0, 10)} (${h.certificate.daysLeft} d)`);
      if (h.https) extra.push(`https: ${h.https.outcome === 'final' ? `${h.https.status} ${h.https.finalUrl}` : h.https.outcome}`);
      if (h.foundVia) extra.push(`found via ${h.foundVia}`);
      if (h.environment) extra.push(`env: ${h.environment}${h.owner ? ` (owner: ${h.owner})` : ''}`);
      for (const e of extra) out.push(`      ${e}`);
    }
    out.push('');
  }
  if (m.environments.length) {
    out.push('Environments');
    for (const e of m.environments) out.push(`  ${e.name}${e.owner ? ` (owner: ${e.owner})` : ''}: ${e.hosts.join(', ')}`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}
