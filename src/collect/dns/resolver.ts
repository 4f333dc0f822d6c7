// The run's DNS resolver: every lookup of a run goes through here. One cache per run, keyed by server+name+type,
// stores the in-flight promise, so concurrent askers share one query and no name+type is asked twice.
import { isFailure, type AddressLookup, type CnameHop, type DnsAnswer, type DnsRecordType } from '../../facts/dns.js';
import type { Limiter } from '../limit.js';
import type { NetPolicy } from '../net.js';
import { exchange } from './wire.js';

export interface ServerAddress {
  address: string;
  port: number;
  /** The nameserver's name, for reports. */
  name?: string;
  /** Already the result of a --connect-to rule (matched by name): not mapped again by address. */
  mapped?: boolean;
}

export interface ResolverOptions {
  /** Recursive resolvers to ask, in order; the next one is tried when one times out or fails. */
  servers: ServerAddress[];
  timeoutMs: number;
  retries: number;
  policy: NetPolicy;
  limiter: Limiter;
  signal?: AbortSignal;
}

/** Longest CNAME chain followed before giving up (RFC 1034 leaves it open; resolvers use about 8-16). */
export const MAX_CNAME_HOPS = 12;


function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

export class DnsResolver {
  private readonly cache = new Map<string, Promise<DnsAnswer>>();
  /** Queries actually sent (not counting retries inside one exchange) and answers served from the cache. */
  readonly stats = { sent: 0, cached: 0 };

  constructor(private readonly opts: ResolverOptions) {}

  get servers(): readonly ServerAddress[] {
    return this.opts.servers;
  }

  /** Asks the configured resolvers (recursion desired), falling through the list on failure. */
  query(name: string, type: DnsRecordType): Promise<DnsAnswer> {
    const key = `*|${normalize(name)}|${type}`;
    return this.cached(key, async () => {
      let last: DnsAnswer | undefined;
      for (const server of this.opts.servers) {
        last = await this.send(server, name, type, true);
        if (!isFailure(last)) return last;
      }
      return last ?? this.noServer(name, type);
    });
  }

  /** Asks one server directly without recursion (an authoritative nameserver probe). */
  queryAt(server: ServerAddress, name: string, type: DnsRecordType): Promise<DnsAnswer> {
    const key = `${server.address}#${server.port}|${normalize(name)}|${type}`;
    return this.cached(key, () => this.send(server, name, type, false));
  }

  /** Follows CNAMEs from `name` to its addresses of one family. Every hop is a cached query. */
  async resolveAddresses(name: string, type: 'A' | 'AAAA'): Promise<AddressLookup> {
    const chain: CnameHop[] = [];
    const seen = new Set<string>([normalize(name)]);
    let current = name.replace(/\.$/, '');
    for (let asked = 0; asked <= MAX_CNAME_HOPS; asked++) {
      const answer = await this.query(current, type);
      if (isFailure(answer)) {
        return { status: answer.status, addresses: [], chain, finalName: current, message: answer.message };
      }
      // The answer section may already carry part or all of the chain.
      let progressed = false;
      for (;;) {
        const hop = answer.records.find((r) => r.type === 'CNAME' && normalize(r.name) === normalize(current));
        if (!hop || hop.type !== 'CNAME') break;
        const target = hop.target.replace(/\.$/, '');
        chain.push({ name: current, target, ttl: hop.ttl });
        if (seen.has(normalize(target))) {
          return { status: 'loop', addresses: [], chain, finalName: target, message: `CNAME chain returns to ${target}` };
        }
        if (chain.length > MAX_CNAME_HOPS) {
          return { status: 'chain-too-long', addresses: [], chain, finalName: target, message: `more than ${MAX_CNAME_HOPS} CNAME hops` };
        }
        seen.add(normalize(target));
        current = target;
        progressed = true;
      }
      const addresses = answer.records
        .filter((r) => r.type === type && normalize(r.name) === normalize(current))
        .map((r) => (r.type === 'A' || r.type === 'AAAA' ? r.address : ''));
      if (addresses.length > 0) return { status: 'ok', addresses, chain, finalName: current };
      if (answer.status === 'nxdomain') return { status: 'nxdomain', addresses: [], chain, finalName: current };
      // A CNAME whose target the server did not resolve for us: ask for the target itself.
      if (progressed) continue;
      return { status: 'nodata', addresses: [], chain, finalName: current };
    }
    return { status: 'chain-too-long', addresses: [], chain, finalName: current, message: `more than ${MAX_CNAME_HOPS} CNAME hops` };
  }

  private cached(key: string, make: () => Promise<DnsAnswer>): Promise<DnsAnswer> {
    const hit = this.cache.get(key);
    if (hit) {
      this.stats.cached++;
      return hit;
    }
    const p = make();
    this.cache.set(key, p);
    return p;
  }

  private send(server: ServerAddress, name: string, type: DnsRecordType, recursionDesired: boolean): Promise<DnsAnswer> {
    const target = server.mapped ? undefined : this.opts.policy.redirect(server.address, server.port);
    const dest = { address: target?.host ?? server.address, port: target?.port ?? server.port, name: server.name };
    return this.opts.limiter.run(() => {
      this.stats.sent++;
      return exchange({
        server: dest,
        name,
        type,
        timeoutMs: this.opts.timeoutMs,
        retries: this.opts.retries,
        recursionDesired,
        policy: this.opts.policy,
        signal: this.opts.signal,
      });
    });
  }

  private noServer(name: string, type: DnsRecordType): DnsAnswer {
    return { status: 'error', name, type, server: 'none', elapsedMs: 0, message: 'no DNS server configured: pass --resolver <ip[:port]>' };
  }
}
