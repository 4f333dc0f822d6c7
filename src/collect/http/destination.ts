// Where a connection to host:port really goes: the host's addresses through the run's resolver (never the system
// one), then --connect-to, then the loopback guard. Shared by the TLS and HTTP collectors.
import { isIP } from 'node:net';
import { hostAddresses, isFailedLookup, lookupStatusText } from '../../derive/dns.js';
import type { CollectContext } from '../context.js';

export interface Destination {
  /** The IP to connect to. */
  address: string;
  port: number;
  /** Addresses the host itself resolved to (empty for an IP literal or when it has none). */
  hostAddresses: string[];
  /** Time spent resolving, ms (near 0 when the run's cache already had it). */
  dnsMs: number;
}

export type DestinationError = { kind: 'no-address' | 'dns-failure' | 'forbidden'; message: string; hostAddresses: string[] };

/** Both families at once (each a cached query): the first A address wins, else the first AAAA. */
async function addressesOf(ctx: CollectContext, name: string): Promise<{ addresses: string[]; failure?: string; exists: boolean }> {
  if (isIP(name)) return { addresses: [name], exists: true };
  const [a, aaaa] = await Promise.all([ctx.resolver.resolveAddresses(name, 'A'), ctx.resolver.resolveAddresses(name, 'AAAA')]);
  const addresses = hostAddresses({ a, aaaa });
  if (addresses.length > 0) return { addresses, exists: true };
  const failed = [a, aaaa].find(isFailedLookup);
  if (failed) return { addresses, exists: false, failure: `${name}: ${lookupStatusText(failed)}` };
  return { addresses, exists: false };
}

export async function resolveDestination(ctx: CollectContext, host: string, port: number): Promise<Destination | DestinationError> {
  const started = performance.now();
  const name = host.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  const own = await addressesOf(ctx, name);
  const rule = ctx.policy.redirect(name, port);
  let address: string | undefined = own.addresses[0];
  let toPort = port;
  if (rule) {
    // --connect-to keeps the name (SNI, Host) and changes only where the bytes go.
    const target = await addressesOf(ctx, rule.host.replace(/^\[|\]$/g, ''));
    if (!target.addresses[0]) {
      return { kind: target.failure ? 'dns-failure' : 'no-address', message: target.failure ?? `--connect-to target ${rule.host} has no address`, hostAddresses: own.addresses };
    }
    address = target.addresses[0];
    toPort = rule.port;
  } else if (!address) {
    return own.failure
      ? { kind: 'dns-failure', message: own.failure, hostAddresses: [] }
      : { kind: 'no-address', message: `${name} has no A or AAAA record`, hostAddresses: [] };
  }
  try {
    ctx.policy.assertAllowed(address);
  } catch (err) {
    return { kind: 'forbidden', message: (err as Error).message, hostAddresses: own.addresses };
  }
  return { address, port: toPort, hostAddresses: isIP(name) ? [] : own.addresses, dnsMs: performance.now() - started };
}

export function isDestinationError(d: Destination | DestinationError): d is DestinationError {
  return 'kind' in d;
}

/** Passed as `lookup` to every socket we open: a host name reaching it is a bug, never a system DNS query. */
export function forbiddenLookup(hostname: string, _options: unknown, callback: (err: Error | null, address?: string, family?: number) => void): void {
  const family = isIP(hostname);
  if (family) return callback(null, hostname, family);
  callback(Object.assign(new Error(`refusing to resolve ${hostname} through the system resolver`), { code: 'EFORBIDDEN' }));
}
