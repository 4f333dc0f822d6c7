// Certificate factory for tests, the demo and the benchmark: a private root CA, an intermediate, and leaf
// certificates with every defect the TLS checks look for. Keys come from node:crypto (fast) and are signed with forge.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

const { pki, md } = forge;

export interface KeyPair {
  bits: number;
  privatePem: string;
  privateKey: forge.pki.rsa.PrivateKey;
  publicKey: forge.pki.rsa.PublicKey;
}

/** An RSA key pair from node:crypto, imported into forge (pure-JS 2048-bit generation takes seconds). */
export function rsaKey(bits = 2048): KeyPair {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  const privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const priv = pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey;
  return { bits, privatePem, privateKey: priv, publicKey: pki.setRsaPublicKey(priv.n, priv.e) };
}

export interface Issued {
  cert: forge.pki.Certificate;
  certPem: string;
  key: KeyPair;
}

export interface CertSpec {
  commonName: string;
  /** DNS names (and IP addresses) of the subjectAltName extension; none for a CA. */
  altNames?: string[];
  notBefore: Date;
  notAfter: Date;
  key: KeyPair;
  /** Self-signed when absent. */
  issuer?: Issued;
  ca?: boolean;
  hash?: 'sha256' | 'sha1';
  /** URLs for the AIA and CRL extensions, so parsers have something to read. */
  ocspUrl?: string;
  crlUrl?: string;
}

const DAY = 86_400_000;

export function issue(spec: CertSpec): Issued {
  const cert = pki.createCertificate();
  cert.publicKey = spec.key.publicKey;
  // Random and positive (a leading byte below 0x80), as public CAs issue them.
  cert.serialNumber = `4${randomBytes(15).toString('hex').slice(1)}`;
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  const subject = [{ name: 'commonName', value: spec.commonName }, { name: 'organizationName', value: 'launch-ready sandbox' }];
  cert.setSubject(subject);
  cert.setIssuer(spec.issuer ? spec.issuer.cert.subject.attributes : subject);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: Boolean(spec.ca), critical: true },
    spec.ca
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (spec.issuer) extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: spec.issuer.cert.generateSubjectKeyIdentifier().getBytes() });
  if (!spec.ca) extensions.push({ name: 'extKeyUsage', serverAuth: true });
  if (spec.altNames?.length) {
    extensions.push({
      name: 'subjectAltName',
      altNames: spec.altNames.map((n) => (/^[\d.]+$|:/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })),
    });
  }
  if (spec.ocspUrl) {
    extensions.push({ name: 'authorityInfoAccess', id: '1.3.6.1.5.5.7.1.1', value: authorityInfoAccess(spec.ocspUrl) });
  }
  if (spec.crlUrl) extensions.push({ name: 'cRLDistributionPoints', id: '2.5.29.31', value: crlDistributionPoints(spec.crlUrl) });
  cert.setExtensions(extensions);
  const signer = spec.issuer?.key ?? spec.key;
  cert.sign(signer.privateKey, spec.hash === 'sha1' ? md.sha1.create() : md.sha256.create());
  return { cert, certPem: pki.certificateToPem(cert), key: spec.key };
}

// forge has no encoder for these two extensions: build their DER by hand.
function authorityInfoAccess(ocspUrl: string): forge.asn1.Asn1 {
  const { asn1 } = forge;
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer('1.3.6.1.5.5.7.48.1').getBytes()),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, ocspUrl),
    ]),
  ]);
}

function crlDistributionPoints(url: string): forge.asn1.Asn1 {
  const { asn1 } = forge;
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
        asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, url)]),
      ]),
    ]),
  ]);
}

/** What a server presents for one host: its key and the chain it sends (leaf first). */
export interface ServedCert {
  keyPem: string;
  /** PEM certificates in the order the server sends them. */
  chainPem: string;
}

export type LeafKind =
  | 'valid' | 'expired' | 'not-yet-valid' | 'expiring-soon' | 'wrong-host' | 'self-signed' | 'missing-intermediate'
  | 'rsa-1024' | 'sha1' | 'wildcard';

export const LEAF_KINDS: readonly LeafKind[] = [
  'valid', 'expired', 'not-yet-valid', 'expiring-soon', 'wrong-host', 'self-signed', 'missing-intermediate', 'rsa-1024', 'sha1', 'wildcard',
];

export interface CertFactoryOptions {
  /** The clock certificates are dated from. Default: now. */
  now?: Date;
}

/**
 * A private PKI: root → intermediate → leafs. Three RSA keys are generated once (root, intermediate, leafs share
 * one) plus a 1024-bit key when asked for; everything else is signing, which is fast.
 */
export class CertFactory {
  readonly root: Issued;
  readonly intermediate: Issued;
  private readonly leafKey: KeyPair;
  private weakKey?: KeyPair;
  private readonly now: Date;

  constructor(opts: CertFactoryOptions = {}) {
    this.now = opts.now ?? new Date();
    const t = this.now.getTime();
    this.root = issue({ commonName: 'launch-ready Sandbox Root CA', notBefore: new Date(t - 400 * DAY), notAfter: new Date(t + 3650 * DAY), key: rsaKey(), ca: true });
    this.intermediate = issue({
      commonName: 'launch-ready Sandbox Issuing CA 1', notBefore: new Date(t - 300 * DAY), notAfter: new Date(t + 1825 * DAY),
      key: rsaKey(), ca: true, issuer: this.root, crlUrl: 'http://crl.sandbox.test/root.crl',
    });
    this.leafKey = rsaKey();
  }

  /** The root in PEM: what `--ca <file>` is given. */
  get caPem(): string {
    return this.root.certPem;
  }

  /** A leaf for `host` with the given defect, ready to serve. `expiring-soon` takes `days` (default 10). */
  leaf(host: string, kind: LeafKind = 'valid', opts: { days?: number; altNames?: string[] } = {}): ServedCert {
    const t = this.now.getTime();
    const base = {
      commonName: host,
      altNames: opts.altNames ?? [host],
      notBefore: new Date(t - 30 * DAY),
      notAfter: new Date(t + 60 * DAY),
      key: this.leafKey,
      issuer: this.intermediate,
      ocspUrl: 'http://ocsp.sandbox.test',
      crlUrl: 'http://crl.sandbox.test/issuing1.crl',
    };
    let spec: CertSpec = base;
    switch (kind) {
      case 'valid':
      case 'missing-intermediate':
        break;
      case 'expired':
        spec = { ...base, notBefore: new Date(t - 120 * DAY), notAfter: new Date(t - 3 * DAY) };
        break;
      case 'not-yet-valid':
        spec = { ...base, notBefore: new Date(t + 5 * DAY), notAfter: new Date(t + 95 * DAY) };
        break;
      case 'expiring-soon':
        spec = { ...base, notAfter: new Date(t + (opts.days ?? 10) * DAY) };
        break;
      case 'wrong-host':
        spec = { ...base, commonName: `other.${host}`, altNames: [`other.${host}`, 'unrelated.invalid'] };
        break;
      case 'wildcard':
        spec = { ...base, commonName: `*.${host.split('.').slice(1).join('.')}`, altNames: [`*.${host.split('.').slice(1).join('.')}`] };
        break;
      case 'self-signed': {
        const { issuer: _issuer, ...rest } = base;
        spec = rest;
        break;
      }
      case 'rsa-1024':
        this.weakKey ??= rsaKey(1024);
        spec = { ...base, key: this.weakKey };
        break;
      case 'sha1':
        spec = { ...base, hash: 'sha1' };
        break;
    }
    const leaf = issue(spec);
    const chain = kind === 'self-signed' || kind === 'missing-intermediate' ? [leaf.certPem] : [leaf.certPem, this.intermediate.certPem];
    return { keyPem: leaf.key.privatePem, chainPem: chain.join('') };
  }
}
