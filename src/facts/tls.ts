// TLS facts: what one handshake per surface saw — the presented chain parsed field by field, whether it verifies
// and why not, the negotiated protocol, and whether legacy TLS versions are still accepted. Plain data.

export interface CertInfo {
  subject: string;
  /** Subject common name, when present. */
  commonName?: string;
  /** dNSName entries of subjectAltName, lower-cased, as written (wildcards kept). */
  dnsNames: string[];
  /** iPAddress entries of subjectAltName. */
  ipAddresses: string[];
  issuer: string;
  issuerCommonName?: string;
  /** ISO timestamps. */
  notBefore: string;
  notAfter: string;
  keyType: 'rsa' | 'ec' | 'ed25519' | 'ed448' | 'dsa' | 'other';
  /** RSA modulus bits or EC curve size; null when unknown. */
  keyBits: number | null;
  curve?: string;
  /** e.g. sha256WithRSAEncryption, ecdsa-with-SHA256, or the OID when unnamed. */
  signatureAlgorithm: string;
  serial: string;
  fingerprint256: string;
  selfIssued: boolean;
  isCa: boolean;
  ocspUrls: string[];
  caIssuerUrls: string[];
  crlUrls: string[];
}

/**
 * The chain judged apart from dates (expiry is its own check): built from the presented certificates up to a
 * trust anchor of Node's store (plus --ca). `incomplete` means the server sent only the leaf and its issuer is
 * neither sent nor trusted: the missing-intermediate case browsers hide and mobile apps and curl do not.
 */
export type ChainTrust =
  | { status: 'trusted'; anchor: string }
  | { status: 'self-signed' | 'unknown-issuer' | 'incomplete' | 'bad-signature' | 'empty'; detail: string };

/** accepted / rejected by the server; untestable when our own TLS library refuses to offer that version. */
export interface LegacyProbe {
  version: 'TLSv1' | 'TLSv1.1';
  status: 'accepted' | 'rejected' | 'untestable' | 'error';
  message?: string;
}

export interface TlsEndpoint {
  host: string;
  domain: string;
  label: string;
  declared: boolean;
  /** Found by discovery: nobody listed it, so a closed port is a note, not a failure. */
  discovered?: boolean;
  port: number;
  /** Addresses the host resolved to through the run's resolver. */
  addresses: string[];
  /** Where the connection actually went (after --connect-to), as ip:port. */
  connectedTo?: string;
  /**
   * ok: handshake done. no-address: the host has no address (DNS checks report it). dns-failure: could not find out.
   * refused / timeout / reset: the port is closed or silent. handshake-failed: TLS broke off. error: anything else.
   */
  status: 'ok' | 'no-address' | 'dns-failure' | 'refused' | 'timeout' | 'reset' | 'handshake-failed' | 'error';
  message?: string;
  protocol?: string;
  cipher?: string;
  /** The protocol the server picked from our ALPN offer (h2, http/1.1); null when it picked none. */
  alpn?: string | null;
  /** Presented chain, leaf first. */
  chain: CertInfo[];
  trust?: ChainTrust;
  /** What Node/OpenSSL itself said against its default store (hostname and dates included), for the record; absent with --ca. */
  nodeVerifyError?: string;
  legacy: LegacyProbe[];
  elapsedMs: number;
}
