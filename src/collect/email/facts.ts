// Email collector: for each mail domain, the SPF tree and per-IP evaluations, DMARC (with the organizational-domain
// fallback and report authorizations), DKIM selectors, MX targets, MTA-STS and TLS-RPT, all through the run's resolver.
import { isIP } from 'node:net';
import { getDomain } from 'tldts';
import type { DnsAnswer, DnsRecordType } from '../../facts/dns.js';
import type {
  DkimSelectorFacts, DmarcAuthorization, DmarcFacts, EmailDomainFacts, MtaStsFacts, MxFacts, SpfFacts, TxtLookup,
} from '../../facts/email.js';
import type { TargetFacts } from '../../facts/index.js';
import { parseDmarc, selectDmarc } from '../../email/dmarc.js';
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
  return getDomain(domain, { allowPrivateDomains: true }) ?? domain;
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

async function collectDmarc(ctx: CollectContext, domain: string): Promise<DmarcFacts> {
  const own = txtLookup(await ctx.resolver.query(`_dmarc.${domain}`, 'TXT'));
  const orgDomain = organizationalDomain(domain);
  const out: DmarcFacts = { own, authorizations: [] };
  let policyDomain = domain;
  let record = selectDmarc(own.records).record;
  if (orgDomain !== domain) out.orgDomain = orgDomain;
  // RFC 7489 6.6.3: only when the domain has no record at all (and the lookup did not fail) is the org domain asked.
  if (orgDomain !== domain && selectDmarc(own.records).count === 0 && (own.status === 'ok' || own.status === 'nodata' || own.status === 'nxdomain')) {
    out.org = txtLookup(await ctx.resolver.query(`_dmarc.${orgDomain}`, 'TXT'));
    record = selectDmarc(out.org.records).record;
    policyDomain = orgDomain;
  }
  if (!record) return out;
  const parsed = parseDmarc(record);
  const external = [...parsed.rua.map((u) => ({ ...u, tag: 'rua' as const })), ...parsed.ruf.map((u) => ({ ...u, tag: 'ruf' as const }))]
    .filter((u): u is typeof u & { domain: string } => u.domain !== undefined && organizationalDomain(u.domain) !== organizationalDomain(policyDomain));
  out.authorizations = await Promise.all(external.map(async (u): Promise<DmarcAuthorization> => {
    const name = `${policyDomain}._report._dmarc.${u.domain}`;
    const lookup = txtLookup(await ctx.resolver.query(name, 'TXT'));
    const auth: DmarcAuthorization = { uri: u.uri, tag: u.tag, destination: u.domain, name, lookup };
    if (!lookup.records.some((t) => /^v=DMARC1\b/.test(t))) {
      auth.wildcard = txtLookup(await ctx.resolver.query(`*._report._dmarc.${u.domain}`, 'TXT'));
    }
    return auth;
  }));
  return out;
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
