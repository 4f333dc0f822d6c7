// Email collector: for each mail domain, the SPF tree and per-IP evaluations, DMARC (with the organizational-domain
// fallback and report authorizations), DKIM selectors, MX targets, MTA-STS and TLS-RPT, all through the run's resolver.
import { isIP } from 'node:net';
import type { DnsAnswer, DnsRecordType } from '../../facts/dns.js';
import type {
  DkimSelectorFacts, DmarcAuthorization, DmarcDestination, DmarcFacts, EmailDomainFacts, MtaStsFacts, MxFacts, SpfFacts, TxtLookup,
} from '../../facts/email.js';
import type { TargetFacts } from '../../facts/index.js';
import { siteOf } from '../../derive/dns.js';
import { organizationalDomainFromWalk, parseDmarc, selectDmarc, treeWalkNames } from '../../derive/email-dmarc.js';
import { analyzeSpf } from '../../email/spf/analyze.js';
import { checkHost, type SpfLookup } from '../../email/spf/evaluate.js';
import type { CollectContext } from '../context.js';
import { COMMON_DKIM_SELECTORS, looksLikeDkim, parseDkimKey } from './dkim.js';
import { fetchMtaStsPolicy } from './mta-sts.js';

function bare(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

export function txtLookup(answer: DnsAnswer): TxtLookup {
  const records = 'records' in answer ? answer.records.flatMap((r) => (r.type === 'TXT' ? [r.text] : [])) : [];
  return { name: answer.name, status: answer.status, records, ...('message' in answer ? { message: answer.message } : {}) };
}

/** The organizational domain by the public suffix list (private suffixes included, as DMARC receivers use them). */
export function organizationalDomain(domain: string): string {
  return siteOf(domain);
}

/** The mail domains to audit: the config's email.domains, else every audited domain. */
export function emailDomains(target: TargetFacts): string[] {
  const listed = target.email?.domains;
  return [...new Set((listed && listed.length > 0 ? listed : target.domains.map((d) => d.name)).map(bare))];
}

async function collectSpf(ctx: CollectContext, domain: string, lookup: SpfLookup, target: TargetFacts): Promise<SpfFacts> {
  const [answer, tree, evaluations] = await Promise.all([
    ctx.resolver.query(domain, 'TXT'),
    analyzeSpf(domain, lookup),
    Promise.all((target.email?.sendingIps ?? []).map(async (ip) => {
      const { domain: _d, ...ev } = await checkHost({ domain, ip, sender: `postmaster@${domain}`, lookup, now: new Date(target.now) });
      return ev;
    })),
  ]);
  return { lookup: txtLookup(answer), tree, evaluations };
}

/** The domain's _dmarc lookup and the tree walk's above it (cached queries: a walk costs at most 8). */
async function walkDmarc(ctx: CollectContext, domain: string): Promise<{ own: TxtLookup; walk: TxtLookup[] }> {
  const [own, ...walk] = await Promise.all([domain, ...treeWalkNames(domain)].map(async (n) => txtLookup(await ctx.resolver.query(`_dmarc.${n}`, 'TXT'))));
  return { own: own!, walk };
}

/** RFC 9989's organizational domain from the tree walk, with the public suffix list when the walk found no record. */
function orgDomainOf(domain: string, own: TxtLookup, walk: readonly TxtLookup[]): { orgDomain: string; from: 'tree-walk' | 'psl' } {
  const found = [own, ...walk].map((l) => ({ name: l.name.replace(/^_dmarc\./, ''), texts: l.records }));
  const walked = organizationalDomainFromWalk(domain, found);
  return walked ? { orgDomain: walked, from: 'tree-walk' } : { orgDomain: organizationalDomain(domain), from: 'psl' };
}

async function destinationOf(ctx: CollectContext, uri: string, domain: string): Promise<DmarcDestination> {
  const answer = await ctx.resolver.query(domain, 'MX');
  const exchanges = 'records' in answer ? answer.records.flatMap((r) => (r.type === 'MX' ? [bare(r.exchange)] : [])) : [];
  const mx = { status: answer.status, exchanges, ...('message' in answer ? { message: answer.message } : {}) };
  // No MX at all (not a null MX, not a failure): mail goes to the domain's own address (RFC 5321 5.1).
  if (exchanges.length > 0 || !(answer.status === 'ok' || answer.status === 'nodata')) return { uri, domain, mx };
  const addresses = await Promise.all([ctx.resolver.resolveAddresses(domain, 'A'), ctx.resolver.resolveAddresses(domain, 'AAAA')]);
  return { uri, domain, mx, addresses };
}

async function collectDmarc(ctx: CollectContext, domain: string): Promise<DmarcFacts> {
  const { own, walk } = await walkDmarc(ctx, domain);
  const { orgDomain, from } = orgDomainOf(domain, own, walk);
  const out: DmarcFacts = { own, walk, authorizations: [] };
  if (orgDomain !== domain) out.orgDomain = orgDomain;
  out.orgDomainFrom = from;
  let policyDomain = domain;
  let record = selectDmarc(own.records).record;
  // RFC 9989 policy discovery: when the domain has no record (and its lookup did not fail), the first record the tree
  // walk finds applies. A failed lookup the owner answers for (up to the public-suffix organizational domain) leaves
  // the policy unknown; one at a public suffix above it (a TLD's servers) is passed over, so a registry's outage or
  // refusal does not hide the owner's own setup.
  const pslOrg = organizationalDomain(domain);
  const owned = (l: TxtLookup) => { const n = l.name.replace(/^_dmarc\./, ''); return n === pslOrg || n.endsWith(`.${pslOrg}`); };
  if (selectDmarc(own.records).count === 0 && !isFailedTxt(own)) {
    const hit = walk.find((l) => (isFailedTxt(l) && owned(l)) || selectDmarc(l.records).count > 0);
    if (hit) {
      out.org = hit;
      record = selectDmarc(hit.records).record;
      policyDomain = hit.name.replace(/^_dmarc\./, '');
    }
  }
  if (!record) return out;
  const parsed = parseDmarc(record);
  out.destinations = await Promise.all(
    [...new Map(parsed.rua.filter((u) => u.domain !== undefined).map((u) => [u.domain!, u.uri])).entries()].map(([d, uri]) => destinationOf(ctx, uri, d)),
  );
  // External destinations (RFC 9989 7.1): their organizational domain differs from the policy domain's.
  const at = out.org ? walk.indexOf(out.org) : -1;
  const policyOrg = at < 0 ? orgDomain : orgDomainOf(policyDomain, walk[at]!, walk.slice(at + 1)).orgDomain;
  const uris = [...parsed.rua.map((u) => ({ ...u, tag: 'rua' as const })), ...parsed.ruf.map((u) => ({ ...u, tag: 'ruf' as const }))]
    .filter((u): u is typeof u & { domain: string } => u.domain !== undefined);
  const destOrgs = new Map(await Promise.all([...new Set(uris.map((u) => u.domain))].map(async (d) => {
    const w = await walkDmarc(ctx, d);
    return [d, orgDomainOf(d, w.own, w.walk).orgDomain] as const;
  })));
  const external = uris.filter((u) => destOrgs.get(u.domain) !== policyOrg);
  out.authorizations = await Promise.all(external.map(async (u): Promise<DmarcAuthorization> => {
    const name = `${policyDomain}._report._dmarc.${u.domain}`;
    const lookup = txtLookup(await ctx.resolver.query(name, 'TXT'));
    const auth: DmarcAuthorization = { uri: u.uri, tag: u.tag, destination: u.domain, name, lookup };
    if (!lookup.records.some((t) => /^v=DMARC1\b/i.test(t))) {
      auth.wildcard = txtLookup(await ctx.resolver.query(`*._report._dmarc.${u.domain}`, 'TXT'));
    }
    return auth;
  }));
  return out;
}

function isFailedTxt(l: TxtLookup): boolean {
  return !(l.status === 'ok' || l.status === 'nodata' || l.status === 'nxdomain');
}

async function collectDkim(ctx: CollectContext, domain: string, configured: readonly string[]): Promise<DkimSelectorFacts[]> {
  const selectors = [
    ...configured.map((s) => ({ selector: s.toLowerCase(), source: 'config' as const })),
    ...COMMON_DKIM_SELECTORS.filter((s) => !configured.some((c) => c.toLowerCase() === s)).map((s) => ({ selector: s, source: 'probe' as const })),
  ];
  return Promise.all(selectors.map(async ({ selector, source }): Promise<DkimSelectorFacts> => {
    const lookup = txtLookup(await ctx.resolver.query(`${selector}._domainkey.${domain}`, 'TXT'));
    const text = lookup.records.find(looksLikeDkim);
    return { selector, source, lookup, ...(text !== undefined ? { key: parseDkimKey(text) } : {}) };
  }));
}

async function collectMx(ctx: CollectContext, domain: string): Promise<MxFacts> {
  const answer = await ctx.resolver.query(domain, 'MX');
  if ('message' in answer) return { status: answer.status, message: answer.message, nullMx: false, targets: [] };
  const records = answer.records.flatMap((r) => (r.type === 'MX' ? [r] : []));
  const nullMx = records.length === 1 && bare(records[0]!.exchange) === '';
  if (nullMx) return { status: answer.status, nullMx, targets: [] };
  const targets = await Promise.all(records.map(async (r) => {
    const exchange = bare(r.exchange);
    const ipLiteral = isIP(exchange) !== 0;
    // An IP literal is not looked up: resolvers would treat it as a (nonexistent) name.
    if (ipLiteral || exchange === '') {
      const none = { status: 'nxdomain' as const, addresses: [], chain: [], finalName: exchange };
      return { exchange, preference: r.preference, ipLiteral, a: none, aaaa: none };
    }
    const [a, aaaa] = await Promise.all([ctx.resolver.resolveAddresses(exchange, 'A'), ctx.resolver.resolveAddresses(exchange, 'AAAA')]);
    const cname = a.chain[0]?.target ?? aaaa.chain[0]?.target;
    return { exchange, preference: r.preference, ipLiteral, a, aaaa, ...(cname ? { cname } : {}) };
  }));
  return { status: answer.status, nullMx, targets };
}

async function collectMtaSts(ctx: CollectContext, domain: string): Promise<MtaStsFacts> {
  const txt = txtLookup(await ctx.resolver.query(`_mta-sts.${domain}`, 'TXT'));
  const url = `https://mta-sts.${domain}/.well-known/mta-sts.txt`;
  if (!txt.records.some((t) => /^v=STSv1\b/.test(t))) {
    return { txt, policy: { status: 'not-fetched', url, reason: 'no MTA-STS TXT record: the policy is not used' } };
  }
  return { txt, policy: await fetchMtaStsPolicy(ctx, url) };
}

async function collectDomain(ctx: CollectContext, domain: string, target: TargetFacts): Promise<EmailDomainFacts> {
  const lookup: SpfLookup = (name: string, type: DnsRecordType) => ctx.resolver.query(name, type);
  const [spf, dmarc, dkim, mx, mtaSts, tlsRpt] = await Promise.all([
    collectSpf(ctx, domain, lookup, target),
    collectDmarc(ctx, domain),
    collectDkim(ctx, domain, target.email?.dkimSelectors ?? []),
    collectMx(ctx, domain),
    collectMtaSts(ctx, domain),
    ctx.resolver.query(`_smtp._tls.${domain}`, 'TXT').then(txtLookup),
  ]);
  return {
    domain,
    sendingIps: [...(target.email?.sendingIps ?? [])],
    dkimSelectors: [...(target.email?.dkimSelectors ?? [])],
    ...(target.email?.spfIncludes ? { spfIncludes: target.email.spfIncludes.map(bare) } : {}),
    spf, dmarc, dkim, mx, mtaSts, tlsRpt,
  };
}

export async function collectEmail(ctx: CollectContext, target: TargetFacts): Promise<EmailDomainFacts[]> {
  return Promise.all(emailDomains(target).map((d) => collectDomain(ctx, d, target)));
}
