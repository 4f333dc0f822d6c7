// DKIM key records (RFC 6376 3.6.1): tag parsing and the public key's type and size, read with node:crypto.
import { createPublicKey } from 'node:crypto';
import type { DkimKeyInfo } from '../../facts/email.js';

/** Selectors that common mail providers use, probed when the config lists none (or besides those it lists). */
export const COMMON_DKIM_SELECTORS = [
  'google', 'selector1', 'selector2', 'k1', 'k2', 'k3', 's1', 's2', 'default', 'mandrill', 'smtp', 'mail', 'dkim',
  'mxvault', 'everlytickey1', 'everlytickey2', 'zendesk1', 'zendesk2', 'sig1', 'mailjet', 'pm', 'resend', 'scph0124',
] as const;

/** A TXT text that is a DKIM key record at all (other TXT records can live at a selector name by accident). */
export function looksLikeDkim(text: string): boolean {
  return /^\s*v\s*=\s*DKIM1\b/i.test(text) || /(?:^|;)\s*p\s*=/.test(text) || /(?:^|;)\s*k\s*=/.test(text);
}

function keyBits(der: Buffer): { bits?: number; type?: string; encoding?: 'spki' | 'pkcs1'; error?: string } {
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      const key = createPublicKey({ key: der, format: 'der', type });
      return { bits: key.asymmetricKeyDetails?.modulusLength, type: key.asymmetricKeyType, encoding: type };
    } catch {
      // Try the next encoding: some providers publish a bare PKCS#1 RSAPublicKey instead of SPKI.
    }
  }
  return { error: 'the p= value does not decode to a public key' };
}

export function parseDkimKey(text: string): DkimKeyInfo {
  const tags: Record<string, string> = {};
  const order: string[] = [];
  const problems: string[] = [];
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const m = /^\s*([a-zA-Z][a-zA-Z0-9_]*)\s*=(.*)$/s.exec(part);
    if (!m) { problems.push(`"${part.trim().slice(0, 40)}" is not a tag=value pair`); continue; }
    const name = m[1]!.toLowerCase();
    if (name in tags) problems.push(`tag "${name}" appears more than once`);
    // Values may be folded across whitespace (RFC 6376 3.2): it is not part of the value.
    tags[name] = m[2]!.replace(/\s+/g, '');
    order.push(name);
  }
  if (tags.v !== undefined && tags.v !== 'DKIM1') problems.push(`v=${tags.v}: only "DKIM1" is defined (verifiers discard the record)`);
  const keyType = (tags.k ?? 'rsa').toLowerCase();
  const flags = (tags.t ?? '').split(':').map((f) => f.trim().toLowerCase());
  const info: DkimKeyInfo = { tags, keyType, revoked: tags.p === '', testing: flags.includes('y') };
  // RFC 6376 says v= comes first, yet verifiers (OpenDKIM, mailauth, Gmail) use the key wherever v= sits.
  if (tags.v !== undefined && order[0] !== 'v') info.versionNotFirst = true;
  if (tags.p === undefined) problems.push('no p= tag (the public key)');
  else if (tags.p !== '') {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(tags.p)) {
      problems.push('p= is not base64');
    } else {
      const der = Buffer.from(tags.p, 'base64');
      if (keyType === 'rsa') {
        const k = keyBits(der);
        if (k.error) problems.push(k.error);
        else if (k.type !== 'rsa') problems.push(`k=rsa but the key is ${k.type}`);
        else {
          if (k.bits !== undefined) info.bits = k.bits;
          if (k.encoding) info.encoding = k.encoding;
        }
      } else if (keyType === 'ed25519') {
        // RFC 8463: the bare 32-byte key (an SPKI wrapping is accepted too, as some tools publish it).
        if (der.length === 32) info.bits = 256;
        else {
          const k = keyBits(der);
          if (k.type === 'ed25519') info.bits = 256;
          else problems.push(`an ed25519 key is 32 bytes; this one is ${der.length}`);
        }
      } else {
        problems.push(`unknown key type k=${tags.k}`);
      }
    }
  }
  if (problems.length) info.error = problems.join('; ');
  return info;
}
