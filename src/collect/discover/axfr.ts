// Zone transfer: asks each authoritative nameserver for the whole zone. A server that hands it to anyone lists
// every host (a finding of its own), and those names become candidates.
import { isIP } from 'node:net';
import type { AxfrAttempt } from '../../facts/discover.js';
import type { CollectContext } from '../context.js';
import { requestAxfr, type AxfrResult } from '../dns/axfr.js';
import type { Candidate } from './dns-data.js';

export async function zoneTransfers(ctx: CollectContext, domain: string, timeoutMs: number): Promise<{ attempts: AxfrAttempt[]; candidates: Candidate[] }> {
  const ns = await ctx.resolver.query(domain, 'NS');
  const names = ns.status === 'ok' ? [...new Set(ns.records.flatMap((r) => (r.type === 'NS' ? [r.target.toLowerCase().replace(/\.$/, '')] : [])))] : [];
  const attempts: AxfrAttempt[] = [];
  const candidates: Candidate[] = [];
  const asked = new Map<string, Promise<AxfrResult>>();
  await Promise.all(names.map(async (nameserver) => {
    // The same way the zone collector reaches a nameserver: a --connect-to rule for it on port 53, else its address.
    const rule = ctx.policy.redirect(nameserver, 53);
    let address = rule?.host;
    let port = rule?.port ?? 53;
    if (!address) {
      const a = await ctx.resolver.resolveAddresses(nameserver, 'A');
      address = a.addresses[0];
      const byAddress = address ? ctx.policy.redirect(address, 53) : undefined;
      if (byAddress) { address = byAddress.host; port = byAddress.port; }
    }
    if (address && !isIP(address)) address = (await ctx.resolver.resolveAddresses(address, 'A')).addresses[0];
    if (!address) {
      attempts.push({ domain, nameserver, server: '?', status: 'error', message: `no address for ${nameserver}` });
      return;
    }
    const server = `${address}:${port}`;
    // Two NS names on one server (common in small setups) get one request: a query is never repeated.
    const to = address;
    let pending = asked.get(server);
    if (!pending) asked.set(server, (pending = ctx.limiter.run(() => requestAxfr({ address: to, port, zone: domain, timeoutMs, policy: ctx.policy, signal: ctx.signal }))));
    const r = await pending;
    if (r.status !== 'allowed') {
      attempts.push({ domain, nameserver, server, status: r.status, message: r.message });
      return;
    }
    const owners = new Set(r.records.filter((rec) => rec.type !== 'NS' || rec.name.toLowerCase() !== domain).map((rec) => rec.name.toLowerCase()));
    attempts.push({ domain, nameserver, server, status: 'allowed', names: owners.size, ...(r.truncated ? { message: 'transfer cut at the size cap' } : {}) });
    for (const name of owners) candidates.push({ name, via: { source: 'zone-transfer', from: nameserver } });
  }));
  return { attempts, candidates };
}
