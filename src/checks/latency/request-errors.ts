// Requests to an endpoint that fail (non-2xx, timeouts, resets): counted apart from the latency samples.
import { defineCheck, measured } from '../define.js';
import { failureSummary } from '../../derive/latency.js';
import { failureCauses, type FailureCause } from '../../derive/failures.js';
import type { EndpointLatency } from '../../facts/latency.js';

/** Where failures come from, in words: the classifier in derive/failures names the cause. */
const CAUSES: Record<FailureCause, string> = {
  dns: 'DNS (the name does not resolve)', tls: 'TLS (the handshake fails)', connect: 'the connection (refused)', timeout: 'timeouts',
  reset: 'dropped connections', auth: 'auth (401/403)', 'rate-limit': 'rate limiting (429)', client: 'the requests (4xx)',
  database: 'the database', upstream: 'an upstream service (502/504)', server: 'the server (5xx)', other: 'other network errors',
};
const CAUSE = '{mainCause? Failures come from {mainCause}.}';

/** The error rate the load test also holds steps to: 1 request in 100. */
export const MAX_ERROR_RATE = 0.01;

export default defineCheck({
  id: 'request-errors',
  area: 'latency',
  severity: 'medium',
  impact: 'availability',
  title: 'Endpoints answer their requests without errors',
  description:
    'Users get error screens, spinners that never end, or lost actions: the requests failed while the audit sent them one at a time, with no load at all.',
  remediation:
    'Read the server logs for these requests: fix the failing handler, raise the upstream timeouts the endpoint hits, or fix the proxy that resets connections. If a non-2xx answer is expected (auth required), add the credentials to the endpoint\'s headers with ${env:NAME}.',
  references: ['https://sre.google/sre-book/monitoring-distributed-systems/'],
  requires: ['latency.endpoints'],
  messages: {
    'error-rate': {
      message: '{name} ({method} {url}): {failed} of {attempted} requests failed ({percent}%): {breakdown}.' + CAUSE,
    },
    'error-rate-critical': {
      message: '{name} ({method} {url}), a critical flow: {failed} of {attempted} requests failed ({percent}%): {breakdown}.' + CAUSE,
      severity: 'high',
    },
    unreachable: {
      message: '{name} ({method} {url}) never answered with a 2xx: {breakdown}{stopped}.' + CAUSE,
      severity: 'high',
    },
  },
  run({ 'latency.endpoints': facts }, ctx) {
    const eps = measured(facts, ctx);
    if (!eps) return;
    for (const e of eps) {
      const failed = e.errors.non2xx + e.errors.timeouts + e.errors.resets + e.errors.other;
      const main = causesOf(e).main;
      const base = { name: e.name, method: e.method, url: e.url, breakdown: failureSummary(e), mainCause: main ? CAUSES[main] : '' };
      if (e.status === 'failed') {
        ctx.report({ code: 'unreachable', args: { ...base, stopped: e.stoppedEarly ? `; stopped: ${e.stoppedEarly}` : '' }, location: { url: e.url } });
      } else if (failed > 0 && e.errorRate >= MAX_ERROR_RATE) {
        ctx.report({
          code: e.critical ? 'error-rate-critical' : 'error-rate',
          args: { ...base, failed, attempted: e.attempted, percent: Math.round(e.errorRate * 1000) / 10 },
          location: { url: e.url },
        });
      }
    }
    ctx.details({ errors: eps.map((e) => ({ name: e.name, attempted: e.attempted, errorRate: e.errorRate, ...e.errors, causes: causesOf(e).counts })) });
  },
});

/** Recorded before requests were traced, only the counts say anything: the fetch kinds and status codes. */
function causesOf(e: EndpointLatency) {
  if (e.trace) return failureCauses(e.trace);
  return failureCauses([
    ...Object.entries(e.errors.statusCodes).flatMap(([code, n]) => Array.from({ length: n }, () => ({ status: Number(code) }))),
    ...Array.from({ length: e.errors.timeouts }, () => ({ failure: 'timeout' })),
    ...Array.from({ length: e.errors.resets }, () => ({ failure: 'reset' })),
    ...Array.from({ length: e.errors.other }, () => ({ failure: 'error' })),
  ]);
}
