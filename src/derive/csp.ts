// The Content-Security-Policy parser (CSP3 2.2) and what a set of enforced policies lets scripts do, judged as
// browsers enforce them: every policy (header, comma-joined, <meta>) must allow a load. Untrusted input: cut first.

/** Parsing stops here: real policies stay well under it, and a longer value's tail is not read. */
export const MAX_CSP = 4096;
/** Policies read per response (header values split on commas, plus <meta> tags), at most. */
export const MAX_POLICIES = 16;

/** Directive name to its source list, from a policy (untrusted: cut first). A repeated directive is ignored. */
export function parseCsp(policy: string): Map<string, string[]> {
  return parsePolicy(policy).directives;
}

export interface Policy {
  directives: Map<string, string[]>;
  /** Directive names given more than once (browsers ignore every repeat). */
  duplicates: string[];
  from: 'header' | 'meta';
}

export function parsePolicy(policy: string, from: Policy['from'] = 'header'): Policy {
  const directives = new Map<string, string[]>();
  const duplicates: string[] = [];
  for (const part of policy.slice(0, MAX_CSP).split(';')) {
    const [raw, ...sources] = part.trim().split(/\s+/);
    const name = raw?.toLowerCase();
    if (!name) continue;
    if (directives.has(name)) duplicates.push(name);
    else directives.set(name, sources.map((s) => s.toLowerCase()));
  }
  return { directives, duplicates, from };
}

/** Directives a <meta> policy may not carry (CSP3 6.3.2.4): browsers drop them. */
const NOT_IN_META = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

/**
 * Every policy the browser enforces on a page: each comma-separated policy of the header (repeated headers arrive
 * joined with ", "), then each <meta http-equiv> policy without the directives meta may not carry.
 */
export function enforcedPolicies(header: string | undefined, metas: readonly string[] = []): Policy[] {
  const out: Policy[] = [];
  if (header !== undefined) for (const p of header.slice(0, MAX_CSP).split(',')) out.push(parsePolicy(p, 'header'));
  for (const m of metas) {
    const p = parsePolicy(m, 'meta');
    for (const d of NOT_IN_META) p.directives.delete(d);
    out.push(p);
  }
  return out.slice(0, MAX_POLICIES);
}

const NONCE_OR_HASH = /^'(nonce-|sha(256|384|512)-)/;

/** The source list that governs <script> loads, and the directive it came from. */
export function scriptSources(p: Policy): { directive: string; sources: string[] } | undefined {
  for (const directive of ['script-src-elem', 'script-src', 'default-src']) {
    const sources = p.directives.get(directive);
    if (sources) return { directive, sources };
  }
  return undefined;
}

/** A source that matches any host: `*`, a bare scheme (`https:`, `data:`; CSP3 lets `http:` match https too), `https://*`. */
export function anyHostSource(sources: readonly string[]): string | undefined {
  return sources.find((s) => s === '*' || /^[a-z][a-z0-9+.-]*:$/.test(s) || /^[a-z][a-z0-9+.-]*:\/\/\*(:\*)?\/?$/.test(s));
}

/** A host source fetched over a scheme anyone on the path can tamper with (`http://cdn.example`, `ftp://…`). */
export function insecureSource(sources: readonly string[]): string | undefined {
  return sources.find((s) => /^(http|ftp|ws):\/\/./.test(s) && !/^[a-z]+:\/\/\*(:\*)?\/?$/.test(s));
}

export interface ScriptJudgement {
  /** No policy names script-src or default-src: scripts are not restricted at all. */
  unrestricted: boolean;
  /** Inline scripts run: 'unsafe-inline' without a nonce, hash or 'strict-dynamic' (which make browsers ignore it). */
  inline?: { directive: string };
  /** Scripts load from any host: as unsafe as inline (an attacker hosts the script anywhere). */
  anyHost?: { directive: string; source: string };
  /** Scripts load over a plain scheme from a named host. */
  insecure?: { directive: string; source: string };
  eval: boolean;
  /** <object>/<embed> load from anywhere (object-src falls back to default-src). */
  pluginsOpen: boolean;
  /** 'strict-dynamic' without a nonce or hash: no script can load at all. */
  strictDynamicAlone: boolean;
  duplicates: string[];
}

/** What the enforced policies together let scripts do: a load happens only when every policy allows it. */
export function judgeScripts(policies: readonly Policy[]): ScriptJudgement {
  const per = policies.map((p) => {
    const s = scriptSources(p);
    if (!s) return { none: true as const };
    const strictDynamic = s.sources.includes("'strict-dynamic'");
    const keyed = s.sources.some((x) => NONCE_OR_HASH.test(x));
    const inline = s.sources.includes("'unsafe-inline'") && !keyed && !strictDynamic;
    // Under 'strict-dynamic' browsers ignore host and scheme sources (CSP3 8.2).
    const anyHost = strictDynamic ? undefined : anyHostSource(s.sources);
    const insecure = strictDynamic ? undefined : insecureSource(s.sources);
    return { none: false as const, directive: s.directive, inline, anyHost, insecure, eval: s.sources.includes("'unsafe-eval'"), strictDynamicAlone: strictDynamic && !keyed };
  });
  const set = per.filter((x) => !x.none);
  const unrestricted = set.length === 0;
  // A policy that says nothing about scripts allows everything, so the others decide.
  const all = <T>(pick: (x: (typeof set)[number]) => T | undefined): T | undefined => {
    if (set.length === 0) return undefined;
    const values = set.map(pick);
    return values.every((v) => v !== undefined && v !== false) ? values[0] : undefined;
  };
  const inline = all((x) => (x.inline ? { directive: x.directive } : undefined));
  const anyHost = all((x) => (x.anyHost ? { directive: x.directive, source: x.anyHost } : undefined));
  const insecure = all((x) => (x.insecure ? { directive: x.directive, source: x.insecure } : x.anyHost?.startsWith('http') ? { directive: x.directive, source: x.anyHost } : undefined));
  const objectOpen = policies.every((p) => {
    const o = p.directives.get('object-src') ?? p.directives.get('default-src');
    return !o || anyHostSource(o) !== undefined;
  });
  return {
    unrestricted,
    ...(inline ? { inline } : {}),
    ...(anyHost ? { anyHost } : {}),
    ...(insecure ? { insecure } : {}),
    eval: unrestricted || set.every((x) => x.eval),
    pluginsOpen: policies.length > 0 && objectOpen,
    strictDynamicAlone: set.some((x) => x.strictDynamicAlone),
    duplicates: [...new Set(policies.flatMap((p) => p.duplicates))],
  };
}

/** Whether the policy lets inline scripts run: 'unsafe-inline' counts unless a nonce, hash or strict-dynamic overrides it. */
export function allowsInlineScript(csp: Map<string, string[]>): boolean {
  const j = judgeScripts([{ directives: csp, duplicates: [], from: 'header' }]);
  return j.unrestricted || j.inline !== undefined;
}

/** Whether the header policies stop other sites from framing the page (frame-ancestors without a wildcard). */
export function framingRestricted(policies: readonly Policy[]): boolean | undefined {
  const ancestors = policies.filter((p) => p.from === 'header').map((p) => p.directives.get('frame-ancestors')).filter((a) => a !== undefined);
  if (ancestors.length === 0) return undefined;
  return ancestors.some((a) => anyHostSource(a) === undefined);
}
