// Each published DKIM key must be usable and strong: revoked, unparsable, short or test-mode keys fail or weaken DKIM.
import { defineCheck } from '../define.js';
import { EMAIL_REFS } from '../../derive/email.js';

export default defineCheck({
  id: 'dkim-key',
  area: 'email',
  severity: 'high',
  impact: 'email',
  title: 'DKIM keys are valid, at least 2048-bit RSA (or Ed25519), and not in test mode',
  description:
    'Receivers fail DKIM for mail signed with a key they cannot use (revoked, malformed, under 1024 bits) and discount weak or test-mode keys: mail loses its authentication and lands in spam.',
  remediation: 'Rotate to a 2048-bit RSA key (or add Ed25519 beside RSA) at your mail provider, publish the new record, and remove t=y once signing works.',
  references: [EMAIL_REFS.dkim, 'https://www.rfc-editor.org/rfc/rfc8301', 'https://www.rfc-editor.org/rfc/rfc8463'],
  requires: ['email.domains'],
  messages: {
    revoked: {
      message: 'The DKIM key at {name} is revoked (empty p=).',
      severity: 'medium',
      whatBreaks: 'Mail still signed with this selector fails DKIM everywhere; harmless if nothing signs with it any more.',
    },
    unusable: { message: 'The DKIM record at {name} cannot be used: {error}.' },
    'rsa-under-1024': { message: 'The DKIM key at {name} is RSA {bits}-bit: receivers reject keys under 1024 bits (RFC 8301).' },
    'rsa-under-2048': {
      message: 'The DKIM key at {name} is RSA {bits}-bit; 2048 is the expected minimum.',
      severity: 'medium',
      whatBreaks: 'Receivers accept it today, but 1024-bit RSA is within reach of well-funded attackers and some providers score it down.',
    },
    'sha1-only': {
      message: 'The DKIM key at {name} allows only h={hashes}: receivers no longer accept rsa-sha1 signatures (RFC 8301).',
      remediation: 'Remove the h= tag (or set h=sha256) and sign with rsa-sha256.',
    },
    'not-for-email': {
      message: 'The DKIM key at {name} is restricted to service s={services}, which does not include email.',
      remediation: 'Remove the s= tag (or set s=email).',
    },
    'pkcs1-key': {
      message: 'The DKIM key at {name} is a bare PKCS#1 RSAPublicKey, not the SubjectPublicKeyInfo RFC 6376 asks for: some verifiers reject it.',
      severity: 'medium',
      whatBreaks: 'Receivers whose verifier reads only SubjectPublicKeyInfo fail DKIM for mail signed with this key.',
      remediation: 'Publish the key as SubjectPublicKeyInfo (the base64 body of `openssl rsa -pubin -in key.pem -RSAPublicKey_in -pubout`, which starts "MIIB" for 2048-bit keys).',
    },
    'version-not-first': {
      message: 'The DKIM record at {name} has v=DKIM1 after other tags; RFC 6376 wants it first.',
      severity: 'low',
      whatBreaks: 'Nothing today: verifiers still use the key. A strict verifier could discard the record.',
      remediation: 'Put v=DKIM1 first in the record.',
    },
    testing: {
      message: 'The DKIM key at {name} is in test mode (t=y).',
      severity: 'medium',
      whatBreaks: 'Receivers may treat signatures as unsigned mail while t=y is set: DKIM gives no protection or reputation.',
      remediation: 'Remove the t=y flag from the record once signing works.',
    },
  },
  run({ 'email.domains': domains }, ctx) {
    const keys: Record<string, string> = {};
    for (const d of domains) {
      for (const s of d.dkim) {
        const k = s.key;
        if (!k) continue;
        const name = s.lookup.name;
        const location = { host: d.domain, record: `${name} TXT` };
        keys[name] = k.revoked ? 'revoked' : k.error ? 'unusable' : `${k.keyType}${k.bits ? ` ${k.bits}` : ''}`;
        if (k.revoked) { ctx.report({ code: 'revoked', args: { name }, location }); continue; }
        if (k.error) { ctx.report({ code: 'unusable', args: { name, error: k.error }, location }); continue; }
        if (k.keyType === 'rsa' && k.bits !== undefined) {
          if (k.bits < 1024) ctx.report({ code: 'rsa-under-1024', args: { name, bits: k.bits }, location });
          else if (k.bits < 2048) ctx.report({ code: 'rsa-under-2048', args: { name, bits: k.bits }, location });
        }
        if (k.keyType === 'rsa' && k.encoding === 'pkcs1') ctx.report({ code: 'pkcs1-key', args: { name }, location });
        if (k.versionNotFirst) ctx.report({ code: 'version-not-first', args: { name }, location });
        const hashes = k.tags.h?.toLowerCase().split(':').map((x) => x.trim()).filter(Boolean);
        if (hashes && hashes.length > 0 && !hashes.includes('sha256')) ctx.report({ code: 'sha1-only', args: { name, hashes: hashes.join(':') }, location });
        const services = k.tags.s?.toLowerCase().split(':').map((x) => x.trim()).filter(Boolean);
        if (services && services.length > 0 && !services.includes('*') && !services.includes('email')) ctx.report({ code: 'not-for-email', args: { name, services: services.join(':') }, location });
        if (k.testing) ctx.report({ code: 'testing', args: { name }, location });
      }
    }
    if (Object.keys(keys).length === 0) ctx.notApplicable('no DKIM key found (see dkim-missing)');
    ctx.details({ keys });
  },
});
