// SPF record parser: RFC 7208 section 12 ABNF, strictly. Any syntax error anywhere makes the whole record a permerror.
import { isIPv6 } from 'node:net';

export type Qualifier = '+' | '-' | '~' | '?';
export type MechanismName = 'all' | 'include' | 'a' | 'mx' | 'ptr' | 'ip4' | 'ip6' | 'exists';

/** One piece of a macro-string: literal text or a macro to expand. */
export type MacroPart =
  | { kind: 'literal'; text: string }
  | { kind: 'macro'; letter: string; urlEscape: boolean; digits?: number; reverse: boolean; delimiters: string };

export interface Mechanism {
  kind: 'mechanism';
  text: string;
  qualifier: Qualifier;
  name: MechanismName;
  /** include, exists, and optionally a, mx, ptr. */
  domainSpec?: MacroPart[];
  /** ip4/ip6 network address. */
  network?: string;
  cidr4?: number;
  cidr6?: number;
}

export interface Modifier {
  kind: 'modifier';
  text: string;
  name: string;
  value: MacroPart[];
}

export type Term = Mechanism | Modifier;

export interface ParsedRecord {
  terms: Term[];
  mechanisms: Mechanism[];
  redirect?: Modifier;
  exp?: Modifier;
}

export class SpfSyntaxError extends Error {
  override name = 'SpfSyntaxError';
}

const MECHANISMS: readonly string[] = ['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists'];
const MACRO_LETTERS = 'slodiphcrtv';
const EXP_ONLY = 'crt';

/** True when the TXT text is an SPF version 1 record: "v=spf1" then a space or the end (case-insensitive). */
export function isSpfRecord(text: string): boolean {
  return /^v=spf1(?: |$)/i.test(text);
}

/**
 * Parses a macro-string. `inExp` allows the c, r and t letters, which are only valid in explanation strings.
 * In explanation text (RFC 7208 6.2) spaces are literal too.
 */
export function parseMacroString(s: string, opts: { inExp?: boolean; expText?: boolean } = {}): MacroPart[] {
  const parts: MacroPart[] = [];
  let lit = '';
  const flush = () => {
    if (lit) parts.push({ kind: 'literal', text: lit });
    lit = '';
  };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = ch.charCodeAt(0);
    if (ch !== '%') {
      const ok = (code >= 0x21 && code <= 0x7e) || (opts.expText && code === 0x20);
      if (!ok) throw new SpfSyntaxError(`character ${JSON.stringify(ch)} is not allowed in "${s}"`);
      lit += ch;
      continue;
    }
    const next = s[i + 1];
    if (next === '%') { lit += '%'; i++; continue; }
    if (next === '_') { lit += ' '; i++; continue; }
    if (next === '-') { lit += '%20'; i++; continue; }
    if (next !== '{') throw new SpfSyntaxError(`"%" must be followed by "{", "%", "_" or "-" in "${s}"`);
    const end = s.indexOf('}', i + 2);
    if (end < 0) throw new SpfSyntaxError(`unclosed macro in "${s}"`);
    const body = s.slice(i + 2, end);
    const m = /^([a-zA-Z])(\d*)(r?)([.\-+,/_=]*)$/i.exec(body);
    if (!m) throw new SpfSyntaxError(`bad macro "%{${body}}" in "${s}"`);
    const letter = m[1]!;
    const lower = letter.toLowerCase();
    if (!MACRO_LETTERS.includes(lower)) throw new SpfSyntaxError(`unknown macro letter "${letter}" in "${s}"`);
    if (EXP_ONLY.includes(lower) && !opts.inExp) throw new SpfSyntaxError(`macro %{${letter}} is only allowed in an explanation ("${s}")`);
    let digits: number | undefined;
    if (m[2]) {
      digits = Number(m[2]);
      // RFC 7208 4.8: zero is not a valid number of labels to keep.
      if (digits === 0) throw new SpfSyntaxError(`macro "%{${body}}" keeps zero labels in "${s}"`);
    }
    flush();
    parts.push({
      kind: 'macro', letter: lower, urlEscape: letter !== lower, ...(digits !== undefined ? { digits } : {}),
      reverse: m[3] !== '', delimiters: m[4] ?? '',
    });
    i = end;
  }
  flush();
  return parts;
}

const TOPLABEL = /^(?:[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])$/i;

/** domain-spec = macro-string domain-end: it must end in a macro or in "." toplabel ["."]. */
export function parseDomainSpec(s: string): MacroPart[] {
  if (s === '') throw new SpfSyntaxError('empty domain-spec');
  const parts = parseMacroString(s);
  const last = parts[parts.length - 1]!;
  if (last.kind === 'macro') return parts;
  // domain-end after a literal: ".toplabel" with an optional final dot.
  const text = s.endsWith('.') ? s.slice(0, -1) : s;
  const dot = text.lastIndexOf('.');
  // The toplabel must follow a "." that is part of this domain-spec (so "com" alone is not a domain-end).
  if (dot < 0) throw new SpfSyntaxError(`"${s}" is not a domain name (it needs at least two labels)`);
  const top = text.slice(dot + 1);
  // A macro that ends just before the toplabel is fine; the toplabel itself must be literal text.
  if (top.includes('%') || top.includes('}')) throw new SpfSyntaxError(`"${s}" does not end in a valid top-level label`);
  if (!TOPLABEL.test(top)) throw new SpfSyntaxError(`"${s}" does not end in a valid top-level label ("${top}")`);
  return parts;
}

function cidr(raw: string | undefined, max: number, term: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^(?:0|[1-9]\d{0,2})$/.test(raw)) throw new SpfSyntaxError(`bad CIDR length "/${raw}" in "${term}"`);
  const n = Number(raw);
  if (n > max) throw new SpfSyntaxError(`CIDR length /${n} is over ${max} in "${term}"`);
  return n;
}

const QNUM = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IP4 = new RegExp(`^${QNUM}(?:\\.${QNUM}){3}$`);

function parseMechanism(term: string, qualifier: Qualifier, body: string): Mechanism {
  // The mechanism name ends at ":" or "/" (or the end).
  const m = /^([a-zA-Z][a-zA-Z0-9\-_.]*)(.*)$/.exec(body);
  if (!m) throw new SpfSyntaxError(`"${term}" is not a mechanism or modifier`);
  const name = m[1]!.toLowerCase();
  const rest = m[2]!;
  if (!MECHANISMS.includes(name)) throw new SpfSyntaxError(`unknown mechanism "${m[1]}" in "${term}"`);
  const base = { kind: 'mechanism' as const, text: term, qualifier, name: name as MechanismName };
  switch (name) {
    case 'all':
      if (rest !== '') throw new SpfSyntaxError(`"all" takes no argument: "${term}"`);
      return base;
    case 'include':
    case 'exists':
      if (!rest.startsWith(':') || rest.length < 2) throw new SpfSyntaxError(`"${name}" needs ":domain": "${term}"`);
      return { ...base, domainSpec: parseDomainSpec(rest.slice(1)) };
    case 'ptr':
      if (rest === '') return base;
      if (!rest.startsWith(':')) throw new SpfSyntaxError(`bad "ptr" term "${term}"`);
      return { ...base, domainSpec: parseDomainSpec(rest.slice(1)) };
    case 'a':
    case 'mx': {
      const c = /^(.*?)(?:\/(\d+))?(?:\/\/(\d+))?$/.exec(rest)!;
      const spec = c[1]!;
      const cidr4 = cidr(c[2], 32, term);
      const cidr6 = cidr(c[3], 128, term);
      if (spec !== '' && (!spec.startsWith(':') || spec.length < 2)) throw new SpfSyntaxError(`bad "${name}" term "${term}"`);
      if (spec.includes('/') && /\/\d*$/.test(spec)) throw new SpfSyntaxError(`bad CIDR length in "${term}"`);
      return {
        ...base,
        ...(spec ? { domainSpec: parseDomainSpec(spec.slice(1)) } : {}),
        ...(cidr4 !== undefined ? { cidr4 } : {}),
        ...(cidr6 !== undefined ? { cidr6 } : {}),
      };
    }
    case 'ip4': {
      const c = /^:([^/]*)(?:\/(.*))?$/.exec(rest);
      if (!c || !IP4.test(c[1]!)) throw new SpfSyntaxError(`"${term}" is not ip4:<IPv4 address>[/<0-32>]`);
      const cidr4 = cidr(c[2], 32, term);
      return { ...base, network: c[1]!, ...(cidr4 !== undefined ? { cidr4 } : {}) };
    }
    case 'ip6': {
      const c = /^:([^/]*)(?:\/(.*))?$/.exec(rest);
      if (!c || !isIPv6(c[1]!)) throw new SpfSyntaxError(`"${term}" is not ip6:<IPv6 address>[/<0-128>]`);
      const cidr6 = cidr(c[2], 128, term);
      return { ...base, network: c[1]!.toLowerCase(), ...(cidr6 !== undefined ? { cidr6 } : {}) };
    }
  }
  throw new SpfSyntaxError(`unknown mechanism "${name}"`);
}

/** Parses a whole record (already known to start with v=spf1). Throws SpfSyntaxError on any syntax error. */
export function parseRecord(text: string): ParsedRecord {
  if (!isSpfRecord(text)) throw new SpfSyntaxError('the record does not start with "v=spf1"');
  const body = text.slice(6);
  // Terms are separated by one or more spaces (SP only); leading and trailing spaces are allowed.
  const raw = body.split(' ').filter((t) => t !== '');
  const out: ParsedRecord = { terms: [], mechanisms: [] };
  for (const term of raw) {
    const mod = /^([a-zA-Z][a-zA-Z0-9\-_.]*)=(.*)$/.exec(term);
    if (mod) {
      const name = mod[1]!.toLowerCase();
      const value = mod[2]!;
      let parsed: Modifier;
      if (name === 'redirect' || name === 'exp') {
        parsed = { kind: 'modifier', text: term, name, value: parseDomainSpec(value) };
        if (out[name as 'redirect' | 'exp']) throw new SpfSyntaxError(`"${name}=" appears more than once`);
        out[name as 'redirect' | 'exp'] = parsed;
      } else {
        // Unknown modifiers are ignored, but their value must still be a valid macro-string.
        parsed = { kind: 'modifier', text: term, name, value: parseMacroString(value) };
      }
      out.terms.push(parsed);
      continue;
    }
    const q = term[0];
    const qualifier: Qualifier = q === '+' || q === '-' || q === '~' || q === '?' ? q : '+';
    const mech = parseMechanism(term, qualifier, q === qualifier ? term.slice(1) : term);
    out.terms.push(mech);
    out.mechanisms.push(mech);
  }
  return out;
}

/** Terms that cost one DNS-querying lookup under the limit of 10 (RFC 7208 4.6.4). */
export function countsAsLookup(t: Term): boolean {
  if (t.kind === 'modifier') return t.name === 'redirect';
  return t.name === 'include' || t.name === 'a' || t.name === 'mx' || t.name === 'ptr' || t.name === 'exists';
}
