// The discovery collector: runs before the others and finds hosts nobody listed, from the wordlist (wildcards
// filtered), the zone's own records, zone transfers and the certificates audited hosts serve. Every query goes
// through the run's resolver and cache, every handshake through the TLS collector's; bounded by time, queries and
// a maximum number of hosts.
import { DISCOVERY_NOT_RUN, type DiscoveredHost, type DiscoveryFacts, type DiscoveryVia } from '../../facts/discover.js';
import type { DnsAnswer } from '../../facts/dns.js';
import type { TargetFacts } from '../../facts/index.js';
import { onAbort } from '../abort.js';
import type { CollectContext } from '../context.js';
import { httpFetch, isFetchFailure } from '../http/fetch.js';
import { probeOnce } from '../tls/index.js';
import { zoneTransfers } from './axfr.js';
import { Budget, pool } from './budget.js';
import { certificateCandidates } from './certificates.js';
import { dnsDataCandidates, SRV_NAMES, type Candidate } from './dns-data.js';
import { answerSignature, detectWildcard, WILDCARD_PROBES } from './wildcard.js';
import { BUILTIN_WORDLIST } from './wordlist.js';

/** The NS query and the nameservers' addresses a transfer may need. */
const AXFR_COST = 5;

const bare = (n: string) => n.toLowerCase().replace(/\.$/, '');
const inside = (name: string, domain: string) => name.endsWith(`.${domain}`);

/** A wordlist answer says the name exists: data, or a CNAME (a dangling one included). */
function exists(a: DnsAnswer): boolean {
  if (a.status === 'ok' || a.status === 'nodata') return true;
  return a.status === 'nxdomain' && a.records.some((r) => r.type === 'CNAME');
}

/** TLS answered (even badly) on 443, or anything answered HTTP on 80: a web surface. */
async function answersWeb(ctx: CollectContext, host: { name: string; domain: string; label: string }): Promise<boolean> {
  const tls = await probeOnce(ctx, { ...host, declared: false });
  if (tls.status === 'ok' || tls.status === 'handshake-failed' || tls.status === 'reset') return true;
  if (tls.status === 'no-address' || tls.status === 'dns-failure') return false;
  const r = await httpFetch(ctx, { url: `http://${host.name}/`, method: 'HEAD', read: { maxBytes: 0, keep: false }, slot: true });
  return !isFetchFailure(r);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { clearTimeout(t); stopWaiting(); resolve(); };
    const t = setTimeout(done, ms);
    const stopWaiting = onAbort(signal, done);
  });
}

export async function collectDiscovery(ctx: CollectContext, target: TargetFacts): Promise<DiscoveryFacts> {
  const opts = target.discover;
  if (!opts || target.domains.length === 0) return DISCOVERY_NOT_RUN;
  const started = performance.now();
  const budget = new Budget(ctx.resolver, opts.maxQueries, opts.timeMs, ctx.signal);
  const known = new Set(target.domains.flatMap((d) => d.hosts.map((h) => h.name)));
  const found = new Map<string, { domain: string; via: DiscoveryVia[] }>();
  const add = (domain: string, c: Candidate) => {
    const name = bare(c.name);
    if (!inside(name, domain) || known.has(name)) return;
    const entry = found.get(name) ?? { domain, via: [] };
    if (!entry.via.some((v) => v.source === c.via.source && v.from === c.via.from)) entry.via.push(c.via);
    found.set(name, entry);
  };
  const labels = [...new Set([...(opts.builtin ? BUILTIN_WORDLIST : []), ...opts.labels])];
  const wildcards: DiscoveryFacts['wildcards'] = [];
  const axfr: DiscoveryFacts['axfr'] = [];
  const errors: string[] = [];

  for (const d of target.domains) {
    // Wildcard probes, the zone's records (CNAME chains at two hops) and the transfer get their queries set aside.
    if (!budget.reserve(WILDCARD_PROBES)) break;
    const dataCost = 4 + SRV_NAMES.length + 2 * d.hosts.length;
    // The wildcard probes, the wordlist, the zone's records and the transfer run side by side (under the limiter);
    // wordlist hits are judged against the wildcard once both are in.
    const hits: { name: string; sig: string | undefined }[] = [];
    const names = labels.map((l) => `${l}.${d.name}`).filter((n) => !known.has(n));
    const [wild, data, transfer] = await Promise.all([
      detectWildcard(ctx.resolver, d.name),
      budget.reserve(dataCost) ? dnsDataCandidates(ctx.resolver, d.name, d.hosts.map((h) => h.name), () => true) : [],
      opts.axfr && budget.reserve(AXFR_COST) ? zoneTransfers(ctx, d.name, Math.max(1, Math.min(ctx.timeoutMs, budget.remainingMs))) : undefined,
      pool(names, ctx.limiter.max, () => budget.allows(), async (name) => {
        const a = await ctx.resolver.query(name, 'A');
        if (exists(a)) hits.push({ name, sig: answerSignature(a) });
      }),
    ]);
    if (wild.size) wildcards.push({ domain: d.name, answer: [...wild].sort() });
    for (const h of hits) if (!h.sig || !wild.has(h.sig)) add(d.name, { name: h.name, via: { source: 'wordlist' } });
    for (const c of data) add(d.name, c);
    if (transfer) {
      axfr.push(...transfer.attempts);
      for (const c of transfer.candidates) add(d.name, c);
    }
  }

  // Certificates of the listed hosts and of what the wordlist found; the TLS collector reuses these handshakes.
  if (budget.allows()) {
    const probed = [
      ...target.domains.flatMap((d) => d.hosts),
      ...[...found].map(([name, e]) => ({ name, domain: e.domain, label: name.slice(0, -(e.domain.length + 1)), declared: false })),
    ];
    const certs = await Promise.race([certificateCandidates(ctx, probed), sleep(budget.remainingMs, ctx.signal).then(() => undefined)]);
    if (certs) for (const c of certs) { const d = target.domains.find((x) => inside(bare(c.name), x.name)); if (d) add(d.name, c); }
    else budget.allows();
  }

  // Only names that resolve (or whose CNAME dangles) become hosts.
  const candidates = [...found].sort(([a], [b]) => a.localeCompare(b));
  const kept: DiscoveredHost[] = [];
  await pool(candidates, ctx.limiter.max, () => budget.allows(2), async ([name, e]) => {
    const a = await ctx.resolver.resolveAddresses(name, 'A');
    const resolves = a.addresses.length > 0 || a.chain.length > 0 || (await ctx.resolver.resolveAddresses(name, 'AAAA')).addresses.length > 0;
    if (resolves) kept.push({ name, domain: e.domain, via: e.via, dnsOnly: true });
  });
  // Hosts with more than the wordlist behind them are kept first when the list is cut.
  kept.sort((x, y) => Number(x.via.every((v) => v.source === 'wordlist')) - Number(y.via.every((v) => v.source === 'wordlist')) || x.name.localeCompare(y.name));
  const hosts = kept.slice(0, opts.maxHosts).sort((x, y) => x.name.localeCompare(y.name));
  const web = await Promise.race([
    Promise.all(hosts.map((h) => answersWeb(ctx, { name: h.name, domain: h.domain, label: h.name.slice(0, -(h.domain.length + 1)) }))),
    sleep(Math.max(budget.remainingMs, ctx.timeoutMs), ctx.signal).then(() => undefined),
  ]);
  hosts.forEach((h, i) => { h.dnsOnly = !web?.[i]; });
  return {
    ran: true, wildcards, hosts, axfr, cut: kept.length - hosts.length, queries: budget.queries,
    elapsedMs: Math.round(performance.now() - started), ...(budget.exhausted ? { exhausted: budget.exhausted } : {}), errors,
  };
}
