// Email facts: what the email collector saw for each mail domain (SPF, DMARC, DKIM, MX, MTA-STS, TLS-RPT), as data.
import type { AddressLookup, DnsAnswer } from './dns.js';
import type { SpfNode } from '../email/spf/analyze.js';
import type { SpfEvaluation } from '../email/spf/evaluate.js';

/** A TXT lookup reduced to what email checks read: the status and each record's joined text. */
export interface TxtLookup {
  name: string;
  status: DnsAnswer['status'];
  records: string[];
  message?: string;
}

export interface SpfFacts {
  /** The TXT lookup at the domain itself. */
  lookup: TxtLookup;
  /** Every include/redirect branch, records kept even when they do not parse. */
  tree: SpfNode;
  /** One check_host() per configured sending IP (MAIL FROM postmaster@<domain>). */
  evaluations: Omit<SpfEvaluation, 'domain'>[];
}

export interface DmarcAuthorization {
  /** The rua/ruf URI as written. */
  uri: string;
  tag: 'rua' | 'ruf';
  /** The receiving domain of the reports. */
  destination: string;
  /** <domain>._report._dmarc.<destination> */
  name: string;
  lookup: TxtLookup;
  /** The wildcard form *._report._dmarc.<destination>, asked only when the exact name has no record. */
  wildcard?: TxtLookup;
}

/** Whether a report destination can receive mail at all (RFC 5321 5.1: its MX hosts, else its own address). */
export interface DmarcDestination {
  /** The rua URI as written. */
  uri: string;
  domain: string;
  mx: { status: DnsAnswer['status']; message?: string; exchanges: string[] };
  /** A/AAAA of the domain itself, asked when it has no MX (the implicit MX). */
  addresses?: AddressLookup[];
}

export interface DmarcFacts {
  /** _dmarc.<domain> */
  own: TxtLookup;
  /** The organizational domain, when it differs from the domain. */
  orgDomain?: string;
  /** How orgDomain was found: RFC 9989's DNS tree walk, or the public suffix list when the walk found no record. */
  orgDomainFrom?: 'tree-walk' | 'psl';
  /** The record above the domain that applies when the domain has none: the first one the tree walk finds. */
  org?: TxtLookup;
  /** Every _dmarc lookup of the tree walk above the domain, nearest first (at most 7). */
  walk?: TxtLookup[];
  authorizations: DmarcAuthorization[];
  /** Each rua destination domain's ability to receive mail. */
  destinations?: DmarcDestination[];
}

export interface DkimKeyInfo {
  /** Tags as written (lower-cased names). */
  tags: Record<string, string>;
  /** k=, default rsa. */
  keyType: string;
  bits?: number;
  /** p= is present but empty: the key was revoked. */
  revoked: boolean;
  /** t=y. */
  testing: boolean;
  /** v= is present but not the first tag (RFC 6376 wants it first; verifiers use the key anyway). */
  versionNotFirst?: boolean;
  /** How an RSA p= is encoded: spki (RFC 6376's SubjectPublicKeyInfo) or a bare PKCS#1 RSAPublicKey. */
  encoding?: 'spki' | 'pkcs1';
  /** Why the record or key could not be used. */
  error?: string;
}

export interface DkimSelectorFacts {
  selector: string;
  /** config: listed by the user; probe: a common provider selector tried by us. */
  source: 'config' | 'probe';
  lookup: TxtLookup;
  /** Set when a DKIM key record (v=DKIM1 or p=) was found. */
  key?: DkimKeyInfo;
}

export interface MxTarget {
  exchange: string;
  preference: number;
  /** The exchange is written as an IP address, which MX does not allow. */
  ipLiteral: boolean;
  /** The exchange is a CNAME (RFC 2181 10.3 forbids it), to this name. */
  cname?: string;
  a: AddressLookup;
  aaaa: AddressLookup;
}

export interface MxFacts {
  status: DnsAnswer['status'];
  message?: string;
  /** Null MX (RFC 7505): the single record `0 .`. */
  nullMx: boolean;
  targets: MxTarget[];
}

export interface MtaStsPolicy {
  /** fetched: the HTTPS GET answered; not-fetched: no fetch was attempted (reason says why); error: it failed. */
  status: 'fetched' | 'not-fetched' | 'error';
  url: string;
  reason?: string;
  httpStatus?: number;
  /** The policy text (size-capped). */
  text?: string;
  /** The Content-Type it was served with (RFC 8461 3.2: text/plain). */
  contentType?: string;
  /** The certificate of mta-sts.<domain>, judged as senders do (trusted chain, matching name, in date). */
  certificate?: { valid: boolean; error?: string };
}

export interface MtaStsFacts {
  /** _mta-sts.<domain> */
  txt: TxtLookup;
  policy: MtaStsPolicy;
}

export interface EmailDomainFacts {
  domain: string;
  /** From the config's email.sendingIps. */
  sendingIps: string[];
  /** From the config's email.dkimSelectors. */
  dkimSelectors: string[];
  /** From the config's email.spfIncludes: providers' SPF domains that must be reachable from the policy. */
  spfIncludes?: string[];
  spf: SpfFacts;
  dmarc: DmarcFacts;
  dkim: DkimSelectorFacts[];
  mx: MxFacts;
  mtaSts: MtaStsFacts;
  /** _smtp._tls.<domain> */
  tlsRpt: TxtLookup;
}
