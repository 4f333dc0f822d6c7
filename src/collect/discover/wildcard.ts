// Wildcard detection: a few random labels first. If the zone answers them, a wordlist hit with the same answer is
// the wildcard talking, not a host, so a wildcard zone never turns into two thousand hosts.
import { randomBytes } from 'node:crypto';
import type { DnsAnswer } from '../../facts/dns.js';
import type { DnsResolver } from '../dns/resolver.js';

export const WILDCARD_PROBES = 3;

/** What an answer points at: its addresses and CNAME targets, sorted (the owner name aside). */
export function answerSignature(a: DnsAnswer): string | undefined {
  if (a.status !== 'ok' && a.status !== 'nxdomain' && a.status !== 'nodata') return undefined;
  const parts = a.records.flatMap((r) => (r.type === 'A' || r.type === 'AAAA' ? [r.address] : r.type === 'CNAME' ? [r.target.toLowerCase()] : []));
  return parts.length ? [...new Set(parts)].sort().join(' ') : undefined;
}

/** The signatures random names under the domain get; empty when the zone has no wildcard. */
export async function detectWildcard(resolver: DnsResolver, domain: string): Promise<Set<string>> {
  const labels = Array.from({ length: WILDCARD_PROBES }, () => `lr-${randomBytes(6).toString('hex')}`);
  const answers = await Promise.all(labels.map((l) => resolver.query(`${l}.${domain}`, 'A')));
  return new Set(answers.flatMap((a) => (a.status === 'ok' ? [answerSignature(a) ?? ''] : [])).filter(Boolean));
}
