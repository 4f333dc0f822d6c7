// Shared helpers for the email checks: which lookups failed, and the one DMARC record that applies to a domain.
import type { EmailDomainFacts, TxtLookup } from '../facts/email.js';
import { parseDmarc, selectDmarc, type ParsedDmarc } from './email-dmarc.js';
import { isFailedLookup, lookupStatusText } from './dns.js';

export const EMAIL_REFS = {
  spf: 'https://www.rfc-editor.org/rfc/rfc7208',
  dkim: 'https://www.rfc-editor.org/rfc/rfc6376',
  dmarc: 'https://www.rfc-editor.org/rfc/rfc7489',
  google: 'https://support.google.com/a/answer/81126',
  yahoo: 'https://senders.yahooinc.com/best-practices/',
  mtaSts: 'https://www.rfc-editor.org/rfc/rfc8461',
  tlsRpt: 'https://www.rfc-editor.org/rfc/rfc8460',
  nullMx: 'https://www.rfc-editor.org/rfc/rfc7505',
};

export function failText(l: TxtLookup): string {
  return `${l.name} TXT lookup ${lookupStatusText(l)}`;
}

export interface AppliedDmarc {
  /** Where the record that applies was found (the domain, or a name above it on the tree walk). */
  at: string;
  record?: string;
  parsed?: ParsedDmarc;
  /** Number of DMARC records at that name (more than one is invalid). */
  count: number;
  /** The lookup that decided it failed: nothing can be said. */
  failed?: TxtLookup;
}

/** The domain's own record, else (when it has none) the first one the RFC 9989 tree walk found above it. */
export function appliedDmarc(d: EmailDomainFacts): AppliedDmarc {
  const own = d.dmarc.own;
  if (isFailedLookup(own)) return { at: own.name, count: 0, failed: own };
  const sel = selectDmarc(own.records);
  if (sel.count > 0 || !d.dmarc.org) {
    return { at: own.name, count: sel.count, ...(sel.record ? { record: sel.record, parsed: parseDmarc(sel.record) } : {}) };
  }
  const org = d.dmarc.org;
  if (isFailedLookup(org)) return { at: org.name, count: 0, failed: org };
  const o = selectDmarc(org.records);
  return { at: org.name, count: o.count, ...(o.record ? { record: o.record, parsed: parseDmarc(o.record) } : {}) };
}

/** A DMARC record that receivers apply: exactly one, and no error that makes them discard it. */
export function usableDmarc(a: AppliedDmarc): ParsedDmarc | undefined {
  return a.count === 1 && a.parsed && a.parsed.errors.length === 0 ? a.parsed : undefined;
}
