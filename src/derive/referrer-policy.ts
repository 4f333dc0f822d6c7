// Referrer-Policy as browsers apply it: the header's last recognised token, then each valid <meta name=referrer>
// (a single token there, legacy keywords mapped); with none at all, strict-origin-when-cross-origin.

export const REFERRER_POLICIES = [
  'no-referrer', 'no-referrer-when-downgrade', 'same-origin', 'origin', 'strict-origin', 'origin-when-cross-origin',
  'strict-origin-when-cross-origin', 'unsafe-url',
] as const;
export type ReferrerPolicy = (typeof REFERRER_POLICIES)[number];

/** What browsers use when nothing valid is set (Chrome 85+, Firefox 87+, Safari 15+). */
export const DEFAULT_REFERRER_POLICY: ReferrerPolicy = 'strict-origin-when-cross-origin';

const KNOWN = new Set<string>(REFERRER_POLICIES);
/** HTML's meta referrer legacy keywords. */
const LEGACY: Record<string, ReferrerPolicy> = {
  never: 'no-referrer', default: 'strict-origin-when-cross-origin', always: 'unsafe-url', 'origin-when-crossorigin': 'origin-when-cross-origin',
};

/** The header's policy: the last token browsers recognise (unknown ones are skipped so new values can roll out). */
export function headerReferrerPolicy(value: string): ReferrerPolicy | undefined {
  const tokens = value.slice(0, 512).split(',').map((t) => t.trim().toLowerCase());
  return tokens.filter((t): t is ReferrerPolicy => KNOWN.has(t)).pop();
}

/** A meta tag's policy: one token (a comma list is not a value HTML knows, so the tag is ignored). */
export function metaReferrerPolicy(content: string): ReferrerPolicy | undefined {
  const v = content.trim().toLowerCase();
  if (KNOWN.has(v)) return v as ReferrerPolicy;
  return LEGACY[v];
}

export interface EffectiveReferrerPolicy {
  policy: ReferrerPolicy;
  source: 'header' | 'meta' | 'default';
  /** Values set but ignored by browsers (no recognised token). */
  ignored: string[];
}

export function effectiveReferrerPolicy(header: string | undefined, metas: readonly string[] = []): EffectiveReferrerPolicy {
  let out: EffectiveReferrerPolicy = { policy: DEFAULT_REFERRER_POLICY, source: 'default', ignored: [] };
  const ignored: string[] = [];
  if (header !== undefined && header.trim() !== '') {
    const p = headerReferrerPolicy(header);
    if (p) out = { policy: p, source: 'header', ignored };
    else ignored.push(`Referrer-Policy: ${header.slice(0, 80)}`);
  }
  // A later valid meta tag replaces the document's policy.
  for (const m of metas) {
    const p = metaReferrerPolicy(m);
    if (p) out = { policy: p, source: 'meta', ignored };
    else ignored.push(`<meta name="referrer" content="${m.slice(0, 80)}">`);
  }
  return { ...out, ignored };
}

/** Policies that send the full URL (path and query, where tokens hide) to other sites. */
export function leaksFullUrl(p: ReferrerPolicy): boolean {
  return p === 'unsafe-url' || p === 'no-referrer-when-downgrade';
}

/** Policies that still send the origin to plain-HTTP sites (weaker than the browsers' default). */
export function leaksOriginOnDowngrade(p: ReferrerPolicy): boolean {
  return p === 'origin' || p === 'origin-when-cross-origin';
}
