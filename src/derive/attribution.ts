// Per-endpoint query attribution: from the growth of pg_stat_statements between just before and just after one
// endpoint's measured requests (endpoints are measured one at a time), the statements that ran about once (or k
// times) per request are that endpoint's; anything else that grew in the window is someone else's traffic.
import type { StatementDelta, StatementWindow } from '../facts/latency.js';

export interface AttributedStatement {
  statement: StatementDelta;
  /** Calls per request (1 for a lookup, more for an N+1 loop). */
  perRequest: number;
  /** Its time over the endpoint's server time (TTFB summed over the same requests), 0..1. */
  share: number;
  /** Its time per request, ms. */
  msPerRequest: number;
}

export interface Attribution {
  requests: number;
  /** The endpoint's statements, most time first. */
  statements: AttributedStatement[];
  /**
   * Other traffic ran in the window (calls that are no multiple of the requests, or calls off by more than the
   * tolerance): the figures are approximate. Statements whose counts do not fit are never attributed.
   */
  approximate: boolean;
  /** Database time in the window that fits no per-request pattern, 0..1 of the window's database time. */
  unexplainedShare: number;
}

/** Fewer requests than this cannot tell "once per request" from chance. */
export const MIN_REQUESTS = 3;
/** Calls may differ from k × requests by this share (a retry, one request that took another path). */
const TOLERANCE = 0.1;
/** Time of unfitting statements above this share of the window's database time makes the window noisy. */
const NOISE_SHARE = 0.05;

/** `serverMs`: the endpoint's time to first byte summed over the requests between the snapshots. */
export function attribute(window: StatementWindow | undefined, serverMs: number): Attribution | undefined {
  if (!window || window.requests < MIN_REQUESTS) return undefined;
  const n = window.requests;
  const statements: AttributedStatement[] = [];
  let inexact = false;
  let unfitMs = 0;
  for (const s of window.statements) {
    const k = Math.round(s.calls / n);
    const fits = k >= 1 && Math.abs(s.calls - k * n) <= Math.max(1, TOLERANCE * k * n);
    if (!fits) {
      unfitMs += s.totalMs;
      continue;
    }
    if (s.calls !== k * n) inexact = true;
    statements.push({
      statement: s, perRequest: k,
      share: serverMs > 0 ? Math.min(1, Math.round((s.totalMs / serverMs) * 100) / 100) : 0,
      msPerRequest: Math.round((s.totalMs / n) * 1000) / 1000,
    });
  }
  // Statements past the listed cap grew too: their time counts as unexplained.
  const listedMs = window.statements.reduce((a, s) => a + s.totalMs, 0);
  const unexplainedMs = unfitMs + Math.max(0, window.totalMs - listedMs);
  const unexplainedShare = window.totalMs > 0 ? Math.round((unexplainedMs / window.totalMs) * 100) / 100 : 0;
  statements.sort((a, b) => b.statement.totalMs - a.statement.totalMs);
  return { requests: n, statements, approximate: inexact || unexplainedShare > NOISE_SHARE, unexplainedShare };
}
