// One bounded HTTP exchange for flows and AI cases, through the shared fetch (our resolver, loopback guard, a
// deadline, a body cap), no redirect following and no retry. Failures come back as values.
import type { CollectContext } from '../context.js';
import { httpFetch, isFetchFailure } from '../http/fetch.js';

export const BODY_CAP = 256 * 1024;

export interface Exchange {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  json?: unknown;
  durationMs: number;
  truncated: boolean;
}

export interface ExchangeError {
  error: string;
  durationMs: number;
}

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export async function exchange(ctx: CollectContext, req: OutgoingRequest): Promise<Exchange | ExchangeError> {
  let url: URL;
  try {
    url = new URL(req.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    return { error: 'the URL is not a valid http(s) URL after filling its placeholders', durationMs: 0 };
  }
  // Steps carry values forward from earlier answers (a session cookie, a token): headers stay as the server sent them.
  const res = await httpFetch(ctx, {
    url, method: req.method, headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}),
    read: { maxBytes: BODY_CAP }, unmaskedHeaders: true,
  });
  if (isFetchFailure(res)) return { error: res.error.message, durationMs: Math.round(res.elapsedMs) };
  const body = res.body.toString('utf8');
  const headers = res.headers;
  const json = res.truncated ? undefined : answerJson(headers, body);
  return { status: res.status, headers, body, ...(json !== undefined ? { json } : {}), durationMs: Math.round(res.timing.total), truncated: res.truncated };
}

/** An answer's body parsed as JSON when it says or looks like JSON; undefined otherwise (or when it does not parse). */
export function answerJson(headers: Readonly<Record<string, string>>, body: string): unknown {
  if (!/json/i.test(headers['content-type'] ?? '') && !/^\s*[{[]/.test(body)) return undefined;
  try { return JSON.parse(body); } catch { return undefined; }
}

export function isExchangeError(x: Exchange | ExchangeError): x is ExchangeError {
  return 'error' in x;
}

/** The URL with query values and userinfo masked: tokens often travel in the query string. */
export function maskUrl(raw: string): string {
  try {
    const u = new URL(raw);
    u.username = ''; u.password = '';
    for (const k of [...u.searchParams.keys()]) u.searchParams.set(k, '***');
    return u.toString().replace(/%2A%2A%2A/g, '***');
  } catch {
    return raw.replace(/\?.*$/, '?***');
  }
}
