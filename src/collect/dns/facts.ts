// DNS collectors: resolves every declared surface and probes each domain's nameservers, all concurrently.
import { isIP } from 'node:net';
import { hostAddresses } from '../../derive/dns.js';
import type { HostResolution, NameserverProbe, ZoneFacts } from '../../facts/dns.js';
import type { TargetFacts } from '../../facts/index.js';
import type { CollectContext } from '../context.js';
import type { ServerAddress } from './resolver.js';

export async function collectHosts(ctx: CollectContext, target: TargetFacts): Promise<HostResolution[]> {
  const hosts = target.domains.flatMap((d) => d.hosts);
  return Promise.all(
    hosts.map(async (host): Promise<HostResolution> => {
      const [a, aaaa] = await Promise.all([
        ctx.resolver.resolveAddresses(host.name, 'A'),
        ctx.resolver.resolveAddresses(host.name, 'AAAA'),
      ]);
      return { ...host, a, aaaa };
    }),
  );
}

async function probeNameserver(ctx: CollectContext, domain: string, nsName: string): Promise<NameserverProbe> {
  const mapped = ctx.policy.redirect(nsName, 53);
  let servers: ServerAddress[];
  let addressError: string | undefined;
  if (mapped) {
    servers = [{ address: mapped.host, port: mapped.port, name: nsName, mapped: true }];
  } else {
    const [a, aaaa] = await Promise.all([
      ctx.resolver.resolveAddresses(nsName, 'A'),
      ctx.resolver.resolveAddresses(nsName, 'AAAA'),
    ]);
    servers = hostAddresses({ a, aaaa }).map((address) => ({ address, port: 53, name: nsName }));
    if (servers.length === 0) {
      addressError = `no address for ${nsName} (A: ${a.status}${a.message ? `, ${a.message}` : ''}; AAAA: ${aaaa.status})`;
    }
  }
  const probes = await Promise.all(
    servers.map(async (server) => {
      if (!isIP(server.address)) {
        // A connect-to rule may name a host; resolve it through our own resolver, never the system's.
        const a = await ctx.resolver.resolveAddresses(server.address, 'A');
        server = { ...server, address: a.addresses[0] ?? server.address };
      }
      const answer = await ctx.resolver.queryAt(server, domain, 'SOA');
      return { server: answer.server, answer };
    }),
  );
  return addressError ? { name: nsName, probes, addressError } : { name: nsName, probes };
}

export async function collectZones(ctx: CollectContext, target: TargetFacts): Promise<ZoneFacts[]> {
  return Promise.all(
    target.domains.map(async ({ name: domain }): Promise<ZoneFacts> => {
      const [ns, soa, caa] = await Promise.all([
        ctx.resolver.query(domain, 'NS'),
        ctx.resolver.query(domain, 'SOA'),
        ctx.resolver.query(domain, 'CAA'),
      ]);
      const nsNames = ns.status === 'ok'
        ? [...new Set(ns.records.flatMap((r) => (r.type === 'NS' ? [r.target.toLowerCase().replace(/\.$/, '')] : [])))]
        : [];
      const nameservers = await Promise.all(nsNames.map((n) => probeNameserver(ctx, domain, n)));
      return { domain, ns, soa, caa, nameservers };
    }),
  );
}
