// Online sources: third-party services that know names of a domain (certificate transparency logs and the like).
// Only behind an explicit flag (--discover-online, discover.online): they tell a third party which domain is being
// audited. Each source is a name and a query; a failed or garbage answer is an error value, never a throw.
import type { CollectContext } from '../context.js';
import { httpFetch, isFetchFailure } from '../http/fetch.js';
import { hostName } from './pages.js';

/** crt.sh's JSON search for every certificate under a domain (`%` is its wildcard, sent as %25). */
export const DEFAULT_CT_URL = 'https://crt.sh/?q=%25.{domain}&output=json';
/** Bytes of an answer read at most; a larger answer is an error (cut JSON does not parse). */
export const MAX_ONLINE_BYTES = 8 * 1024 * 1024;
/** Names taken from one answer, at most. */
export const MAX_ONLINE_NAMES = 10_000;

export type OnlineAnswer = { names: string[] } | { error: string };

/** A pluggable source: its name (as findings say it) and a query for one domain. */
export interface OnlineSource {
  readonly name: string;
  query(domain: string): Promise<OnlineAnswer>;
}

/** Whether a template is usable: http(s), with a {domain} placeholder. Returns the problem, or undefined. */
export function ctUrlProblem(template: string): string | undefined {
  if (!template.includes('{domain}')) return 'has no {domain} placeholder';
  try {
    const u = new URL(template.replace(/\{domain\}/g, 'example.com'));
    return u.protocol === 'https:' || u.protocol === 'http:' ? undefined : 'is not an http(s) URL';
  } catch {
    return 'is not a URL';
  }
}

/**
 * The names in a crt.sh JSON answer (`[{"name_value": "a.example.com\nb.example.com", "common_name": ...}, ...]`)
 * under `domain`: lower-cased, each once; a wildcard `*.x.example.com` gives `x.example.com`; e-mail addresses and
 * anything that is not a host name are dropped. Garbage is an error.
 */
export function parseCrtSh(body: string, domain: string, sourceName = 'crt.sh'): OnlineAnswer {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return { error: `${sourceName}: the answer is not JSON` };
  }
  if (!Array.isArray(data)) return { error: `${sourceName}: the answer is not a JSON list` };
  const out = new Set<string>();
  for (const entry of data) {
    if (out.size >= MAX_ONLINE_NAMES) break;
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    const values = [e.name_value, e.common_name].filter((v): v is string => typeof v === 'string');
    for (const raw of values.flatMap((v) => v.split(/\s+/))) {
      if (raw.includes('@')) continue;
      const name = hostName(raw.replace(/^\*\./, ''));
      if (name && name !== domain && name.endsWith(`.${domain}`) && !name.includes('*')) out.add(name);
    }
  }
  return { names: [...out].sort() };
}

/** Certificate transparency through a crt.sh-shaped JSON search; `urlTemplate` has a {domain} placeholder. */
export function certificateTransparency(ctx: CollectContext, urlTemplate: string, deadlineMs: () => number, maxBytes = MAX_ONLINE_BYTES): OnlineSource {
  const name = (() => {
    try {
      return new URL(urlTemplate.replace(/\{domain\}/g, 'x')).hostname;
    } catch {
      return 'certificate transparency';
    }
  })();
  return {
    name,
    async query(domain) {
      const url = urlTemplate.replace(/\{domain\}/g, encodeURIComponent(domain));
      const r = await httpFetch(ctx, {
        url, headers: { accept: 'application/json' }, read: { maxBytes }, redirect: { follow: 3 },
        timeoutMs: Math.max(1, deadlineMs()), slot: true,
      });
      if (isFetchFailure(r)) return { error: `${name}: ${r.error.message}` };
      if (r.status !== 200) return { error: `${name}: answered HTTP ${r.status}` };
      if (r.truncated) return { error: `${name}: the answer is larger than ${maxBytes} bytes, not read` };
      return parseCrtSh(r.body.toString('utf8'), domain, name);
    },
  };
}
