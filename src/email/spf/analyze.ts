// The static shape of an SPF policy, independent of any sender IP: every include/redirect branch walked, each
// record kept (even when it does not parse), and the DNS-querying terms counted per branch for the 10-lookup limit.
import type { DnsAnswer, DnsRecordType } from '../../facts/dns.js';
import type { SpfLookup } from './evaluate.js';
import { validDomain } from './evaluate.js';
import { countsAsLookup, isSpfRecord, parseRecord, SpfSyntaxError, type MacroPart, type ParsedRecord } from './parse.js';

export interface SpfNode {
  domain: string;
  /** ok: one record that parses. The rest are reasons this branch is a permerror (or temperror for dns-error). */
  status: 'ok' | 'none' | 'multiple' | 'syntax' | 'dns-error' | 'loop' | 'not-walked' | 'invalid-domain';
  /** The record text, kept even when it does not parse. */
  record?: string;
  /** Every SPF record found when there is more than one. */
  records?: string[];
  error?: string;
  /** Terms as written (split on spaces also when the record does not parse). */
  terms: string[];
  /** DNS-querying terms in this record alone. */
  ownLookups: number;
  /** This record plus every branch below it: what evaluation costs when no earlier term matches. */
  totalLookups: number;
  /** include/redirect branches, in record order. A target with macros cannot be walked without a sender. */
  children: { term: string; kind: 'include' | 'redirect'; target: string; node: SpfNode }[];
  /** Mechanisms with a qualifier of their own, for the all/ptr checks: the `all` term, if any, and ptr terms. */
  all?: string;
  ptr: string[];
  redirect?: string;
  /** a/mx terms whose (literal) target has no records of the kind they ask for, and each addressless MX host of an
   * mx term ("mx (MX host <name> has no address)"): a void lookup at every evaluation. */
  voidTerms?: string[];
  /** mx terms whose target has more than 10 MX names: permerror at every evaluation that reaches them. */
  mxOverLimit?: { term: string; count: number }[];
}

/** Upper bound on records fetched in one walk: a policy ten levels deep with wide fan-out stays cheap to inspect. */
const MAX_NODES = 60;

function literal(parts: MacroPart[]): string | undefined {
  return parts.every((p) => p.kind === 'literal') ? parts.map((p) => (p.kind === 'literal' ? p.text : '')).join('') : undefined;
}

function bare(name: string): string {
  return (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
}

export async function analyzeSpf(domain: string, lookup: SpfLookup): Promise<SpfNode> {
  let fetched = 0;
  const walk = async (name: string, path: readonly string[]): Promise<SpfNode> => {
    const d = bare(name);
    const empty = { domain: d, terms: [], ownLookups: 0, totalLookups: 0, children: [], ptr: [] };
    if (!validDomain(d)) return { ...empty, status: 'invalid-domain', error: `"${name}" is not a valid domain name` };
    if (path.includes(d)) return { ...empty, status: 'loop', error: `${d} includes itself (${[...path, d].join(' → ')})` };
    if (++fetched > MAX_NODES) return { ...empty, status: 'not-walked', error: `more than ${MAX_NODES} records in the policy` };
    const type: DnsRecordType = 'TXT';
    const answer = await lookup(d, type);
    if ('message' in answer) return { ...empty, status: 'dns-error', error: `TXT lookup of ${d} failed: ${answer.status} (${answer.message})` };
    const texts = answer.status === 'ok' ? answer.records.flatMap((r) => (r.type === 'TXT' ? [r.text] : [])) : [];
    const spf = texts.filter(isSpfRecord);
    if (spf.length === 0) return { ...empty, status: 'none', error: answer.status === 'nxdomain' ? `${d} does not exist` : `${d} has no SPF record` };
    if (spf.length > 1) return { ...empty, status: 'multiple', records: spf, error: `${d} has ${spf.length} SPF records` };
    const text = spf[0]!;
    const rawTerms = text.slice(6).split(' ').filter(Boolean);
    let parsed: ParsedRecord;
    try {
      parsed = parseRecord(text);
    } catch (e) {
      if (!(e instanceof SpfSyntaxError)) throw e;
      return { ...empty, status: 'syntax', record: text, terms: rawTerms, error: e.message };
    }
    const node: SpfNode = {
      ...empty, status: 'ok', record: text, terms: rawTerms,
      // A redirect= beside "all" is never followed (RFC 7208 6.1), so it costs nothing.
      ownLookups: parsed.terms.filter(countsAsLookup).length - (parsed.redirect && parsed.mechanisms.some((m) => m.name === 'all') ? 1 : 0),
      ptr: parsed.mechanisms.filter((m) => m.name === 'ptr').map((m) => m.text),
    };
    const all = parsed.mechanisms.find((m) => m.name === 'all');
    if (all) node.all = all.text;
    if (parsed.redirect) node.redirect = parsed.redirect.text;
    await probeTerms(node, parsed, d, lookup);
    const branches: { term: string; kind: 'include' | 'redirect'; spec: MacroPart[] }[] = [
      ...parsed.mechanisms.filter((m) => m.name === 'include').map((m) => ({ term: m.text, kind: 'include' as const, spec: m.domainSpec! })),
      // redirect is ignored when the record has "all".
      ...(parsed.redirect && !all ? [{ term: parsed.redirect.text, kind: 'redirect' as const, spec: parsed.redirect.value }] : []),
    ];
    for (const b of branches) {
      const target = literal(b.spec);
      const child: SpfNode = target === undefined
        ? { domain: b.term, status: 'not-walked', error: 'the target uses macros: it depends on the sender', terms: [], ownLookups: 0, totalLookups: 0, children: [], ptr: [] }
        : await walk(target, [...path, d]);
      node.children.push({ term: b.term, kind: b.kind, target: target ?? b.term, node: child });
    }
    node.totalLookups = node.ownLookups + node.children.reduce((n, c) => n + c.node.totalLookups, 0);
    return node;
  };
  return walk(domain, []);
}

const EMPTY = new Set(['nxdomain', 'nodata']);

/** The lookup answered, with no record of the type: a void lookup (a DNS failure is not one). */
function addressless(x: DnsAnswer, type: 'A' | 'AAAA'): boolean {
  return EMPTY.has(x.status) || (x.status === 'ok' && !x.records.some((r) => r.type === type));
}

/** Looks up the literal targets of a and mx terms (cached queries) to find void lookups and oversized MX sets. */
async function probeTerms(node: SpfNode, parsed: ParsedRecord, domain: string, lookup: SpfLookup): Promise<void> {
  const voids: string[] = [];
  const over: { term: string; count: number }[] = [];
  await Promise.all(parsed.mechanisms.map(async (m) => {
    if (m.name !== 'a' && m.name !== 'mx') return;
    const target = m.domainSpec ? literal(m.domainSpec) : domain;
    if (target === undefined || !validDomain(target)) return;
    if (m.name === 'a') {
      const [a, aaaa] = await Promise.all([lookup(target, 'A'), lookup(target, 'AAAA')]);
      if (addressless(a, 'A') && addressless(aaaa, 'AAAA')) voids.push(m.text);
      return;
    }
    const mx = await lookup(target, 'MX');
    const exchanges = mx.status === 'ok' ? mx.records.flatMap((r) => (r.type === 'MX' ? [bare(r.exchange)] : [])) : [];
    if (EMPTY.has(mx.status) || (mx.status === 'ok' && exchanges.length === 0)) voids.push(m.text);
    if (exchanges.length > 10) { over.push({ term: m.text, count: exchanges.length }); return; }
    // Each MX host with no address at all is a void lookup at every evaluation (pyspf and checkdmarc count it so).
    const hosts = await Promise.all(exchanges.filter((ex) => ex !== '' && validDomain(ex)).map(async (ex) => {
      const [a, aaaa] = await Promise.all([lookup(ex, 'A'), lookup(ex, 'AAAA')]);
      return { ex, empty: addressless(a, 'A') && addressless(aaaa, 'AAAA') };
    }));
    for (const h of hosts) if (h.empty) voids.push(`${m.text} (MX host ${h.ex} has no address)`);
  }));
  // Record order, not lookup completion order (an MX host's entry sorts with its term).
  const order = parsed.mechanisms.map((m) => m.text);
  const rank = (v: string) => order.indexOf(v.replace(/ \(MX host .*$/, ''));
  if (voids.length) node.voidTerms = voids.sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0));
  if (over.length) node.mxOverLimit = over;
}

/** Every node of the tree, depth first, with its path of include/redirect terms from the root. */
export function spfNodes(root: SpfNode): { node: SpfNode; path: string[] }[] {
  const out: { node: SpfNode; path: string[] }[] = [];
  const visit = (n: SpfNode, path: string[]) => {
    out.push({ node: n, path });
    for (const c of n.children) visit(c.node, [...path, c.term]);
  };
  visit(root, []);
  return out;
}
