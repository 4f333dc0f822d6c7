// DNS facts: what the DNS collector saw, as plain data that checks read. Types, and one predicate over them.
import type { DiscoveryVia } from './discover.js';

export type DnsRecord =
  | { name: string; type: 'A' | 'AAAA'; ttl: number; address: string }
  | { name: string; type: 'CNAME' | 'NS' | 'PTR' | 'DNAME'; ttl: number; target: string }
  | {
      name: string; type: 'SOA'; ttl: number;
      mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number;
    }
  | { name: string; type: 'CAA'; ttl: number; flags: number; tag: string; value: string }
  | { name: string; type: 'TXT'; ttl: number; strings: string[]; text: string }
  | { name: string; type: 'MX'; ttl: number; preference: number; exchange: string }
  | { name: string; type: 'SRV'; ttl: number; priority: number; weight: number; port: number; target: string }
  | { name: string; type: 'OTHER'; rrtype: string; ttl: number };

export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'NS' | 'PTR' | 'DNAME' | 'SOA' | 'CAA' | 'TXT' | 'MX' | 'SRV';

/** Where a query went: "ip:port", plus the name it was asked as when that differs (a nameserver's name). */
export interface DnsServerRef {
  address: string;
  port: number;
  name?: string;
}

interface AnswerBase {
  name: string;
  type: DnsRecordType;
  server: string;
  elapsedMs: number;
}

/**
 * One query's outcome. NXDOMAIN, NODATA, SERVFAIL, REFUSED, timeout and garbage are distinct values:
 * a check must be able to tell "does not exist" from "could not find out".
 */
export type DnsAnswer =
  | (AnswerBase & {
      status: 'ok';
      authoritative: boolean;
      /** The answer section as returned (may include CNAMEs before the requested type). */
      records: DnsRecord[];
      /** Authority section (SOA on negative answers, NS on referrals). */
      authority: DnsRecord[];
      /** The UDP answer was truncated and the query was repeated over TCP. */
      viaTcp: boolean;
    })
  | (AnswerBase & {
      status: 'nodata' | 'nxdomain';
      authoritative: boolean;
      /** The answer section: a negative answer can still carry the CNAME chain that led to the missing name. */
      records: DnsRecord[];
      authority: DnsRecord[];
      viaTcp: boolean;
    })
  | (AnswerBase & { status: 'servfail' | 'refused' | 'timeout' | 'error'; message: string });

export type DnsFailureStatus = 'servfail' | 'refused' | 'timeout' | 'error';

/** One CNAME hop. */
export interface CnameHop {
  name: string;
  target: string;
  ttl: number;
}

/**
 * The outcome of following a name to its addresses of one family.
 * `loop` and `chain-too-long` are broken chains; the DNS failure statuses mean "could not find out".
 */
export interface AddressLookup {
  status: 'ok' | 'nodata' | 'nxdomain' | 'loop' | 'chain-too-long' | DnsFailureStatus;
  addresses: string[];
  /** CNAME hops from the queried name, in order. */
  chain: CnameHop[];
  /** The name at the end of the chain (the queried name when there is no CNAME). */
  finalName: string;
  message?: string;
}

export interface HostExpectation {
  A?: string[];
  AAAA?: string[];
  CNAME?: string;
}

/** A public surface of the product: apex, www, api, admin, app, or any host the config lists. */
export interface TargetHost {
  /** Fully qualified, lower-case, no trailing dot. */
  name: string;
  domain: string;
  /** '@' for the apex, else the label(s) left of the domain. */
  label: string;
  /** Listed in the config (a missing declared host is a failure; a missing default surface is only noted). */
  declared: boolean;
  expect?: HostExpectation;
  /** Set on hosts discovery found (no one listed them): how each was found. */
  discoveredVia?: DiscoveryVia[];
  /** A discovered host with nothing on a web port: DNS collectors look at it, TLS and HTTP collectors do not. */
  dnsOnly?: boolean;
}

export interface HostResolution extends TargetHost {
  a: AddressLookup;
  aaaa: AddressLookup;
}

export interface NameserverProbe {
  /** The nameserver's name from the NS record. */
  name: string;
  /** Where it was asked, and its answer to SOA for the zone apex (recursion off). */
  probes: { server: string; answer: DnsAnswer }[];
  /** Set when no address could be found to ask. */
  addressError?: string;
}

export interface ZoneFacts {
  domain: string;
  ns: DnsAnswer;
  soa: DnsAnswer;
  caa: DnsAnswer;
  nameservers: NameserverProbe[];
}

export type FailedAnswer = Extract<DnsAnswer, { message: string }>;

/** SERVFAIL, REFUSED, timeout or garbage: the answer says nothing about the name. */
export function isFailure(a: DnsAnswer): a is FailedAnswer {
  return a.status === 'servfail' || a.status === 'refused' || a.status === 'timeout' || a.status === 'error';
}
