// Discovery facts: which hosts beyond the standard ones were found, by which source, and within which bounds.

/** Where a discovered host came from. */
export const DISCOVERY_SOURCES = [
  'wordlist', 'certificate', 'page', 'mx', 'ns', 'spf', 'dmarc', 'cname', 'srv', 'repository', 'zone-transfer', 'online',
] as const;
export type DiscoverySource = (typeof DISCOVERY_SOURCES)[number];

/** One way a host was found: the source, and what it was found in (a host, a file, a nameserver). */
export interface DiscoveryVia {
  source: DiscoverySource;
  from?: string;
}

/** The discovery settings the target carries when discovery is on. */
export interface DiscoverOptions {
  /** Use the built-in wordlist (a user list adds to it). */
  builtin: boolean;
  /** Labels from discover.wordlist / --wordlist. */
  labels: string[];
  /** Hosts added at most; the rest are counted and noted. */
  maxHosts: number;
  /** DNS queries discovery may send (cache hits are free). */
  maxQueries: number;
  /** Time discovery may take before the other collectors start. */
  timeMs: number;
  /** Ask each authoritative nameserver for a zone transfer (AXFR). */
  axfr: boolean;
  /** Read the audited hosts' start pages (and redirects) for linked hosts; default true. */
  pages?: boolean;
  /** Read the run's repository (when it has one) for host names; default true. */
  repository?: boolean;
  /** Online sources (certificate transparency search): off unless asked for; ctUrl has a {domain} placeholder. */
  online?: { ctUrl: string };
}

export interface DiscoveredHost {
  name: string;
  domain: string;
  via: DiscoveryVia[];
  /** Nothing answered on a web port (443 or 80): a DNS-only surface, left out of the TLS and HTTP collectors. */
  dnsOnly: boolean;
}

export interface AxfrAttempt {
  domain: string;
  nameserver: string;
  server: string;
  status: 'allowed' | 'refused' | 'error';
  /** Names the transfer listed (allowed only). */
  names?: number;
  message?: string;
}

export interface DiscoveryFacts {
  /** False when discovery was off (--no-discover, discover.enabled: false). */
  ran: boolean;
  /** Per domain: the wildcard's answer when the zone has one (wordlist hits with the same answer are not hosts). */
  wildcards: { domain: string; answer: string[] }[];
  hosts: DiscoveredHost[];
  axfr: AxfrAttempt[];
  /** Hosts found beyond maxHosts, left out. */
  cut: number;
  queries: number;
  elapsedMs: number;
  /** Set when a bound stopped discovery early. */
  exhausted?: 'time' | 'queries';
  /** Sources that failed (an online source down, an unreadable repository file). */
  errors: string[];
}

/** The fact when discovery did not run (off, or a replay of facts recorded before discovery existed). */
export const DISCOVERY_NOT_RUN: DiscoveryFacts = { ran: false, wildcards: [], hosts: [], axfr: [], cut: 0, queries: 0, elapsedMs: 0, errors: [] };

/** How a source reads in a sentence: "found via the certificate of www.example.com". */
export function viaText(v: DiscoveryVia): string {
  const from = v.from ?? '';
  switch (v.source) {
    case 'wordlist': return from ? `the wordlist ${from}` : 'the built-in wordlist';
    case 'certificate': return `the certificate of ${from}`;
    case 'page': return `the page ${from}`;
    case 'mx': return `the MX of ${from}`;
    case 'ns': return `the NS of ${from}`;
    case 'spf': return `the SPF record of ${from}`;
    case 'dmarc': return `the DMARC record of ${from}`;
    case 'cname': return `the CNAME of ${from}`;
    case 'srv': return `the SRV record ${from}`;
    case 'repository': return from || 'the repository';
    case 'zone-transfer': return `a zone transfer from ${from}`;
    case 'online': return `certificate transparency (${from})`;
  }
}
