// Names the zone itself points at: MX and NS targets, SPF a:/mx:/include:/exists:/redirect= names, DMARC report
// domains, CNAME targets and common SRV targets. Only names inside the audited domain count.
import type { DnsAnswer } from '../../facts/dns.js';
import type { DiscoveryVia } from '../../facts/discover.js';
import type { DnsResolver } from '../dns/resolver.js';

/** SRV names common enough to be worth one query each. */
export const SRV_NAMES = [
  '_sip._tls', '_sip._tcp', '_sipfederationtls._tcp', '_autodiscover._tcp', '_xmpp-server._tcp', '_xmpp-client._tcp',
  '_caldavs._tcp', '_carddavs._tcp', '_imaps._tcp', '_submission._tcp', '_submissions._tcp', '_ldap._tcp', '_matrix._tcp',
];

export interface Candidate {
  name: string;
  via: DiscoveryVia;
}

const bare = (n: string) => n.toLowerCase().replace(/\.$/, '');

/** The names an SPF record points at (macros left out: they are templates, not hosts). */
export function spfNames(text: string): string[] {
  if (!/^v=spf1(\s|$)/i.test(text.trim())) return [];
  return text.trim().split(/\s+/).flatMap((term) => {
    const m = /^[+\-~?]?(?:a|mx|include|exists|ptr)[:]([^/\s]+)/i.exec(term) ?? /^redirect=([^\s]+)/i.exec(term);
    return m && !m[1]!.includes('%') ? [bare(m[1]!)] : [];
  });
}

/** The domains of a DMARC record's report addresses (rua=mailto:a@b,mailto:c@d; ruf=...). */
export function dmarcNames(text: string): string[] {
  if (!/^v=DMARC1/i.test(text.trim())) return [];
  return [...text.matchAll(/mailto:[^@,;\s]+@([^,;!\s]+)/gi)].map((m) => bare(m[1]!));
}

function txtTexts(a: DnsAnswer): string[] {
  return a.status === 'ok' ? a.records.flatMap((r) => (r.type === 'TXT' ? [r.text] : [])) : [];
}

/** Asks the zone's own records; `known` hosts give their CNAME targets. Every query is a cached one. */
export async function dnsDataCandidates(resolver: DnsResolver, domain: string, known: readonly string[], go: () => boolean): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const add = (name: string, via: DiscoveryVia) => out.push({ name: bare(name), via });
  const [mx, ns, txt, dmarc] = await Promise.all([
    resolver.query(domain, 'MX'), resolver.query(domain, 'NS'), resolver.query(domain, 'TXT'), resolver.query(`_dmarc.${domain}`, 'TXT'),
  ]);
  if (mx.status === 'ok') for (const r of mx.records) if (r.type === 'MX') add(r.exchange, { source: 'mx', from: domain });
  if (ns.status === 'ok') for (const r of ns.records) if (r.type === 'NS') add(r.target, { source: 'ns', from: domain });
  for (const t of txtTexts(txt)) for (const n of spfNames(t)) add(n, { source: 'spf', from: domain });
  for (const t of txtTexts(dmarc)) for (const n of dmarcNames(t)) add(n, { source: 'dmarc', from: domain });
  if (go()) {
    const srv = await Promise.all(SRV_NAMES.map((s) => resolver.query(`${s}.${domain}`, 'SRV')));
    srv.forEach((a, i) => {
      if (a.status === 'ok') for (const r of a.records) if (r.type === 'SRV' && r.target !== '') add(r.target, { source: 'srv', from: `${SRV_NAMES[i]}.${domain}` });
    });
  }
  // CNAME targets: the A lookups the DNS collector makes anyway carry the chain.
  const chains = await Promise.all(known.map((h) => resolver.resolveAddresses(h, 'A')));
  chains.forEach((c, i) => { for (const hop of c.chain) add(hop.target, { source: 'cname', from: known[i]! }); });
  return out;
}
