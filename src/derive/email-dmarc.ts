// DMARC record parser on RFC 9989 (which replaces RFC 7489): what receivers would reject, what they would ignore,
// and where receivers still on RFC 7489 read the record differently.

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';

export interface DmarcUri {
  uri: string;
  /** For mailto: URIs, the domain reports go to. */
  domain?: string;
}

export interface ParsedDmarc {
  tags: Record<string, string>;
  /** Problems that make receivers discard the record (it then counts as no DMARC at all). */
  errors: string[];
  /** Tags receivers ignore: unknown names, or values they fall back from. */
  warnings: string[];
  /** Tags RFC 9989 removed (pct, rf, ri): RFC 9989 receivers ignore them, RFC 7489 receivers still apply them. */
  removed: string[];
  /** Where receivers still on RFC 7489 read this record differently (they discard it, or apply a removed tag). */
  rfc7489: string[];
  p?: DmarcPolicy;
  sp?: DmarcPolicy;
  /** np=: the policy for subdomains that do not exist (RFC 9989). */
  np?: DmarcPolicy;
  /** psd=y|n|u (RFC 9989). */
  psd?: 'y' | 'n' | 'u';
  /** t=y: the domain owner is testing the policy. */
  testing: boolean;
  pct: number;
  adkim: 'r' | 's';
  aspf: 'r' | 's';
  rua: DmarcUri[];
  ruf: DmarcUri[];
}

const KNOWN = new Set(['v', 'p', 'sp', 'pct', 'adkim', 'aspf', 'rua', 'ruf', 'fo', 'rf', 'ri', 'np', 'psd', 't']);
const POLICIES = new Set(['none', 'quarantine', 'reject']);

export function isDmarcRecord(text: string): boolean {
  // Tag names and values are case-insensitive (RFC 9989): V=DMARC1 is a DMARC record.
  return /^v\s*=\s*DMARC1\s*(?:;|$)/i.test(text);
}

function parseUris(value: string, tag: string, errors: string[]): DmarcUri[] {
  return value.split(',').map((raw) => raw.trim()).filter(Boolean).map((raw) => {
    // A size limit may follow: mailto:x@example.com!10m
    const uri = raw.replace(/!\d+[kmgt]?$/i, '');
    const m = /^mailto:([^@\s]+)@([^\s?!]+)$/i.exec(uri);
    if (!m) {
      if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(uri)) errors.push(`${tag}: "${raw}" is not a URI`);
      return { uri: raw };
    }
    return { uri: raw, domain: m[2]!.toLowerCase().replace(/\.$/, '') };
  });
}

export function parseDmarc(text: string): ParsedDmarc {
  const out: ParsedDmarc = {
    tags: {}, errors: [], warnings: [], removed: [], rfc7489: [], pct: 100, adkim: 'r', aspf: 'r', rua: [], ruf: [], testing: false,
  };
  const parts = text.split(';').map((p) => p.trim());
  if (parts[parts.length - 1] === '') parts.pop();
  const order: string[] = [];
  for (const part of parts) {
    const m = /^([a-zA-Z0-9_]+)\s*=\s*(.*)$/.exec(part);
    if (!m) {
      out.errors.push(`"${part}" is not a tag=value pair`);
      continue;
    }
    const name = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (name in out.tags) out.errors.push(`tag "${name}" appears more than once`);
    out.tags[name] = value;
    order.push(name);
    if (!KNOWN.has(name)) out.warnings.push(`unknown tag "${m[1]}" (receivers ignore it)`);
  }
  const lower = (t: string) => out.tags[t]?.toLowerCase();
  if (order[0] !== 'v' || lower('v') !== 'dmarc1') out.errors.push('the record must start with "v=DMARC1"');
  const policy = (t: 'p' | 'sp' | 'np') => (POLICIES.has(lower(t) ?? '') ? (lower(t) as DmarcPolicy) : undefined);
  const p = out.tags.p;
  if (p === undefined) {
    // RFC 9989: no p= (or an invalid one) reads as p=none when the record is otherwise valid.
    out.p = 'none';
    out.rfc7489.push('no p= tag: RFC 9989 reads it as p=none; receivers on RFC 7489 discard the record');
  } else {
    out.p = policy('p');
    if (!out.p) {
      out.p = 'none';
      out.warnings.push(`p=${p}: expected none, quarantine or reject (receivers apply p=none)`);
      out.rfc7489.push(`p=${p} is invalid: receivers on RFC 7489 discard the record`);
    }
    if (order[1] !== 'p') out.rfc7489.push('p= does not come right after v=DMARC1: receivers on RFC 7489 discard the record');
  }
  if (out.tags.sp !== undefined) {
    out.sp = policy('sp');
    if (!out.sp) out.warnings.push(`sp=${out.tags.sp}: expected none, quarantine or reject (receivers apply p= to subdomains instead)`);
  }
  if (out.tags.np !== undefined) {
    out.np = policy('np');
    if (!out.np) out.warnings.push(`np=${out.tags.np}: expected none, quarantine or reject (receivers apply sp=, else p=, to non-existent subdomains instead)`);
  }
  if (out.tags.psd !== undefined) {
    const v = lower('psd');
    if (v === 'y' || v === 'n' || v === 'u') out.psd = v;
    else out.warnings.push(`psd=${out.tags.psd}: expected y, n or u (receivers use u: the tree walk decides)`);
  }
  if (out.tags.t !== undefined) {
    const v = lower('t');
    if (v === 'y') out.testing = true;
    else if (v !== 'n') out.warnings.push(`t=${out.tags.t}: expected y or n (receivers use n)`);
  }
  for (const t of ['pct', 'rf', 'ri'] as const) {
    if (out.tags[t] !== undefined) out.removed.push(`${t}=${out.tags[t]}`);
  }
  if (out.tags.pct !== undefined) {
    // Kept for receivers on RFC 7489, which still sample by it.
    if (/^\d{1,3}$/.test(out.tags.pct) && Number(out.tags.pct) <= 100) out.pct = Number(out.tags.pct);
    if (out.pct < 100) out.rfc7489.push(`pct=${out.pct}: receivers on RFC 7489 apply the policy to ${out.pct}% of failing mail only`);
  }
  for (const t of ['adkim', 'aspf'] as const) {
    const v = lower(t);
    if (v === undefined) continue;
    if (v === 'r' || v === 's') out[t] = v;
    else out.warnings.push(`${t}=${out.tags[t]}: expected r or s (ignored)`);
  }
  if (out.tags.fo !== undefined && !/^[01ds](?:\s*:\s*[01ds])*$/i.test(out.tags.fo)) out.warnings.push(`fo=${out.tags.fo}: expected 0, 1, d or s separated by ":"`);
  if (out.tags.rua !== undefined) out.rua = parseUris(out.tags.rua, 'rua', out.warnings);
  if (out.tags.ruf !== undefined) out.ruf = parseUris(out.tags.ruf, 'ruf', out.warnings);
  return out;
}

/** The DMARC record among TXT texts at _dmarc.<domain>: one, none, or several (invalid: receivers use none). */
export function selectDmarc(texts: readonly string[]): { record?: string; count: number } {
  const found = texts.filter(isDmarcRecord);
  return found.length === 1 ? { record: found[0]!, count: 1 } : { count: found.length };
}

/** RFC 9989 4.10: the names a DNS tree walk asks above a domain, nearest first: a name of 8 or more labels jumps to its
 * 7 rightmost, then one label goes at a time, down to the top-level domain. */
export function treeWalkNames(domain: string): string[] {
  const labels = domain.toLowerCase().replace(/\.$/, '').split('.');
  const out: string[] = [];
  for (let n = Math.min(labels.length - 1, 7); n >= 1; n--) out.push(labels.slice(-n).join('.'));
  return out;
}

/**
 * RFC 9989 4.10.2: the organizational domain from the DMARC records a tree walk found, the domain's own first. A
 * record with psd=n names its own domain; one with psd=y above the start names the domain one label below it;
 * otherwise the valid record with the fewest labels wins. Undefined when the walk found no valid record.
 */
export function organizationalDomainFromWalk(domain: string, found: readonly { name: string; texts: readonly string[] }[]): string | undefined {
  const start = domain.toLowerCase().replace(/\.$/, '');
  let fewest: string | undefined;
  for (const [i, f] of found.entries()) {
    const sel = selectDmarc(f.texts);
    if (!sel.record) continue;
    const parsed = parseDmarc(sel.record);
    if (parsed.errors.length) continue;
    if (parsed.psd === 'n') return f.name;
    if (parsed.psd === 'y' && i > 0) return start.split('.').slice(-(f.name.split('.').length + 1)).join('.');
    fewest = f.name;
  }
  return fewest;
}
