// The secrets engine: one keyword prefilter pass decides which rule regexes run on a text, then each match is
// checked against entropy, placeholders, allow comments and the rule's own test. Raw values never leave the engine's
// caller (the collector) unmasked: see toRecord.
import { createHash } from 'node:crypto';
import { maskSecret } from '../redact.js';
import type { Severity } from '../types.js';
import { SECRET_RULES, type SecretRule } from './rules.js';

export interface Hit {
  rule: SecretRule;
  /** Stable hash of the value under this rule: the raw value itself never leaves the engine. */
  secretId: string;
  /** Short prefix and length. */
  masked: string;
  length: number;
  /** Offset of the value in the scanned text. */
  index: number;
  /** 1-based line of the match start within the scanned text. */
  line: number;
  /** The line with every secret found on it masked, cut short. */
  evidence: string;
  /** The line carries an inline allow comment: counted, never reported. */
  allowed: boolean;
  /** The value is public by design in this file (e.g. a Firebase config): severity is downgraded. */
  publicByDesign: boolean;
  /** The rule's severity, or what its context makes it (a Google key under a server-side name, a JWT's claims). */
  severity: Severity;
}

export const ALLOW_MARKERS = ['launch-ready-allow', 'gitleaks:allow'];

// Documented example values, template syntax and filler: none of these is ever a live credential.
const PLACEHOLDER = /x{5,}|X{5,}|\*{4,}|#{4,}|\.{4,}|example|sample|placeholder|changeme|change_me|change-me|your[_-]|yourkey|<[^>]*>|\$\{|\{\{|%s|%\(|dummy|fake|redacted|replace[_-]?me|insert[_-]|todo|lorem|0{8,}|12345678|abcdefgh|qwerty/i;
// Defaults that dev databases and tutorials use; as a database password they mean "local", not "leaked".
const DEV_PASSWORDS = new Set(['postgres', 'password', 'pass', 'root', 'admin', 'secret', 'mysql', 'redis', 'guest', 'test', 'user', 'example', 'changeme', 'pwd', 'dev', 'development', 'local', 'docker', 'prisma', 'mongo']);
export const TEST_PATH = /(?:^|\/)(?:tests?|__tests__|__mocks__|spec|specs|fixtures?|testdata|test-data|mocks?|e2e|cypress|examples?|samples?|docs?)\/|\.(?:test|spec|stories)\.[a-z]+$|(?:^|\/)(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb|Cargo\.lock|poetry\.lock|Gemfile\.lock|composer\.lock|go\.sum|Podfile\.lock|pubspec\.lock)$|\.min\.(?:js|css)$|\.map$|\.svg$/i;

// Docs, bundles and vendored code: a generic `token = "..."` there is an example or someone else's constant.
const GENERIC_QUIET_PATH = /\.(?:md|mdx|markdown|rst|adoc|txt|html?)$|(?:^|\/)(?:dist|build|out|vendor|node_modules|third[_-]party|Pods|\.next|\.nuxt)\//i;

// What follows an already-redacted value: `xoxp-1234-####`, `ghp_abc***`, `sk_live_…`.
const REDACTED_TAIL = /^(?:#{3}|\*{3}|x{4}|X{4}|…|\.{3})/;
// Names that say the value is public or only names where a secret lives (`NEXT_PUBLIC_*`, `publicToken`,
// `keyVaultName`, `LLM_SECRET_NAME`), and identifiers of a credential (key_id, clientId).
const NOT_A_SECRET_NAME = /^(?:next_|vite_|react_app_|expo_)?public|key_?vault|(?:[_.-]id|Id|ID)$|name$/i;

/** The identifier a value is assigned to on its line (`gcpToken = "v"`, `"GCP_KEY": "v"`, `X_KEY=v`), if any. */
export function assignedName(text: string, index: number): string | undefined {
  let i = index - 1;
  while (i >= 0 && i > index - 40 && /[\s"'`:=?.,>+!\\(]/.test(text[i]!) && text[i] !== '\n') i--;
  const end = i + 1;
  while (i >= 0 && /[A-Za-z0-9_.-]/.test(text[i]!)) i--;
  const name = text.slice(i + 1, end);
  return name.length > 0 && end < index ? name : undefined;
}

/** The whole identifier a keyword sits in (`publicToken` for a match that starts at `Token`). */
function fullName(text: string, index: number, name: string): string {
  let i = index - 1;
  while (i >= 0 && /[A-Za-z0-9_.-]/.test(text[i]!)) i--;
  return text.slice(i + 1, index) + name;
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

export function isPlaceholder(secret: string): boolean {
  if (PLACEHOLDER.test(secret)) return true;
  // One character repeated, or a short run repeated (abcabcabc...).
  if (/^(.{1,4})\1+$/.test(secret)) return true;
  return false;
}

/** A stable id for one secret value under one rule: a baseline and accept entries refer to a secret by it. */
export function secretId(ruleId: string, secret: string): string {
  return createHash('sha256').update(`${ruleId}\0${secret}`).digest('hex').slice(0, 16);
}

/**
 * A short window of the line around one secret, with every found value in it masked by position (a value that
 * spans lines, like a PEM body, is masked on each line it touches). Only a little context on either side, so a
 * secret no rule recognised that sits on the same line is unlikely to be shown.
 */
export function redactedEvidence(lineText: string, lineStart: number, values: readonly { index: number; end: number; secret: string }[], target?: { index: number }): string {
  const lineEnd = lineStart + lineText.length;
  let out = '';
  let at = lineStart;
  let targetAt = -1;
  let targetEnd = -1;
  for (const v of [...values].filter((o) => o.index < lineEnd && o.end > lineStart).sort((a, b) => a.index - b.index)) {
    const from = Math.max(v.index, at);
    out += lineText.slice(at - lineStart, from - lineStart);
    if (target && v.index === target.index) targetAt = out.length;
    out += maskSecret(v.secret);
    if (target && v.index === target.index) targetEnd = out.length;
    at = Math.max(at, Math.min(v.end, lineEnd));
  }
  out += lineText.slice(at - lineStart);
  const BEFORE = 48;
  const AFTER = 24;
  if (targetAt === -1) { targetAt = 0; targetEnd = 0; }
  const from = Math.max(0, targetAt - BEFORE);
  const to = Math.min(out.length, targetEnd + AFTER);
  return `${from > 0 ? '…' : ''}${out.slice(from, to).trim()}${to < out.length ? '…' : ''}`;
}

/**
 * A multi-keyword matcher (Aho-Corasick as a DFA over ASCII, case-insensitive): one pass over the text reports
 * which keywords occur. A regex alternation of ~60 literals is several times slower on large diffs.
 */
export class KeywordMatcher {
  private readonly table: Int32Array;
  /** 1 where a keyword ends at the state: the hot loop reads this typed array, not the list. */
  private readonly accepting: Uint8Array;
  /** For each state, the keyword indexes that end there (including via failure links). */
  private readonly out: (number[] | undefined)[];

  constructor(readonly keywords: readonly string[]) {
    const goto: Map<number, number>[] = [new Map()];
    const out: number[][] = [[]];
    keywords.forEach((k, ki) => {
      let st = 0;
      for (const ch of k.toLowerCase()) {
        const c = ch.charCodeAt(0);
        if (c >= 128) throw new Error(`keyword "${k}" must be ASCII`);
        let next = goto[st]!.get(c);
        if (next === undefined) { next = goto.length; goto.push(new Map()); out.push([]); goto[st]!.set(c, next); }
        st = next;
      }
      out[st]!.push(ki);
    });
    const n = goto.length;
    const table = new Int32Array(n * 128);
    const fail = new Int32Array(n);
    const queue: number[] = [];
    for (let c = 0; c < 128; c++) {
      const next = goto[0]!.get(c);
      table[c] = next ?? 0;
      if (next !== undefined) queue.push(next);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const st = queue[qi]!;
      out[st]!.push(...out[fail[st]!]!);
      for (let c = 0; c < 128; c++) {
        const next = goto[st]!.get(c);
        if (next !== undefined) {
          fail[next] = table[fail[st]! * 128 + c]!;
          table[st * 128 + c] = next;
          queue.push(next);
        } else {
          table[st * 128 + c] = table[fail[st]! * 128 + c]!;
        }
      }
    }
    // Upper-case letters move like their lower-case forms.
    for (let st = 0; st < n; st++) for (let c = 65; c <= 90; c++) table[st * 128 + c] = table[st * 128 + c + 32]!;
    this.table = table;
    this.out = out.map((o) => (o.length ? [...new Set(o)] : undefined));
    this.accepting = Uint8Array.from(out, (o) => (o.length ? 1 : 0));
  }

  /** Indexes of the keywords found in the text; stops early once `limit` distinct ones are seen. */
  find(text: string, limit = this.keywords.length): Set<number> {
    const found = new Set<number>();
    const table = this.table;
    const accepting = this.accepting;
    let st = 0;
    for (let i = 0, len = text.length; i < len; i++) {
      const c = text.charCodeAt(i);
      st = c < 128 ? table[(st << 7) | c]! : 0;
      if (accepting[st] === 1) {
        for (const k of this.out[st]!) found.add(k);
        if (found.size >= limit) break;
      }
    }
    return found;
  }
}

export class SecretScanner {
  private readonly matcher: KeywordMatcher;
  private readonly rulesOf: number[][];

  constructor(readonly rules: readonly SecretRule[] = SECRET_RULES) {
    const keys = [...new Set(rules.flatMap((r) => r.keywords.map((k) => k.toLowerCase())))];
    this.matcher = new KeywordMatcher(keys);
    this.rulesOf = keys.map((k) => rules.flatMap((r, i) => (r.keywords.some((rk) => rk.toLowerCase() === k) ? [i] : [])));
  }

  /** The rules whose keywords occur in the text (one pass). */
  candidates(text: string): SecretRule[] {
    const hit = new Set<number>();
    for (const k of this.matcher.find(text)) for (const i of this.rulesOf[k]!) hit.add(i);
    return [...hit].sort((a, b) => a - b).map((i) => this.rules[i]!);
  }

  /** Every accepted match in the text; `path` decides test-fixture and public-by-design handling. */
  scan(text: string, path: string): Hit[] {
    const rules = this.candidates(text);
    if (rules.length === 0) return [];
    const isTestPath = TEST_PATH.test(path);
    const isGenericQuiet = isTestPath || GENERIC_QUIET_PATH.test(path);
    const raw: { rule: SecretRule; secret: string; index: number; end: number }[] = [];
    for (const rule of rules) {
      if ((rule.quietInTests && isTestPath) || ((rule.generic || rule.quietInDocs) && isGenericQuiet)) continue;
      rule.regex.lastIndex = 0;
      for (const m of text.matchAll(rule.regex)) {
        const g = m.groups ?? {};
        const secret = g.secret ?? g.secret2 ?? g.secret3;
        if (secret === undefined) continue;
        const index = m.index + m[0].lastIndexOf(secret);
        if (REDACTED_TAIL.test(text.slice(index + secret.length, index + secret.length + 4))) continue;
        if (rule.generic && g.name !== undefined && NOT_A_SECRET_NAME.test(fullName(text, m.index + m[0].indexOf(g.name), g.name))) continue;
        if (!this.accept(rule, secret, g)) continue;
        raw.push({ rule, secret, index, end: index + secret.length });
      }
    }
    if (raw.length === 0) return [];
    // Overlapping matches: the more specific rule (earlier in the list) wins.
    const order = new Map(this.rules.map((r, i) => [r, i]));
    raw.sort((a, b) => order.get(a.rule)! - order.get(b.rule)! || a.index - b.index);
    const kept: typeof raw = [];
    for (const r of raw) if (!kept.some((k) => r.index < k.end && k.index < r.end)) kept.push(r);
    kept.sort((a, b) => a.index - b.index);

    const hits: Hit[] = [];
    let line = 1;
    let pos = 0;
    for (const k of kept) {
      for (let i = text.indexOf('\n', pos); i !== -1 && i < k.index; i = text.indexOf('\n', i + 1)) { line++; pos = i + 1; }
      const lineStart = text.lastIndexOf('\n', k.index - 1) + 1;
      const lineEndAt = text.indexOf('\n', k.index);
      const lineEnd = lineEndAt === -1 ? text.length : lineEndAt;
      const lineText = text.slice(lineStart, lineEnd);
      hits.push({
        rule: k.rule,
        secretId: secretId(k.rule.id, k.secret),
        masked: maskSecret(k.secret),
        length: k.secret.length,
        index: k.index,
        line,
        evidence: redactedEvidence(lineText, lineStart, kept, k),
        allowed: ALLOW_MARKERS.some((a) => lineText.includes(a)),
        publicByDesign: Boolean(k.rule.publicIn?.test(path)),
        severity: k.rule.severityFor?.(k.secret, { name: assignedName(text, k.index), path }) ?? k.rule.severity,
      });
    }
    return hits;
  }

  private accept(rule: SecretRule, secret: string, groups: Record<string, string | undefined>): boolean {
    if (isPlaceholder(secret)) return false;
    if (rule.entropy !== undefined && entropy(secret.replace(/\\n|\s/g, '')) < rule.entropy) return false;
    if (rule.verify && !rule.verify(secret)) return false;
    if (rule.id === 'database-url') {
      if (DEV_PASSWORDS.has(secret.toLowerCase()) || /^[$%:{]/.test(secret)) return false;
      if (isPlaceholder(groups.host ?? '')) return false;
    }
    if (rule.generic) {
      // References and names, not values: `config.jwt.secret`, `$SECRET`, `/api/token`, `MY_SECRET_NAME`, a URL.
      if (/^[A-Za-z_$][\w$]*(?:\.[\w$]+)+$/.test(secret)) return false;
      if (/^[$/~.]|^https?:|^env[:(]|process\.env|os\.environ|getenv/i.test(secret)) return false;
      if (/^[A-Za-z_-]+$/.test(secret) && secret.length < 24) return false;
      if (/^[A-Z0-9_]+$/.test(secret) && /[A-Z]_[A-Z]/.test(secret)) return false;
      // A name in capitals and dashes (`NEXUS-GPT4-API-KEY`) names a secret in a vault; it is not one.
      if (/^[A-Z0-9]+(?:-[A-Z0-9]+){2,}$/.test(secret)) return false;
      // A value with only one kind of character (all digits, all lower-case) is rarely a credential, and a
      // random one of this length without a digit is rare too: `?NoLineTerminatorHere` is a word, not a key.
      const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(secret)).length;
      if (kinds < 2 || !/\d/.test(secret)) return false;
    }
    return true;
  }
}

/** Printable runs of a binary file (like `strings`), one per line, so the text rules can look inside it. */
export function printableStrings(buf: Buffer, minLength = 8): string {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= buf.length; i++) {
    const b = i < buf.length ? buf[i]! : 0;
    const printable = (b >= 0x20 && b < 0x7f) || b === 0x09;
    if (printable) {
      if (start === -1) start = i;
    } else if (start !== -1) {
      if (i - start >= minLength) out.push(buf.toString('latin1', start, i));
      start = -1;
    }
  }
  return out.join('\n');
}

/** Binary when a NUL byte appears early, as git decides. */
export function looksBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8000).includes(0);
}
