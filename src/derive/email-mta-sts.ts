// MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) record and policy parsers.

export interface ParsedStsTxt {
  id?: string;
  errors: string[];
}

/** _mta-sts TXT: "v=STSv1; id=<1-32 alphanumerics>;" */
export function parseStsTxt(text: string): ParsedStsTxt {
  const errors: string[] = [];
  const tags = new Map<string, string>();
  const parts = text.split(';').map((p) => p.trim()).filter(Boolean);
  for (const p of parts) {
    const m = /^([a-zA-Z0-9_-]+)=(.*)$/.exec(p);
    if (!m) errors.push(`"${p}" is not a field=value pair`);
    else tags.set(m[1]!, m[2]!.trim());
  }
  if (!/^v=STSv1(?:;|\s|$)/.test(text)) errors.push('the record must start with "v=STSv1"');
  const id = tags.get('id');
  if (id === undefined) errors.push('no id= field');
  else if (!/^[A-Za-z0-9]{1,32}$/.test(id)) errors.push(`id=${id}: expected 1-32 letters and digits`);
  return { ...(id !== undefined ? { id } : {}), errors };
}

export interface ParsedStsPolicy {
  version?: string;
  mode?: 'enforce' | 'testing' | 'none';
  maxAge?: number;
  mx: string[];
  errors: string[];
}

export function parseStsPolicy(text: string): ParsedStsPolicy {
  const out: ParsedStsPolicy = { mx: [], errors: [] };
  let seenMode = false;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const m = /^([a-zA-Z0-9_]+):\s*(.*?)\s*$/.exec(line);
    if (!m) { out.errors.push(`"${line.slice(0, 60)}" is not a key: value line`); continue; }
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'version') out.version = value;
    else if (key === 'mode') {
      // A repeated mode: the first one counts (as senders' parsers read it).
      if (seenMode) continue;
      seenMode = true;
      if (value === 'enforce' || value === 'testing' || value === 'none') out.mode = value;
      else out.errors.push(`mode: ${value}: expected enforce, testing or none`);
    } else if (key === 'max_age') {
      if (/^\d{1,10}$/.test(value) && Number(value) <= 31557600) out.maxAge = Number(value);
      else out.errors.push(`max_age: ${value}: expected seconds up to 31557600`);
    } else if (key === 'mx') out.mx.push(value.toLowerCase());
  }
  if (out.version !== 'STSv1') out.errors.push('version must be STSv1');
  if (!out.mode) out.errors.push('no mode');
  if (out.maxAge === undefined) out.errors.push('no max_age');
  if (out.mode !== 'none' && out.mx.length === 0) out.errors.push('no mx patterns');
  return out;
}

/** RFC 8461 4.1: "*.example.com" matches exactly one extra leftmost label. */
export function mxPatternMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (p.startsWith('*.')) {
    const rest = p.slice(2);
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === rest;
  }
  return p === h;
}

/** _smtp._tls TXT: "v=TLSRPTv1; rua=mailto:...,https://..." */
export function parseTlsRpt(text: string): { rua: string[]; errors: string[] } {
  const errors: string[] = [];
  if (!/^v=TLSRPTv1\s*(?:;|$)/.test(text)) errors.push('the record must start with "v=TLSRPTv1"');
  const m = /(?:^|;)\s*rua=([^;]*)/.exec(text);
  const rua = m ? m[1]!.split(',').map((s) => s.trim()).filter(Boolean) : [];
  if (!m) errors.push('no rua= field (where reports go)');
  for (const u of rua) if (!/^(?:mailto:[^@\s]+@\S+|https:\/\/\S+)$/i.test(u)) errors.push(`rua: "${u}" is not a mailto: or https: URI`);
  return { rua, errors };
}
