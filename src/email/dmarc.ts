// DMARC record parser (RFC 7489 section 6.3/6.4), strict: what receivers would reject and what they would ignore.

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
  p?: DmarcPolicy;
  sp?: DmarcPolicy;
  pct: number;
  adkim: 'r' | 's';
  aspf: 'r' | 's';
  rua: DmarcUri[];
  ruf: DmarcUri[];
}

const KNOWN = new Set(['v', 'p', 'sp', 'pct', 'adkim', 'aspf', 'rua', 'ruf', 'fo', 'rf', 'ri', 'np', 'psd', 't']);
const POLICIES = new Set(['none', 'quarantine', 'reject']);

export function isDmarcRecord(text: string): boolean {
  return /^v\s*=\s*DMARC1\s*(?:;|$)/.test(text);
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
  const out: ParsedDmarc = { tags: {}, errors: [], warnings: [], pct: 100, adkim: 'r', aspf: 'r', rua: [], ruf: [] };
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
  if (order[0] !== 'v' || out.tags.v !== 'DMARC1') out.errors.push('the record must start with "v=DMARC1"');
  const p = out.tags.p;
  if (p === undefined) {
    out.errors.push('no p= tag (the policy is required)');
  } else {
    if (order[1] !== 'p') out.errors.push('p= must come right after v=DMARC1');
    if (POLICIES.has(p.toLowerCase())) out.p = p.toLowerCase() as DmarcPolicy;
    else out.errors.push(`p=${p}: expected none, quarantine or reject`);
  }
  if (out.tags.sp !== undefined) {
    if (POLICIES.has(out.tags.sp.toLowerCase())) out.sp = out.tags.sp.toLowerCase() as DmarcPolicy;
    else out.warnings.push(`sp=${out.tags.sp}: expected none, quarantine or reject (ignored)`);
  }
  if (out.tags.pct !== undefined) {
    if (/^\d{1,3}$/.test(out.tags.pct) && Number(out.tags.pct) <= 100) out.pct = Number(out.tags.pct);
    else out.warnings.push(`pct=${out.tags.pct}: expected a whole number 0-100 (ignored)`);
  }
  for (const t of ['adkim', 'aspf'] as const) {
    const v = out.tags[t];
    if (v === undefined) continue;
    if (v === 'r' || v === 's') out[t] = v;
    else out.warnings.push(`${t}=${v}: expected r or s (ignored)`);
  }
  if (out.tags.ri !== undefined && !/^\d{1,10}$/.test(out.tags.ri)) out.warnings.push(`ri=${out.tags.ri}: expected a number of seconds`);
  if (out.tags.fo !== undefined && !/^[01ds](?:\s*:\s*[01ds])*$/.test(out.tags.fo)) out.warnings.push(`fo=${out.tags.fo}: expected 0, 1, d or s separated by ":"`);
  if (out.tags.rf !== undefined && !/^(?:afrf|iodef)(?:\s*:\s*(?:afrf|iodef))*$/i.test(out.tags.rf)) out.warnings.push(`rf=${out.tags.rf}: expected afrf`);
  if (out.tags.rua !== undefined) out.rua = parseUris(out.tags.rua, 'rua', out.warnings);
  if (out.tags.ruf !== undefined) out.ruf = parseUris(out.tags.ruf, 'ruf', out.warnings);
  return out;
}

/** The DMARC record among TXT texts at _dmarc.<domain>: one, none, or several (invalid: receivers use none). */
export function selectDmarc(texts: readonly string[]): { record?: string; count: number } {
  const found = texts.filter(isDmarcRecord);
  return found.length === 1 ? { record: found[0]!, count: 1 } : { count: found.length };
}
