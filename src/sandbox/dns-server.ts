// A small authoritative DNS server on loopback (UDP and TCP on one port) with fault injection, for tests and the demo.
import dgram from 'node:dgram';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import dnsPacket from 'dns-packet';

// ---------------------------------------------------------------------------------------------------------------
// Zone data

export type ZoneRecordData =
  | { type: 'A' | 'AAAA'; address: string }
  | { type: 'CNAME' | 'NS' | 'PTR'; target: string }
  | {
      type: 'SOA';
      mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number;
    }
  | { type: 'MX'; preference: number; exchange: string }
  /** Raw bytes per character-string: \DDD escapes can produce bytes that are not UTF-8. */
  | { type: 'TXT'; strings: Buffer[] }
  | { type: 'CAA'; flags: number; tag: string; value: string }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string };

/** One resource record. Names are absolute, without the trailing dot, in the case they were written ('' is the root). */
export type ZoneRecord = { name: string; ttl: number } & ZoneRecordData;

export interface Zone {
  /** The apex, absolute, no trailing dot. */
  origin: string;
  records: ZoneRecord[];
}

export class ZoneParseError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

const RR_TYPES = ['A', 'AAAA', 'CNAME', 'NS', 'SOA', 'MX', 'TXT', 'CAA', 'SRV', 'PTR'] as const;
type RrType = (typeof RR_TYPES)[number];

/** DNS matching folds ASCII letters only; toLowerCase() would also fold non-ASCII label bytes. */
function fold(name: string): string {
  return name.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

interface Token {
  /** Text as written (escapes kept): names are split on unescaped dots, so they need it. */
  raw: string;
  /** Text with escapes resolved, as the bytes that go on the wire. */
  bytes: Buffer;
  quoted: boolean;
}

interface Entry {
  line: number;
  blankOwner: boolean;
  tokens: Token[];
}

function readEscape(text: string, i: number, line: number): { bytes: Buffer; next: number } {
  // text[i] is the backslash.
  const ddd = /^\d{3}/.exec(text.slice(i + 1, i + 4));
  if (ddd) {
    const v = Number(ddd[0]);
    if (v > 255) throw new ZoneParseError(`line ${line}: escape \\${ddd[0]} is above 255`, line);
    return { bytes: Buffer.from([v]), next: i + 4 };
  }
  const cp = text.codePointAt(i + 1);
  if (cp === undefined || text[i + 1] === '\n') throw new ZoneParseError(`line ${line}: dangling backslash`, line);
  const ch = String.fromCodePoint(cp);
  return { bytes: Buffer.from(ch, 'utf8'), next: i + 1 + ch.length };
}

/** Reads characters (resolving escapes) from i until `atEnd` says stop; returns the text as written and as bytes. */
function readChars(text: string, i: number, line: number, atEnd: (ch: string | undefined) => boolean): { raw: string; bytes: Buffer; next: number } {
  const parts: Buffer[] = [];
  let raw = '';
  while (!atEnd(text[i])) {
    if (text[i] === '\\') {
      const esc = readEscape(text, i, line);
      raw += text.slice(i, esc.next);
      parts.push(esc.bytes);
      i = esc.next;
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    raw += ch;
    parts.push(Buffer.from(ch, 'utf8'));
    i += ch.length;
  }
  return { raw, bytes: Buffer.concat(parts), next: i };
}

/** Splits master-file text into logical entries: parentheses join lines, ';' starts a comment outside quotes. */
function tokenize(text: string): Entry[] {
  const entries: Entry[] = [];
  let cur: Entry | undefined;
  let line = 1;
  let depth = 0;
  let parenLine = 0;
  let atLineStart = true;
  let i = 0;
  const flush = () => {
    if (cur && cur.tokens.length) entries.push(cur);
    cur = undefined;
  };
  const entry = (blank: boolean): Entry => (cur ??= { line, blankOwner: blank, tokens: [] });

  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
      if (depth === 0) {
        flush();
        atLineStart = true;
      }
      continue;
    }
    if (c === '\r') {
      i++;
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (atLineStart && depth === 0) entry(true);
      atLineStart = false;
      i++;
      continue;
    }
    atLineStart = false;
    if (c === ';') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const e = entry(false);
    if (c === '(') {
      if (depth === 0) parenLine = line;
      depth++;
      i++;
      continue;
    }
    if (c === ')') {
      if (depth === 0) throw new ZoneParseError(`line ${line}: ')' without '('`, line);
      depth--;
      i++;
      continue;
    }
    if (c === '"') {
      const start = line;
      const t = readChars(text, i + 1, line, (ch) => {
        if (ch === undefined || ch === '\n') throw new ZoneParseError(`line ${start}: unterminated string`, start);
        return ch === '"';
      });
      e.tokens.push({ raw: t.raw, bytes: t.bytes, quoted: true });
      i = t.next + 1; // past the closing quote
      continue;
    }
    const t = readChars(text, i, line, (ch) => ch === undefined || /[\s;()"]/.test(ch));
    e.tokens.push({ raw: t.raw, bytes: t.bytes, quoted: false });
    i = t.next;
  }
  if (depth > 0) throw new ZoneParseError(`line ${parenLine}: '(' is never closed`, parenLine);
  flush();
  return entries;
}

/** Splits a written name on unescaped dots and resolves escapes per label. */
function splitLabels(raw: string, line: number): { labels: string[]; absolute: boolean } {
  const labels: string[] = [];
  let parts: Buffer[] = [];
  let absolute = false;
  let i = 0;
  const end = () => {
    const bytes = Buffer.concat(parts);
    if (bytes.length === 0) throw new ZoneParseError(`line ${line}: empty label in "${raw}"`, line);
    if (bytes.length > 63) throw new ZoneParseError(`line ${line}: label longer than 63 bytes in "${raw}"`, line);
    // Our names are dotted strings, so a label holding a literal '.' has no faithful representation.
    if (bytes.includes(0x2e)) throw new ZoneParseError(`line ${line}: escaped '.' inside a label is not supported`, line);
    labels.push(bytes.toString('utf8'));
    parts = [];
  };
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '\\') {
      const esc = readEscape(raw, i, line);
      parts.push(esc.bytes);
      i = esc.next;
    } else if (c === '.') {
      end();
      i++;
      if (i === raw.length) absolute = true;
    } else {
      const s = String.fromCodePoint(raw.codePointAt(i)!);
      parts.push(Buffer.from(s, 'utf8'));
      i += s.length;
    }
  }
  if (parts.length || (!absolute && labels.length === 0)) end();
  return { labels, absolute };
}

function parseName(raw: string, origin: string | undefined, line: number): string {
  if (raw === '@') {
    if (origin === undefined) throw new ZoneParseError(`line ${line}: '@' used before any origin is known`, line);
    return origin;
  }
  if (raw === '.') return '';
  const { labels, absolute } = splitLabels(raw, line);
  const name = labels.join('.');
  if (absolute) return name;
  if (origin === undefined) {
    throw new ZoneParseError(`line ${line}: relative name "${raw}" but no $ORIGIN or zone origin`, line);
  }
  return origin === '' ? name : `${name}.${origin}`;
}

const TTL_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

function parseTtl(raw: string): number | undefined {
  if (/^\d+$/.test(raw)) return Number(raw);
  if (!/^(\d+[smhdw])+$/i.test(raw)) return undefined;
  let total = 0;
  for (const m of raw.toLowerCase().matchAll(/(\d+)([smhdw])/g)) total += Number(m[1]) * TTL_UNITS[m[2]!]!;
  return total;
}

function parseUint(raw: string | undefined, max: number, what: string, line: number): number {
  const v = raw === undefined ? undefined : parseTtl(raw);
  if (v === undefined || v > max) throw new ZoneParseError(`line ${line}: bad ${what} "${raw ?? ''}"`, line);
  return v;
}

function parseRdata(type: RrType, t: Token[], origin: string | undefined, line: number): ZoneRecordData {
  const want = (n: number) => {
    if (t.length !== n) {
      throw new ZoneParseError(`line ${line}: ${type} needs ${n} field(s) of data, found ${t.length}`, line);
    }
  };
  const name = (i: number) => parseName(t[i]!.raw, origin, line);
  const num = (i: number, max: number, what: string) => parseUint(t[i]?.raw, max, what, line);
  switch (type) {
    case 'A':
      want(1);
      if (net.isIPv4(t[0]!.raw)) return { type, address: t[0]!.raw };
      throw new ZoneParseError(`line ${line}: "${t[0]!.raw}" is not an IPv4 address`, line);
    case 'AAAA':
      want(1);
      if (net.isIPv6(t[0]!.raw)) return { type, address: t[0]!.raw.toLowerCase() };
      throw new ZoneParseError(`line ${line}: "${t[0]!.raw}" is not an IPv6 address`, line);
    case 'CNAME':
    case 'NS':
    case 'PTR':
      want(1);
      return { type, target: name(0) };
    case 'SOA':
      want(7);
      return {
        type, mname: name(0), rname: name(1),
        serial: num(2, 0xffffffff, 'serial'), refresh: num(3, 0xffffffff, 'refresh'), retry: num(4, 0xffffffff, 'retry'),
        expire: num(5, 0xffffffff, 'expire'), minimum: num(6, 0xffffffff, 'minimum'),
      };
    case 'MX':
      want(2);
      return { type, preference: num(0, 0xffff, 'preference'), exchange: name(1) };
    case 'SRV':
      want(4);
      return {
        type, priority: num(0, 0xffff, 'priority'), weight: num(1, 0xffff, 'weight'), port: num(2, 0xffff, 'port'),
        target: name(3),
      };
    case 'TXT': {
      if (t.length === 0) throw new ZoneParseError(`line ${line}: TXT needs at least one string`, line);
      for (const s of t) {
        if (s.bytes.length > 255) throw new ZoneParseError(`line ${line}: TXT string longer than 255 bytes`, line);
      }
      return { type, strings: t.map((s) => s.bytes) };
    }
    case 'CAA': {
      want(3);
      const tag = t[1]!.raw;
      if (!/^[a-z0-9]+$/i.test(tag)) throw new ZoneParseError(`line ${line}: bad CAA tag "${tag}"`, line);
      return { type, flags: num(0, 255, 'CAA flags'), tag, value: t[2]!.bytes.toString('utf8') };
    }
  }
}

/** Parses a master-file subset ($ORIGIN, $TTL, @, parentheses, quoted strings, the types in RR_TYPES). */
export function parseZone(text: string, origin?: string): Zone {
  const fixedOrigin = origin === undefined ? undefined : origin.replace(/\.$/, '');
  let current = fixedOrigin;
  let firstOrigin: string | undefined;
  let defaultTtl: number | undefined;
  let lastTtl: number | undefined;
  let lastOwner: string | undefined;
  const records: ZoneRecord[] = [];
  const lines: number[] = [];
  let lastLine = 1;

  for (const e of tokenize(text)) {
    lastLine = e.line;
    const line = e.line;
    const toks = [...e.tokens];
    const head = toks[0]!;
    if (!e.blankOwner && !head.quoted && head.raw.startsWith('$')) {
      const directive = head.raw.toUpperCase();
      if (directive === '$ORIGIN') {
        if (toks.length !== 2) throw new ZoneParseError(`line ${line}: $ORIGIN takes one name`, line);
        current = parseName(toks[1]!.raw, current, line);
        firstOrigin ??= current;
      } else if (directive === '$TTL') {
        const ttl = toks.length === 2 ? parseTtl(toks[1]!.raw) : undefined;
        if (ttl === undefined) throw new ZoneParseError(`line ${line}: $TTL takes one duration`, line);
        defaultTtl = ttl;
      } else {
        throw new ZoneParseError(`line ${line}: unsupported directive ${head.raw}`, line);
      }
      continue;
    }

    let owner: string;
    if (e.blankOwner) {
      if (lastOwner === undefined) throw new ZoneParseError(`line ${line}: record with no owner and no previous owner`, line);
      owner = lastOwner;
    } else {
      owner = parseName(toks.shift()!.raw, current, line);
    }
    lastOwner = owner;

    // TTL and class may come in either order before the type.
    let ttl: number | undefined;
    let type: RrType | undefined;
    while (toks.length) {
      const raw = toks[0]!.raw;
      const upper = raw.toUpperCase();
      if (!toks[0]!.quoted && (RR_TYPES as readonly string[]).includes(upper)) {
        type = upper as RrType;
        toks.shift();
        break;
      }
      if (upper === 'IN') {
        toks.shift();
        continue;
      }
      if (['CH', 'HS', 'CS', 'ANY'].includes(upper)) throw new ZoneParseError(`line ${line}: class ${raw} is not supported`, line);
      const asTtl = ttl === undefined ? parseTtl(raw) : undefined;
      if (asTtl !== undefined) {
        ttl = asTtl;
        toks.shift();
        continue;
      }
      throw new ZoneParseError(`line ${line}: unknown or unsupported record type "${raw}"`, line);
    }
    if (!type) throw new ZoneParseError(`line ${line}: record has no type`, line);
    if (ttl !== undefined) lastTtl = ttl;
    const data = parseRdata(type, toks, current, line);
    records.push({ name: owner, ttl: ttl ?? defaultTtl ?? lastTtl ?? 3600, ...data } as ZoneRecord);
    lines.push(line);
  }

  const apex = fixedOrigin ?? records.find((r) => r.type === 'SOA')?.name ?? firstOrigin;
  if (apex === undefined) throw new ZoneParseError(`line ${lastLine}: cannot tell the zone's origin (no $ORIGIN, no SOA)`, lastLine);
  const lapex = fold(apex);
  records.forEach((r, i) => {
    const n = fold(r.name);
    if (lapex !== '' && n !== lapex && !n.endsWith(`.${lapex}`)) {
      throw new ZoneParseError(`line ${lines[i]}: ${r.name || '.'} is outside the zone ${apex}`, lines[i]!);
    }
  });
  // Negative answers need the SOA; a zone file without one is a typo we would rather hear about at load time.
  if (!records.some((r) => r.type === 'SOA' && fold(r.name) === lapex)) {
    throw new ZoneParseError(`line ${lastLine}: zone ${apex} has no SOA record at its apex`, lastLine);
  }
  return { origin: apex, records };
}

export async function loadZoneFile(path: string): Promise<Zone> {
  const text = await readFile(path, 'utf8');
  try {
    return parseZone(text);
  } catch (e) {
    if (e instanceof ZoneParseError) throw new ZoneParseError(`${path}: ${e.message}`, e.line);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Answering

function parent(name: string): string {
  const i = name.indexOf('.');
  return i < 0 ? '' : name.slice(i + 1);
}

class ZoneIndex {
  readonly origin: string;
  readonly soa: Extract<ZoneRecord, { type: 'SOA' }> | undefined;
  private readonly nodes = new Map<string, ZoneRecord[]>();
  /** Every name that exists, including empty non-terminals, which must get NODATA rather than NXDOMAIN. */
  private readonly names = new Set<string>();

  constructor(zone: Zone) {
    this.origin = fold(zone.origin.replace(/\.$/, ''));
    this.names.add(this.origin);
    for (const r of zone.records) {
      const key = fold(r.name);
      const list = this.nodes.get(key) ?? [];
      list.push(r);
      this.nodes.set(key, list);
      for (let n = key; n !== this.origin && n !== ''; n = parent(n)) this.names.add(n);
    }
    this.soa = zone.records.find((r): r is Extract<ZoneRecord, { type: 'SOA' }> =>
      r.type === 'SOA' && fold(r.name) === this.origin);
  }

  contains(lname: string): boolean {
    return this.origin === '' || lname === this.origin || lname.endsWith(`.${this.origin}`);
  }

  /** The topmost delegation (NS below the apex) at or above the name: we are not authoritative beneath it. */
  cut(lname: string): string | undefined {
    let found: string | undefined;
    for (let n = lname; n !== this.origin && n !== ''; n = parent(n)) {
      if (this.nodes.get(n)?.some((r) => r.type === 'NS')) found = n;
    }
    return found;
  }

  /** Records at the name; [] for an empty non-terminal; undefined when the name does not exist (RFC 4592 wildcards). */
  lookup(lname: string): ZoneRecord[] | undefined {
    if (this.names.has(lname)) return this.nodes.get(lname) ?? [];
    // A wildcard applies only below the closest existing ancestor, and only when the name itself does not exist.
    let ce = lname;
    while (ce !== this.origin && ce !== '') {
      ce = parent(ce);
      if (this.names.has(ce)) break;
    }
    return this.nodes.get(ce === '' ? '*' : `*.${ce}`);
  }

  records(lname: string): ZoneRecord[] {
    return this.nodes.get(lname) ?? [];
  }
}

function toWire(r: ZoneRecord, owner: string, ttl = r.ttl): dnsPacket.Answer {
  const base = { name: owner, ttl };
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return { ...base, type: r.type, data: r.address };
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return { ...base, type: r.type, data: r.target };
    case 'SOA':
      return {
        ...base, type: 'SOA',
        data: {
          mname: r.mname, rname: r.rname, serial: r.serial, refresh: r.refresh, retry: r.retry, expire: r.expire,
          minimum: r.minimum,
        },
      };
    case 'MX':
      return { ...base, type: 'MX', data: { preference: r.preference, exchange: r.exchange } };
    case 'TXT':
      // dns-packet rewrites the array it is given; hand it a copy so zone data stays untouched.
      return { ...base, type: 'TXT', data: [...r.strings] };
    case 'CAA':
      return { ...base, type: 'CAA', data: { flags: r.flags, tag: r.tag as 'issue', value: r.value } };
    case 'SRV':
      return { ...base, type: 'SRV', data: { priority: r.priority, weight: r.weight, port: r.port, target: r.target } };
  }
}

interface Resolution {
  rcode: number;
  aa: boolean;
  answers: dnsPacket.Answer[];
  authorities: dnsPacket.Answer[];
  additionals: dnsPacket.Answer[];
}

const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const MAX_CHAIN = 16;

function negativeSoa(zone: ZoneIndex): dnsPacket.Answer[] {
  // RFC 2308: the negative TTL is the smaller of the SOA's own TTL and its minimum field.
  return zone.soa ? [toWire(zone.soa, zone.soa.name, Math.min(zone.soa.ttl, zone.soa.minimum))] : [];
}

function resolveIn(zones: ZoneIndex[], qname: string, qtype: string): Resolution {
  const result: Resolution = { rcode: RCODE.NOERROR, aa: true, answers: [], authorities: [], additionals: [] };
  const seen = new Set<string>();
  let name = qname;
  for (let hop = 0; hop <= MAX_CHAIN; hop++) {
    const lname = fold(name.replace(/\.$/, ''));
    let zone: ZoneIndex | undefined;
    for (const z of zones) if (z.contains(lname) && (!zone || z.origin.length > zone.origin.length)) zone = z;
    if (!zone) {
      // The chain left our data: a real authoritative server hands back what it has and lets the resolver go on.
      return hop === 0 ? { ...result, rcode: RCODE.REFUSED, aa: false } : result;
    }
    const cut = zone.cut(lname);
    if (cut !== undefined) {
      if (hop > 0) return result;
      const ns = zone.records(cut).filter((r) => r.type === 'NS');
      const glue = ns.flatMap((r) => (r.type === 'NS' ? zone.records(fold(r.target)) : []))
        .filter((r) => r.type === 'A' || r.type === 'AAAA');
      return {
        ...result, aa: false,
        authorities: ns.map((r) => toWire(r, r.name)),
        additionals: glue.map((r) => toWire(r, r.name)),
      };
    }
    seen.add(lname);
    const node = zone.lookup(lname);
    if (!node) return { ...result, rcode: RCODE.NXDOMAIN, authorities: negativeSoa(zone) };
    // Exact type first: with a (broken) CNAME beside other data, SOA/NS queries still see the SOA/NS, as many
    // lenient providers serve it, so a zone can show both an apex CNAME and its NS set.
    const exact = node.filter((r) => r.type === qtype);
    if (exact.length) {
      result.answers.push(...exact.map((r) => toWire(r, name)));
      return result;
    }
    const cname = node.find((r) => r.type === 'CNAME');
    if (cname && cname.type === 'CNAME' && qtype !== 'CNAME') {
      result.answers.push(toWire(cname, name));
      if (seen.has(fold(cname.target))) return result;
      name = cname.target;
      continue;
    }
    return { ...result, authorities: negativeSoa(zone) };
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Server

export interface DnsFault {
  delayMs?: number;
  drop?: boolean;
  truncate?: boolean;
  servfail?: boolean;
  refused?: boolean;
  garbage?: boolean;
}

export interface DnsSandboxOptions {
  zones: Zone[];
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (random); UDP and TCP share it. */
  port?: number;
  /** Added before every answer. */
  delayMs?: number;
  /** Origins of zones this server hands to anyone who asks for a zone transfer (AXFR over TCP); others are refused. */
  axfr?: string[];
}

export interface DnsQueryLogEntry {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
  /** Date.now() when the query arrived. */
  at: number;
}

export interface DnsSandbox {
  address: string;
  port: number;
  /** Every well-formed query received, in order (dropped and faulted ones included). */
  queries: DnsQueryLogEntry[];
  /** Per name (case-insensitive), optionally per type; a type-specific fault wins over a name-wide one. null clears. */
  setFault(name: string, fault: DnsFault | null, type?: string): void;
  close(): Promise<void>;
}

const EDNS_SIZE = 1232;
const FLAG_QR = 0x8000;
const FLAG_AA = 0x0400;
const FLAG_TC = 0x0200;
const FLAG_RD = 0x0100;

/** Where the question ends, walking labels by hand so the raw bytes can be echoed exactly. -1 if not a plain name. */
function questionEnd(raw: Buffer): number {
  let i = 12;
  while (i < raw.length) {
    const len = raw[i]!;
    if (len === 0) return i + 5 <= raw.length ? i + 5 : -1;
    if (len > 63) return -1;
    i += len + 1;
  }
  return -1;
}

function typeName(t: string): string {
  return t.startsWith('UNKNOWN_') ? `TYPE${t.slice(8)}` : t;
}

/** Bytes that start with the query's id (so the client takes them as its reply) but cannot decode as DNS. */
function garbageFor(id: number): Buffer {
  const b = randomBytes(48);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(0xffff, 4); // claims 65535 questions
  b[12] = 0x40 | (b[12]! & 0x3f); // label type 01 is reserved: every decoder must reject it
  return b;
}

function optRecord(): dnsPacket.Answer {
  return {
    type: 'OPT', name: '.', udpPayloadSize: EDNS_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false,
    options: [],
  };
}

function encodeResponse(
  id: number, flags: number, question: Buffer | undefined,
  sections: Pick<Resolution, 'answers' | 'authorities' | 'additionals'>, edns: boolean,
): Buffer {
  const body = dnsPacket.encode({
    type: 'response', id, flags, questions: [],
    answers: sections.answers, authorities: sections.authorities,
    additionals: edns ? [...sections.additionals, optRecord()] : sections.additionals,
  });
  if (!question) return body;
  // The question is echoed byte for byte: re-encoding a decoded name could alter labels that are not UTF-8.
  const out = Buffer.concat([body.subarray(0, 12), question, body.subarray(12)]);
  out.writeUInt16BE(1, 4);
  return out;
}

const NO_SECTIONS = { answers: [], authorities: [], additionals: [] };

export async function startDnsSandbox(opts: DnsSandboxOptions): Promise<DnsSandbox> {
  const host = opts.host ?? '127.0.0.1';
  const zones = opts.zones.map((z) => new ZoneIndex(z));
  const transferable = new Map((opts.axfr ?? []).flatMap((o) => {
    const zone = opts.zones.find((z) => fold(z.origin.replace(/\.$/, '')) === fold(o.replace(/\.$/, '')));
    return zone ? [[fold(zone.origin.replace(/\.$/, '')), zone] as const] : [];
  }));
  const queries: DnsQueryLogEntry[] = [];
  const faults = new Map<string, DnsFault>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const connections = new Set<net.Socket>();
  let closed = false;

  const faultFor = (lname: string, type: string) => faults.get(`${lname}|${type}`) ?? faults.get(`${lname}|*`);

  const respond = (raw: Buffer, transport: 'udp' | 'tcp', reply: (b: Buffer) => void) => {
    if (closed || raw.length < 12) return;
    const id = raw.readUInt16BE(0);
    const qflags = raw.readUInt16BE(2);
    // Never answer a response: two servers pointed at each other would ping-pong forever.
    if (qflags & FLAG_QR) return;
    const rd = qflags & FLAG_RD;
    const opcode = (qflags >> 11) & 0xf;
    let query: dnsPacket.DecodedPacket;
    const qend = questionEnd(raw);
    try {
      query = dnsPacket.decode(raw);
    } catch {
      return reply(encodeResponse(id, rd | RCODE.FORMERR, undefined, NO_SECTIONS, false));
    }
    const q = query.questions?.[0];
    if (query.questions?.length !== 1 || !q || qend < 0) {
      return reply(encodeResponse(id, rd | RCODE.FORMERR, undefined, NO_SECTIONS, false));
    }
    const question = raw.subarray(12, qend);
    const qtype = typeName(String(q.type));
    queries.push({ name: q.name, type: qtype, transport, at: Date.now() });
    const edns = (query.additionals ?? []).find((a) => a.type === 'OPT') as dnsPacket.OptAnswer | undefined;
    const fault = faultFor(fold(q.name.replace(/\.$/, '')), qtype);
    if (fault?.drop) return;
    if (qtype === 'AXFR' && opcode === 0 && !fault) {
      const zone = transport === 'tcp' ? transferable.get(fold(q.name.replace(/\.$/, ''))) : undefined;
      if (!zone) return reply(encodeResponse(id, RCODE.REFUSED, question, NO_SECTIONS, false));
      // SOA first and last (RFC 5936), the records between, a few per message as real servers send them.
      const soa = zone.records.find((r) => r.type === 'SOA');
      if (!soa) return reply(encodeResponse(id, RCODE.SERVFAIL, question, NO_SECTIONS, false));
      const body = [soa, ...zone.records.filter((r) => r.type !== 'SOA'), soa].map((r) => toWire(r, r.name));
      for (let i = 0; i < body.length; i += 50) {
        reply(encodeResponse(id, FLAG_AA, i === 0 ? question : undefined, { answers: body.slice(i, i + 50), authorities: [], additionals: [] }, false));
      }
      return;
    }

    const build = (): Buffer => {
      if (fault?.garbage) return garbageFor(id);
      let res: Resolution;
      if (opcode !== 0) res = { rcode: RCODE.NOTIMP, aa: false, ...NO_SECTIONS };
      else if (fault?.servfail) res = { rcode: RCODE.SERVFAIL, aa: false, ...NO_SECTIONS };
      else if (fault?.refused) res = { rcode: RCODE.REFUSED, aa: false, ...NO_SECTIONS };
      else if (qtype === 'ANY') res = { rcode: RCODE.NOTIMP, aa: false, ...NO_SECTIONS };
      else if (q.class !== 'IN') res = { rcode: RCODE.REFUSED, aa: false, ...NO_SECTIONS };
      else res = resolveIn(zones, q.name, qtype);
      const flags = rd | res.rcode | (res.aa ? FLAG_AA : 0);
      const truncated = encodeResponse(id, flags | FLAG_TC, question, NO_SECTIONS, Boolean(edns));
      if (transport === 'udp' && fault?.truncate) return truncated;
      const full = encodeResponse(id, flags, question, res, Boolean(edns));
      // Without EDNS a UDP answer is limited to 512 bytes (RFC 1035); with it, to what the client advertised.
      const limit = transport === 'tcp' ? 65535 : edns ? Math.min(Math.max(512, edns.udpPayloadSize), 4096) : 512;
      return full.length > limit ? truncated : full;
    };

    const delay = (opts.delayMs ?? 0) + (fault?.delayMs ?? 0);
    if (delay <= 0) return reply(build());
    const t = setTimeout(() => {
      timers.delete(t);
      if (!closed) reply(build());
    }, delay);
    timers.add(t);
  };

  const onConnection = (sock: net.Socket) => {
    if (closed) return void sock.destroy();
    connections.add(sock);
    let pending: Buffer = Buffer.alloc(0);
    const reply = (b: Buffer) => {
      if (closed || sock.destroyed) return;
      const len = Buffer.alloc(2);
      len.writeUInt16BE(b.length);
      sock.write(Buffer.concat([len, b]));
    };
    sock.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      // Queries may arrive split across chunks or several to a chunk (RFC 7766 pipelining).
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (pending.length < 2 + len) break;
        const msg = Buffer.from(pending.subarray(2, 2 + len));
        pending = pending.subarray(2 + len);
        try {
          respond(msg, 'tcp', reply);
        } catch {
          // A bug in answering one query must not take the server down with it.
        }
      }
    });
    sock.on('error', () => sock.destroy());
    sock.on('close', () => connections.delete(sock));
  };

  const passthrough = (h: string, _o: unknown, cb: (e: NodeJS.ErrnoException | null, a: string, f: number) => void) =>
    cb(null, h, net.isIP(h));
  const udpType = net.isIP(host) === 6 ? 'udp6' : 'udp4';

  let udp: dgram.Socket | undefined;
  let tcp: net.Server | undefined;
  // With port 0, UDP picks the port and TCP must follow; if that TCP port is taken, start over with a fresh one.
  for (let attempt = 0; ; attempt++) {
    const u = dgram.createSocket({ type: udpType, lookup: passthrough });
    await new Promise<void>((resolve, reject) => {
      u.once('error', reject);
      u.bind(opts.port ?? 0, host, () => {
        u.off('error', reject);
        resolve();
      });
    });
    const s = net.createServer(onConnection);
    try {
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(u.address().port, host, () => {
          s.off('error', reject);
          resolve();
        });
      });
      udp = u;
      tcp = s;
      break;
    } catch (e) {
      u.close();
      if ((opts.port ?? 0) !== 0 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20) throw e;
    }
  }

  const sock = udp;
  sock.on('error', () => {
    // ICMP errors from clients that went away are not our problem; keep serving.
  });
  sock.on('message', (msg, rinfo) => {
    try {
      respond(msg, 'udp', (b) => {
        if (!closed) sock.send(b, rinfo.port, rinfo.address);
      });
    } catch {
      // Same as TCP: one bad query must not crash the sandbox.
    }
  });

  const server = tcp;
  let closing: Promise<void> | undefined;
  return {
    address: host,
    port: sock.address().port,
    queries,
    setFault(name, fault, type) {
      const key = `${fold(name.replace(/\.$/, ''))}|${type ? type.toUpperCase() : '*'}`;
      if (fault) faults.set(key, fault);
      else faults.delete(key);
    },
    close() {
      closing ??= (async () => {
        closed = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const c of connections) c.destroy();
        connections.clear();
        await Promise.all([
          new Promise<void>((resolve) => sock.close(() => resolve())),
          new Promise<void>((resolve) => server.close(() => resolve())),
        ]);
      })();
      return closing;
    },
  };
}
