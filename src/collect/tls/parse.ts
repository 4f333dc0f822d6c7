// Turns a DER certificate into CertInfo. node-forge reads the ASN.1 (signature algorithm, SANs, AIA, CRL
// distribution points) without needing to understand the key type; node:crypto supplies key details and dates.
import { X509Certificate } from 'node:crypto';
import type tls from 'node:tls';
import forge from 'node-forge';
import type { CertInfo } from '../../facts/tls.js';
import { selfSigned } from './trust.js';

const { asn1, pki } = forge;
type Node = forge.asn1.Asn1;

const OID_SAN = '2.5.29.17';
const OID_AIA = '1.3.6.1.5.5.7.1.1';
const OID_CRL_DP = '2.5.29.31';
const OID_OCSP = '1.3.6.1.5.5.7.48.1';
const OID_CA_ISSUERS = '1.3.6.1.5.5.7.48.2';

const SIG_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp224r1: 224, prime192v1: 192, secp256k1: 256 };

function children(n: Node | undefined): Node[] {
  return n && Array.isArray(n.value) ? (n.value as Node[]) : [];
}

function bytes(n: Node): string {
  return typeof n.value === 'string' ? n.value : '';
}

function ipText(raw: string): string {
  const b = Buffer.from(raw, 'binary');
  if (b.length === 4) return [...b].join('.');
  if (b.length === 16) {
    const full = (b.toString('hex').match(/.{4}/g) ?? []).join(':');
    // The URL parser prints IPv6 in its canonical compressed form (RFC 5952).
    return new URL(`http://[${full}]/`).hostname.slice(1, -1);
  }
  return b.toString('hex');
}

/** Every [6] uniformResourceIdentifier under a node, in order. */
function uris(n: Node, out: string[] = []): string[] {
  if (n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 6 && !n.constructed) out.push(bytes(n));
  for (const c of children(n)) uris(c, out);
  return out;
}

function extensions(tbs: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  const explicit = children(tbs).find((c) => c.tagClass === asn1.Class.CONTEXT_SPECIFIC && c.type === 3);
  for (const ext of children(children(explicit)[0])) {
    const parts = children(ext);
    const oid = parts[0] ? asn1.derToOid(bytes(parts[0])) : '';
    const octets = parts[parts.length - 1];
    if (!octets) continue;
    try {
      out.set(oid, asn1.fromDer(bytes(octets)));
    } catch {
      // A malformed extension is skipped, not fatal: the rest of the certificate still says a lot.
    }
  }
  return out;
}

function firstLine(dn: string, key: string): string | undefined {
  const m = dn.split('\n').find((l) => l.startsWith(`${key}=`));
  return m?.slice(key.length + 1);
}

export function parseCertificate(der: Buffer): CertInfo {
  const x = new X509Certificate(der);
  const root = asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  const [tbs, sigAlg] = children(root);
  const sigOid = asn1.derToOid(bytes(children(sigAlg)[0]!));
  const exts = tbs ? extensions(tbs) : new Map<string, Node>();

  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const g of children(exts.get(OID_SAN))) {
    if (g.tagClass !== asn1.Class.CONTEXT_SPECIFIC) continue;
    if (g.type === 2) dnsNames.push(bytes(g).toLowerCase());
    else if (g.type === 7) ipAddresses.push(ipText(bytes(g)));
  }
  const ocspUrls: string[] = [];
  const caIssuerUrls: string[] = [];
  for (const ad of children(exts.get(OID_AIA))) {
    const [method, location] = children(ad);
    if (!method || !location) continue;
    const oid = asn1.derToOid(bytes(method));
    if (oid === OID_OCSP) ocspUrls.push(...uris(location));
    if (oid === OID_CA_ISSUERS) caIssuerUrls.push(...uris(location));
  }
  const crl = exts.get(OID_CRL_DP);
  const crlUrls = crl ? uris(crl) : [];

  const key = x.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const type = key.asymmetricKeyType;
  const keyType: CertInfo['keyType'] = type === 'rsa' || type === 'rsa-pss' ? 'rsa' : type === 'ec' ? 'ec' : type === 'ed25519' || type === 'ed448' || type === 'dsa' ? type : 'other';
  const keyBits = details.modulusLength ?? (details.namedCurve ? CURVE_BITS[details.namedCurve] ?? null : type === 'ed25519' ? 256 : type === 'ed448' ? 456 : null);

  const commonName = firstLine(x.subject, 'CN');
  const issuerCommonName = firstLine(x.issuer, 'CN');
  return {
    subject: x.subject.replace(/\n/g, ', '),
    ...(commonName !== undefined ? { commonName } : {}),
    dnsNames,
    ipAddresses,
    issuer: x.issuer.replace(/\n/g, ', '),
    ...(issuerCommonName !== undefined ? { issuerCommonName } : {}),
    notBefore: new Date(x.validFrom).toISOString(),
    notAfter: new Date(x.validTo).toISOString(),
    keyType,
    keyBits,
    ...(details.namedCurve ? { curve: details.namedCurve } : {}),
    signatureAlgorithm: SIG_NAMES[sigOid] ?? (pki.oids[sigOid] as string | undefined) ?? sigOid,
    serial: x.serialNumber.toLowerCase(),
    fingerprint256: x.fingerprint256,
    selfIssued: selfSigned(x),
    isCa: x.ca,
    ocspUrls,
    caIssuerUrls,
    crlUrls,
  };
}

/** Certificates read from one handshake at most; a longer chain is cut (and would be a finding of its own). */
const MAX_CHAIN = 10;

/** The chain as presented (leaf first), walking issuer links; a store-supplied root may close it. */
export function presentedChain(socket: tls.TLSSocket): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let cert = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined;
  while (cert && cert.raw && out.length < MAX_CHAIN && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    out.push(cert.raw);
    cert = cert.issuerCertificate;
  }
  return out;
}

export function safeParse(der: Buffer): CertInfo[] {
  try {
    return [parseCertificate(der)];
  } catch {
    return [];
  }
}
