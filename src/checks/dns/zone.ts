// Shared reading of DNS answers for the zone checks (pure helpers, no I/O).
import type { DnsAnswer } from '../../facts/dns.js';

export { isFailure } from '../../facts/dns.js';

export function soaSerial(a: DnsAnswer): number | undefined {
  if (a.status !== 'ok') return undefined;
  for (const r of a.records) if (r.type === 'SOA') return r.serial;
  return undefined;
}
