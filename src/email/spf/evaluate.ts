// RFC 7208 check_host(): evaluates a sender IP against a domain's SPF policy, over an injected DNS lookup function,
// with the processing limits, the macro language, redirect/exp, and a trace of every term and lookup.
import type { DnsAnswer, DnsRecordType } from '../../facts/dns.js';
import { inNetwork, macroIp, parseIp, reverseName, sameIp, type ParsedIp } from './ip.js';
import { countsAsLookup, isSpfRecord, parseMacroString, parseRecord, SpfSyntaxError, type MacroPart, type Mechanism, type ParsedRecord, type Qualifier } from './parse.js';

export const SPF_RESULTS = ['none', 'neutral', 'pass', 'fail', 'softfail', 'temperror', 'permerror'] as const;
export type SpfResultCode = (typeof SPF_RESULTS)[number];

/** DNS for the evaluator: the run's resolver in production, anything in tests. Must never throw. */
export type SpfLookup = (name: string, type: DnsRecordType) => Promise<DnsAnswer>;

export interface SpfLimits {
  /** DNS-querying terms (include, a, mx, ptr, exists, redirect). */
  lookups: number;
  voidLookups: number;
  mxNames: number;
  ptrNames: number;
}

export const RFC_LIMITS: SpfLimits = { lookups: 10, voidLookups: 2, mxNames: 10, ptrNames: 10 };

export interface SpfOptions {
  domain: string;
  ip: string;
  /** MAIL FROM address (or a bare domain); empty means the null reverse-path, so postmaster@<helo> is used. */
  sender?: string;
  helo?: string;
  lookup: SpfLookup;
  /** For %{t} in explanations; the caller's clock keeps this module pure. */
  now?: Date;
  /** For %{r} in explanations. */
  receivingDomain?: string;
  limits?: Partial<SpfLimits>;
}

export type SpfTraceKind = 'record' | 'term' | 'dns' | 'match' | 'limit' | 'result' | 'error' | 'explanation' | 'include' | 'redirect';

export interface SpfTraceEntry {
  depth: number;
  domain: string;
  kind: SpfTraceKind;
  text: string;
  /** The term being evaluated, when there is one. */
  term?: string;
  /** DNS-querying terms counted so far (after this entry). */
  lookups?: number;
  /** For dns entries: the query and its outcome. */
  query?: { name: string; type: DnsRecordType; status: DnsAnswer['status']; void: boolean };
}

export interface SpfEvaluation {
  result: SpfResultCode;
  /** The exp= explanation, on fail only. */
  explanation?: string;
  /** Why the result is permerror or temperror (or none). */
  problem?: string;
  /** The term that decided the result, and the domain whose record held it. */
  matched?: { domain: string; term: string };
  domain: string;
  ip: string;
  sender: string;
  helo?: string;
  /** The top-level SPF record, when one was found. */
  record?: string;
  lookups: number;
  voidLookups: number;
  /** Every DNS query made, counted or not (exp and %{p} lookups do not count toward the limit). */
  dnsQueries: number;
  trace: SpfTraceEntry[];
}

class SpfError extends Error {
  constructor(readonly result: 'permerror' | 'temperror', message: string) {
    super(message);
  }
}

const RESULT_OF: Record<Qualifier, SpfResultCode> = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' };

/** RFC 7208 4.3: a usable domain has at least two labels, none empty, none over 63 octets, at most 253 in all. */
export function validDomain(name: string): boolean {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  if (n.length === 0 || Buffer.byteLength(n) > 253) return false;
  const labels = n.split('.');
  return labels.length >= 2 && labels.every((l) => l.length > 0 && Buffer.byteLength(l) <= 63);
}

function bare(name: string): string {
  return (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
}

/** RFC 7208 7.3: characters outside the URI unreserved set are %-escaped by upper-case macro letters. */
function urlEscape(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

interface Identity {
  ip: ParsedIp;
  local: string;
  senderDomain: string;
  sender: string;
  helo?: string;
}

class Evaluator {
  lookups = 0;
  voidLookups = 0;
  dnsQueries = 0;
  readonly trace: SpfTraceEntry[] = [];
  private readonly limits: SpfLimits;
  private readonly validatedCache = new Map<string, Promise<string>>();

  constructor(private readonly opts: SpfOptions, private readonly id: Identity) {
    this.limits = { ...RFC_LIMITS, ...opts.limits };
  }

  log(depth: number, domain: string, kind: SpfTraceKind, text: string, extra: Partial<SpfTraceEntry> = {}): void {
    this.trace.push({ depth, domain, kind, text, ...extra });
  }

  async dns(depth: number, domain: string, name: string, type: DnsRecordType, term?: string): Promise<DnsAnswer> {
    this.dnsQueries++;
    const answer = await this.opts.lookup(name, type);
    const isVoid = answer.status === 'nxdomain' || answer.status === 'nodata' || (answer.status === 'ok' && !answer.records.some((r) => r.type === type));
    const outcome = 'message' in answer ? `${answer.status} (${answer.message})` : isVoid ? answer.status === 'ok' ? 'nodata' : answer.status : `${answer.records.filter((r) => r.type === type).length} record(s)`;
    this.log(depth, domain, 'dns', `${name} ${type}: ${outcome}`, { query: { name, type, status: answer.status, void: isVoid }, ...(term ? { term } : {}) });
    return answer;
  }

  countLookup(depth: number, domain: string, term: string): void {
    this.lookups++;
    if (this.lookups > this.limits.lookups) {
      this.log(depth, domain, 'limit', `"${term}" is DNS-querying term number ${this.lookups}: over the limit of ${this.limits.lookups}`, { term, lookups: this.lookups });
      throw new SpfError('permerror', `more than ${this.limits.lookups} DNS-querying terms (limit hit at "${term}" in the record of ${domain})`);
    }
  }

  countVoid(depth: number, domain: string, term: string): void {
    this.voidLookups++;
    if (this.voidLookups > this.limits.voidLookups) {
      this.log(depth, domain, 'limit', `void lookup number ${this.voidLookups} at "${term}": over the limit of ${this.limits.voidLookups}`, { term });
      throw new SpfError('permerror', `more than ${this.limits.voidLookups} void DNS lookups (limit hit at "${term}" in the record of ${domain})`);
    }
  }

  private records(answer: DnsAnswer, type: DnsRecordType) {
    return answer.status === 'ok' ? answer.records.filter((r) => r.type === type) : [];
  }

  /** A/AAAA of a name: addresses, or throws temperror on a DNS failure. `void` tells NODATA/NXDOMAIN. */
  private async addresses(depth: number, domain: string, name: string, family: 4 | 6, term: string): Promise<{ addrs: ParsedIp[]; void: boolean }> {
    const type = family === 4 ? 'A' : 'AAAA';
    const a = await this.dns(depth, domain, name, type, term);
    if ('message' in a) throw new SpfError('temperror', `${name} ${type} lookup failed: ${a.status}`);
    const addrs = this.records(a, type).flatMap((r) => (r.type === 'A' || r.type === 'AAAA' ? [parseIp(r.address)] : []))
      .filter((x): x is ParsedIp => x !== undefined);
    return { addrs, void: addrs.length === 0 };
  }

  async expand(parts: MacroPart[], depth: number, domain: string, isDomain: boolean): Promise<string> {
    let out = '';
    for (const p of parts) {
      if (p.kind === 'literal') { out += p.text; continue; }
      let value: string;
      switch (p.letter) {
        case 's': value = this.id.sender; break;
        case 'l': value = this.id.local; break;
        case 'o': value = this.id.senderDomain; break;
        case 'd': value = domain; break;
        case 'i': value = macroIp(this.id.ip); break;
        case 'p': value = await this.validatedName(depth, domain); break;
        case 'v': value = this.id.ip.version === 4 ? 'in-addr' : 'ip6'; break;
        case 'h': value = this.id.helo ?? 'unknown'; break;
        case 'c': value = this.id.ip.text; break;
        case 'r': value = this.opts.receivingDomain ?? 'unknown'; break;
        case 't': value = String(Math.floor((this.opts.now ?? new Date(0)).getTime() / 1000)); break;
        default: value = '';
      }
      const delims = p.delimiters || '.';
      let labels = value.split(new RegExp(`[${delims.replace(/[-\\\]^]/g, '\\$&')}]`));
      if (p.reverse) labels.reverse();
      if (p.digits !== undefined && p.digits < labels.length) labels = labels.slice(labels.length - p.digits);
      const joined = labels.join('.');
      out += p.urlEscape ? urlEscape(joined) : joined;
    }
    if (isDomain) {
      // RFC 7208 7.3: an expanded domain over 253 octets loses labels from the left until it fits.
      while (Buffer.byteLength(out) > 253 && out.includes('.')) out = out.slice(out.indexOf('.') + 1);
    }
    return out;
  }

  /** RFC 7208 5.5: the PTR names of the IP whose forward lookup returns the IP, at most ptrNames of them. */
  private async validatedNames(depth: number, domain: string, term: string, countVoid: boolean): Promise<string[]> {
    const ptr = await this.dns(depth, domain, reverseName(this.id.ip), 'PTR', term);
    if ('message' in ptr) return []; // a DNS error on the PTR lookup: the mechanism does not match (5.5)
    const names = this.records(ptr, 'PTR').flatMap((r) => (r.type === 'PTR' ? [r.target] : []));
    if (names.length === 0 && countVoid) this.countVoid(depth, domain, term);
    if (names.length > this.limits.ptrNames) this.log(depth, domain, 'limit', `${names.length} PTR names: only the first ${this.limits.ptrNames} are checked`, { term });
    const out: string[] = [];
    for (const name of names.slice(0, this.limits.ptrNames)) {
      try {
        const { addrs } = await this.addresses(depth, domain, name, this.id.ip.version, term);
        if (addrs.some((a) => sameIp(a, this.id.ip))) out.push(bare(name));
      } catch {
        // A DNS error on one name's forward lookup skips that name (5.5).
      }
    }
    return out;
  }

  private validatedName(depth: number, domain: string): Promise<string> {
    let p = this.validatedCache.get(domain);
    if (!p) {
      p = this.validatedNames(depth, domain, '%{p}', false).then((names) => {
        const d = bare(domain);
        return names.find((n) => n === d) ?? names.find((n) => n.endsWith(`.${d}`)) ?? names[0] ?? 'unknown';
      });
      this.validatedCache.set(domain, p);
    }
    return p;
  }

  async target(m: Mechanism, depth: number, domain: string): Promise<string> {
    return m.domainSpec ? this.expand(m.domainSpec, depth, domain, true) : domain;
  }

  /** Whether a mechanism matches; throws SpfError for temperror/permerror. */
  async matches(m: Mechanism, depth: number, domain: string): Promise<boolean> {
    const ip = this.id.ip;
    switch (m.name) {
      case 'all':
        return true;
      case 'ip4':
      case 'ip6': {
        const net = parseIp(m.network!);
        if (!net || net.version !== ip.version || (m.name === 'ip4') !== (ip.version === 4)) return false;
        return inNetwork(ip, net, m.name === 'ip4' ? m.cidr4 ?? 32 : m.cidr6 ?? 128);
      }
      case 'a': {
        const name = await this.target(m, depth, domain);
        if (!validDomain(name)) { this.log(depth, domain, 'error', `"${name}" is not a valid domain name: no match`, { term: m.text }); return false; }
        const { addrs, void: isVoid } = await this.addresses(depth, domain, name, ip.version, m.text);
        if (isVoid) this.countVoid(depth, domain, m.text);
        const prefix = ip.version === 4 ? m.cidr4 ?? 32 : m.cidr6 ?? 128;
        return addrs.some((a) => inNetwork(ip, a, prefix));
      }
      case 'mx': {
        const name = await this.target(m, depth, domain);
        if (!validDomain(name)) { this.log(depth, domain, 'error', `"${name}" is not a valid domain name: no match`, { term: m.text }); return false; }
        const mx = await this.dns(depth, domain, name, 'MX', m.text);
        if ('message' in mx) throw new SpfError('temperror', `${name} MX lookup failed: ${mx.status}`);
        const exchanges = this.records(mx, 'MX').flatMap((r) => (r.type === 'MX' ? [bare(r.exchange)] : []));
        if (exchanges.length === 0) this.countVoid(depth, domain, m.text);
        if (exchanges.length > this.limits.mxNames) {
          this.log(depth, domain, 'limit', `${name} has ${exchanges.length} MX names: over the limit of ${this.limits.mxNames}`, { term: m.text });
          throw new SpfError('permerror', `${name} has ${exchanges.length} MX records: more than ${this.limits.mxNames} (at "${m.text}")`);
        }
        const prefix = ip.version === 4 ? m.cidr4 ?? 32 : m.cidr6 ?? 128;
        // Every exchange is looked up before matching, and each one without an address of the client's family is a
        // void lookup, as pyspf and checkdmarc count them: the same record gives the same result whichever host matches.
        let matched = false;
        for (const ex of exchanges) {
          if (ex === '') continue; // null MX (RFC 7505)
          const { addrs, void: isVoid } = await this.addresses(depth, domain, ex, ip.version, m.text);
          if (isVoid) this.countVoid(depth, domain, m.text);
          if (addrs.some((a) => inNetwork(ip, a, prefix))) matched = true;
        }
        return matched;
      }
      case 'ptr': {
        const name = bare(await this.target(m, depth, domain));
        const names = await this.validatedNames(depth, domain, m.text, true);
        return names.some((n) => n === name || n.endsWith(`.${name}`));
      }
      case 'exists': {
        const name = await this.target(m, depth, domain);
        if (!validDomain(name)) { this.log(depth, domain, 'error', `"${name}" is not a valid domain name: no match`, { term: m.text }); return false; }
        const a = await this.dns(depth, domain, name, 'A', m.text);
        if ('message' in a) throw new SpfError('temperror', `${name} A lookup failed: ${a.status}`);
        const found = this.records(a, 'A').length > 0;
        if (!found) this.countVoid(depth, domain, m.text);
        return found;
      }
      case 'include': {
        const name = await this.target(m, depth, domain);
        this.log(depth, domain, 'include', `include → ${name}`, { term: m.text });
        const inner = await this.checkHost(name, depth + 1);
        // RFC 7208 5.2: only an inner pass is a match; fail, softfail and neutral just move on.
        this.log(depth, domain, 'include', `${name} gave ${inner.result}: ${inner.result === 'pass' ? 'match' : inner.result === 'fail' || inner.result === 'softfail' || inner.result === 'neutral' ? 'no match' : 'an error for the whole evaluation'}`, { term: m.text });
        if (inner.result === 'pass') return true;
        if (inner.result === 'fail' || inner.result === 'softfail' || inner.result === 'neutral') return false;
        if (inner.result === 'temperror') throw new SpfError('temperror', `include:${name}: ${inner.problem ?? 'temperror'}`);
        throw new SpfError('permerror', inner.result === 'none'
          ? `include:${name} has no SPF record`
          : `include:${name}: ${inner.problem ?? 'permerror'}`);
      }
    }
  }

  /** The SPF record of a domain: one record, or a result that ends evaluation. */
  async fetchRecord(domain: string, depth: number): Promise<{ text: string; record: ParsedRecord } | { result: SpfResultCode; problem: string }> {
    const answer = await this.dns(depth, domain, domain, 'TXT');
    if ('message' in answer) return { result: 'temperror', problem: `TXT lookup of ${domain} failed: ${answer.status}${answer.message ? ` (${answer.message})` : ''}` };
    const texts = this.records(answer, 'TXT').flatMap((r) => (r.type === 'TXT' ? [r.text] : []));
    const spf = texts.filter(isSpfRecord);
    if (spf.length === 0) {
      return { result: 'none', problem: answer.status === 'nxdomain' ? `${domain} does not exist` : `${domain} has no SPF record` };
    }
    if (spf.length > 1) return { result: 'permerror', problem: `${domain} has ${spf.length} SPF records (exactly one is allowed)` };
    const text = spf[0]!;
    this.log(depth, domain, 'record', text);
    try {
      return { text, record: parseRecord(text) };
    } catch (e) {
      if (e instanceof SpfSyntaxError) return { result: 'permerror', problem: `syntax error in the SPF record of ${domain}: ${e.message}` };
      throw e;
    }
  }

  async checkHost(domainIn: string, depth: number): Promise<{ result: SpfResultCode; problem?: string; explanation?: string; matched?: { domain: string; term: string }; record?: string }> {
    const domain = bare(domainIn);
    if (!validDomain(domain)) {
      const problem = `"${domainIn}" is not a valid domain name`;
      this.log(depth, domainIn, 'result', `none: ${problem}`);
      return { result: 'none', problem };
    }
    const fetched = await this.fetchRecord(domain, depth);
    if ('result' in fetched) {
      this.log(depth, domain, 'result', `${fetched.result}: ${fetched.problem}`);
      return fetched;
    }
    const { record, text } = fetched;
    try {
      for (const m of record.mechanisms) {
        if (countsAsLookup(m)) this.countLookup(depth, domain, m.text);
        this.log(depth, domain, 'term', m.text, { term: m.text, lookups: this.lookups });
        if (await this.matches(m, depth, domain)) {
          const result = RESULT_OF[m.qualifier];
          this.log(depth, domain, 'match', `"${m.text}" matched: ${result}`, { term: m.text });
          const explanation = result === 'fail' && record.exp ? await this.explain(record.exp.value, depth, domain) : undefined;
          return { result, matched: { domain, term: m.text }, record: text, ...(explanation !== undefined ? { explanation } : {}) };
        }
      }
      // redirect= applies only when nothing matched and the record has no "all" (RFC 7208 6.1).
      if (record.redirect && !record.mechanisms.some((m) => m.name === 'all')) {
        this.countLookup(depth, domain, record.redirect.text);
        const target = await this.expand(record.redirect.value, depth, domain, true);
        this.log(depth, domain, 'redirect', `redirect → ${target}`, { term: record.redirect.text, lookups: this.lookups });
        const inner = await this.checkHost(target, depth + 1);
        if (inner.result === 'none') {
          return { result: 'permerror', problem: `redirect=${target} has no SPF record`, record: text };
        }
        return { ...inner, record: text };
      }
      this.log(depth, domain, 'result', 'no term matched: neutral');
      return { result: 'neutral', record: text };
    } catch (e) {
      if (!(e instanceof SpfError)) throw e;
      this.log(depth, domain, 'error', `${e.result}: ${e.message}`);
      return { result: e.result, problem: e.message, record: text };
    }
  }

  /** RFC 7208 6.2: any failure while building the explanation just means no explanation. */
  private async explain(spec: MacroPart[], depth: number, domain: string): Promise<string | undefined> {
    try {
      const name = await this.expand(spec, depth, domain, true);
      if (!validDomain(name)) return undefined;
      const answer = await this.dns(depth, domain, name, 'TXT', 'exp');
      const texts = this.records(answer, 'TXT').flatMap((r) => (r.type === 'TXT' ? [r.text] : []));
      if (texts.length !== 1) return undefined;
      const text = await this.expand(parseMacroString(texts[0]!, { inExp: true, expText: true }), depth, domain, false);
      this.log(depth, domain, 'explanation', text);
      return text;
    } catch {
      return undefined;
    }
  }
}

function identity(opts: SpfOptions, ip: ParsedIp): Identity {
  const raw = (opts.sender ?? '').trim();
  const helo = opts.helo ? bare(opts.helo) : undefined;
  let local = 'postmaster';
  let senderDomain: string;
  if (raw.includes('@')) {
    const at = raw.lastIndexOf('@');
    local = raw.slice(0, at) || 'postmaster';
    senderDomain = bare(raw.slice(at + 1));
  } else if (raw) {
    senderDomain = bare(raw);
  } else {
    // The null reverse-path: the HELO identity stands in (RFC 7208 2.4), else the checked domain.
    senderDomain = helo ?? bare(opts.domain);
  }
  return { ip, local, senderDomain, sender: `${local}@${senderDomain}`, ...(helo ? { helo } : {}) };
}

/** check_host(ip, domain, sender). Never throws for DNS or record problems: they are results. */
export async function checkHost(opts: SpfOptions): Promise<SpfEvaluation> {
  const ip = parseIp(opts.ip);
  if (!ip) throw new RangeError(`"${opts.ip}" is not an IP address`);
  const id = identity(opts, ip);
  const ev = new Evaluator(opts, id);
  const out = await ev.checkHost(opts.domain, 0);
  ev.log(0, bare(opts.domain), 'result', `${out.result}${out.problem ? `: ${out.problem}` : ''}`);
  return {
    result: out.result,
    ...(out.explanation !== undefined ? { explanation: out.explanation } : {}),
    ...(out.problem ? { problem: out.problem } : {}),
    ...(out.matched ? { matched: out.matched } : {}),
    domain: bare(opts.domain),
    ip: ip.text,
    sender: id.sender,
    ...(id.helo ? { helo: id.helo } : {}),
    ...(out.record ? { record: out.record } : {}),
    lookups: ev.lookups,
    voidLookups: ev.voidLookups,
    dnsQueries: ev.dnsQueries,
    trace: ev.trace,
  };
}

/** Expands a macro-string as check_host() would for this identity (for tests and the CLI's explanations). */
export async function expandMacros(text: string, opts: Omit<SpfOptions, 'lookup'> & { lookup?: SpfLookup; explanation?: boolean }): Promise<string> {
  const ip = parseIp(opts.ip);
  if (!ip) throw new RangeError(`"${opts.ip}" is not an IP address`);
  const lookup: SpfLookup = opts.lookup ?? (async (name, type) => ({ status: 'error', name, type, server: 'none', elapsedMs: 0, message: 'no DNS' }));
  const ev = new Evaluator({ ...opts, lookup }, identity({ ...opts, lookup }, ip));
  const parts = parseMacroString(text, opts.explanation ? { inExp: true, expText: true } : {});
  return ev.expand(parts, 0, bare(opts.domain), !opts.explanation);
}
