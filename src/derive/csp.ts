// The Content-Security-Policy parser (CSP3 2.2), for every check that reads a policy. Untrusted input: cut first.

/** Parsing stops here: real policies stay well under it, and a longer value's tail is not read. */
export const MAX_CSP = 4096;

/** Directive name to its source list, from a policy (untrusted: cut first). */
export function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.slice(0, MAX_CSP).split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), sources.map((s) => s.toLowerCase()));
  }
  return out;
}

/** Whether the policy lets inline scripts run: 'unsafe-inline' counts unless a nonce, hash or strict-dynamic overrides it. */
export function allowsInlineScript(csp: Map<string, string[]>): boolean {
  const sources = csp.get('script-src-elem') ?? csp.get('script-src') ?? csp.get('default-src');
  if (!sources) return true;
  if (!sources.includes("'unsafe-inline'")) return false;
  // CSP2+: a nonce or hash makes browsers ignore 'unsafe-inline'.
  return !sources.some((s) => s.startsWith("'nonce-") || /^'sha(256|384|512)-/.test(s) || s === "'strict-dynamic'");
}
