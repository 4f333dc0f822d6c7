// The discovery collector: runs before the others and finds hosts nobody listed, from the wordlist (wildcards
// filtered), the zone's own records, zone transfers, the repository's config files, online sources (only when asked
// for), the certificates audited hosts serve and the pages they link to. Every query goes through the run's resolver
// and cache, every handshake through the TLS collector's, every request through httpFetch; bounded by time, queries
// and a maximum number of hosts.
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
import { certificateTransparency, type OnlineAnswer, type OnlineSource } from './online.js';
import { pageCandidates } from './pages.js';
import { repositoryCandidates } from './repository.js';
import { resolves } from './resolves.js';
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

/** TLS answered (even badly) on 443, or anything answered HTTP on 80: a web surface. A name without an address is none. */
async function answersWeb(ctx: CollectContext, host: { name: string; domain: string; label: string }): Promise<boolean> {
  // Checked first: a --connect-to catch-all would take a name that does not resolve somewhere, and its answer (or
  // refusal) would say nothing about the host.
  if (!(await resolves(ctx, host.name))) return false;
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
  const domains = target.domains.map((d) => d.name);
  const listed = target.domains.flatMap((d) => d.hosts);
  const known = new Set(listed.map((h) => h.name));
  const found = new Map<string, { domain: string; via: DiscoveryVia[] }>();
  const add = (domain: string, c: Candidate) => {
    const name = bare(c.name);
    if (!inside(name, domain) || known.has(name)) return;
    const entry = found.get(name) ?? { domain, via: [] };
    if (!entry.via.some((v) => v.source === c.via.source && v.from === c.via.from)) entry.via.push(c.via);
    found.set(name, entry);
  };
  /** A candidate from a source that reads across domains: it joins the audited domain it is under. */
  const addAnywhere = (c: Candidate) => {
    const d = target.domains.find((x) => inside(bare(c.name), x.name));
    if (d) add(d.name, c);
  };
  const labels = [...new Set([...(opts.builtin ? BUILTIN_WORDLIST : []), ...opts.labels])];
  const wildcards: DiscoveryFacts['wildcards'] = [];
  const axfr: DiscoveryFacts['axfr'] = [];
  const errors: string[] = [];

  // The repository and the online sources need no DNS: they run beside the zone's own steps.
  const repository = opts.repository !== false && target.repo ? repositoryCandidates(target.repo, domains, ctx.signal) : undefined;
  const online = opts.online
    ? onlineCandidates([certificateTransparency(ctx, opts.online.ctUrl, () => budget.remainingMs)], domains, () => budget.remainingMs, ctx.signal)
    : undefined;

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
  for (const r of await Promise.all([repository, online])) {
    if (!r) continue;
    errors.push(...r.errors);
    for (const c of r.candidates) addAnywhere(c);
  }

  // The listed hosts' start pages are read beside the certificates and the checks below (no step waits for them).
  const readPages = opts.pages !== false;
  const walk = (names: readonly string[]) => within(budget, ctx.signal, pageCandidates(ctx, names, domains, () => budget.remainingMs, () => budget.allows()));
  const listedPages = readPages && budget.allows() ? walk(listed.map((h) => h.name)) : undefined;

  // Certificates of the listed hosts and of what the other sources found; the TLS collector reuses these handshakes.
  if (budget.allows()) {
    const probed = [...listed, ...[...found].map(([name, e]) => surface(name, e.domain))];
    const certs = await within(budget, ctx.signal, certificateCandidates(ctx, probed));
    if (certs) for (const c of certs) addAnywhere(c);
  }

  // Only names that resolve (or whose CNAME dangles) become hosts; each name is settled once.
  const settled = new Map<string, boolean>();
  const settle = () => pool([...found.keys()].filter((n) => !settled.has(n)).sort(), ctx.limiter.max, () => budget.allows(2), async (name) => {
    const a = await ctx.resolver.resolveAddresses(name, 'A');
    settled.set(name, a.addresses.length > 0 || a.chain.length > 0 || (await ctx.resolver.resolveAddresses(name, 'AAAA')).addresses.length > 0);
  });
  const web = new Map<string, boolean>();
  /** The hosts kept, within maxHosts: those with more than the wordlist behind them first. */
  const keep = () => {
    const kept: DiscoveredHost[] = [...found].filter(([name]) => settled.get(name)).map(([name, e]) => ({ name, domain: e.domain, via: e.via, dnsOnly: true }));
    kept.sort((x, y) => Number(x.via.every((v) => v.source === 'wordlist')) - Number(y.via.every((v) => v.source === 'wordlist')) || x.name.localeCompare(y.name));
    return { kept: kept.length, hosts: kept.slice(0, opts.maxHosts) };
  };
  /** Whether each kept host answers on a web port (asked once per host). */
  const probeWeb = async (hosts: readonly DiscoveredHost[]) => {
    const todo = hosts.filter((h) => !web.has(h.name));
    const answers = await Promise.race([
      Promise.all(todo.map((h) => answersWeb(ctx, surface(h.name, h.domain)))),
      sleep(Math.max(budget.remainingMs, ctx.timeoutMs), ctx.signal).then(() => undefined),
    ]);
    todo.forEach((h, i) => web.set(h.name, answers?.[i] ?? false));
  };
  await settle();
  let { hosts } = keep();
  await probeWeb(hosts);

  // The start pages of the listed hosts and of the discovered ones that answer on a web port: what they link to or
  // load joins the candidates, which then go through the same steps (pages found this way are not read in turn).
  if (readPages) {
    const webHosts = hosts.filter((h) => web.get(h.name)).map((h) => h.name);
    const linked = (await Promise.all([listedPages, webHosts.length && budget.allows() ? walk(webHosts) : undefined])).flatMap((x) => x ?? []);
    if (linked.length) {
      for (const c of linked) addAnywhere(c);
      await settle();
      ({ hosts } = keep());
      await probeWeb(hosts);
    }
  }
  const kept = keep().kept;
  hosts = hosts.map((h) => ({ ...h, via: found.get(h.name)!.via, dnsOnly: !web.get(h.name) })).sort((x, y) => x.name.localeCompare(y.name));
  return {
    ran: true, wildcards, hosts, axfr, cut: kept - hosts.length, queries: budget.queries,
    elapsedMs: Math.round(performance.now() - started), ...(budget.exhausted ? { exhausted: budget.exhausted } : {}), errors,
  };
}

/** A discovered name as the TLS and HTTP steps take a host. */
function surface(name: string, domain: string) {
  return { name, domain, label: name.slice(0, -(domain.length + 1)), declared: false };
}

/** `work`, or undefined once the budget's time is spent (the step is then marked as stopped by time). */
async function within<T>(budget: Budget, signal: AbortSignal, work: Promise<T>): Promise<T | undefined> {
  const r = await Promise.race([work, sleep(budget.remainingMs, signal).then(() => undefined)]);
  if (r === undefined) budget.allows();
  return r;
}

/** Every online source asked for every domain, side by side; a failure is an error line, its names are dropped. */
async function onlineCandidates(sources: readonly OnlineSource[], domains: readonly string[], remainingMs: () => number, signal: AbortSignal): Promise<{ candidates: Candidate[]; errors: string[] }> {
  const candidates: Candidate[] = [];
  const errors: string[] = [];
  await Promise.all(sources.flatMap((s) => domains.map(async (d) => {
    const r = await Promise.race([s.query(d), sleep(remainingMs(), signal).then((): OnlineAnswer => ({ error: `${s.name}: no answer within discovery's time budget` }))]);
    if ('error' in r) errors.push(`${r.error} (${d})`);
    else for (const name of r.names) candidates.push({ name, via: { source: 'online', from: s.name } });
  })));
  return { candidates, errors };
}
