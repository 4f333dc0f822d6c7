// The configured health endpoint is what monitoring polls: it must answer 200 quickly, never from a cache (a cached
// "up" hides an outage), and without stack traces or version details.
import { defineCheck } from '../define.js';
import { cacheHit, debugLeak, hostOf, sharedCacheability, versionLeak } from '../../derive/responses.js';

/** A single cold request (connection and TLS included) slower than this cannot be a cheap liveness answer. */
export const HEALTH_SLOW_MS = 1000;

export default defineCheck({
  id: 'health-endpoint',
  area: 'edge',
  severity: 'medium',
  impact: 'availability',
  title: 'The health endpoint answers 200 fast, uncached, without leaking details',
  description: 'Monitoring cannot tell you the app is down before customers do: a broken, slow or cached health endpoint gives false alarms or, worse, a green light during an outage.',
  remediation: 'Serve a cheap GET /health that checks the critical dependencies, answers 200 (503 when unhealthy) within a few hundred ms, sends `Cache-Control: no-store`, and returns only a status, no versions or errors.',
  references: ['https://microservices.io/patterns/observability/health-check-api.html', 'https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2.5'],
  requires: ['edge.http'],
  messages: {
    'not-configured': {
      message: 'No configured endpoint looks like a health check (name or path with health, ready, live, ping or status).',
      severity: 'info',
      remediation: 'Add your health endpoint to `endpoints` in launch-ready.config.json (e.g. {"name": "health", "url": "https://api.example.com/health"}) and point your uptime monitor at it.',
    },
    unreachable: { message: 'The health endpoint "{name}" ({url}) did not answer: {error}.', severity: 'high' },
    'not-ok': { message: 'The health endpoint "{name}" ({url}) answered {status}, not 200.', severity: 'high' },
    slow: { message: 'The health endpoint "{name}" ({url}) took {ms} ms to answer (limit {limitMs} ms).' },
    cached: { message: 'The health endpoint "{name}" ({url}) may be served from a cache ({why}).' },
    'leaks-stack': { message: 'The health endpoint "{name}" ({url}) shows {leak}.' },
    'leaks-version': {
      message: 'The health endpoint "{name}" ({url}) discloses software versions ({leak}).',
      severity: 'low',
      impact: 'hygiene',
      whatBreaks: 'Anyone can see exactly what runs and when it is outdated: attackers pick exploits for those versions.',
      remediation: 'Return only the status from the public health endpoint; put build details behind authentication.',
    },
  },
  run(facts, ctx) {
    const edge = facts['edge.http'];
    if (edge.endpoints.length === 0) {
      ctx.notApplicable('no endpoints are configured');
      return;
    }
    const health = edge.endpoints.filter((e) => e.health);
    if (health.length === 0) {
      ctx.report({ code: 'not-configured' });
      return;
    }
    const measured: { name: string; status: number | null; ms: number | null }[] = [];
    for (const e of health) {
      const r = e.response;
      const location = { host: hostOf(e.url), url: e.url };
      const base = { name: e.name, url: e.url };
      if (!r) {
        ctx.unknown(`health endpoint "${e.name}" uses ${e.method}: only GET and HEAD are requested`);
        continue;
      }
      measured.push({ name: e.name, status: r.status ?? null, ms: r.ms ?? null });
      if (r.status === undefined) {
        ctx.report({ code: 'unreachable', args: { ...base, error: r.error ?? 'no answer' }, location });
        continue;
      }
      if (r.status !== 200) ctx.report({ code: 'not-ok', args: { ...base, status: r.status }, location });
      const limitMs = Math.max(HEALTH_SLOW_MS, e.budgetP95Ms ?? 0);
      if (r.ms !== undefined && r.ms > limitMs) ctx.report({ code: 'slow', args: { ...base, ms: Math.round(r.ms), limitMs }, location });
      const hit = cacheHit(r.headers);
      const c = sharedCacheability({ status: r.status, headers: r.headers, sentCredentials: r.sentCredentials ?? [] });
      if (hit || c.cacheable) ctx.report({ code: 'cached', args: { ...base, why: hit ?? (c.cacheable ? c.why : '') }, location });
      const stack = debugLeak(r.body);
      if (stack) ctx.report({ code: 'leaks-stack', args: { ...base, leak: stack }, location });
      const version = versionLeak(r.body, r.headers);
      if (version) ctx.report({ code: 'leaks-version', args: { ...base, leak: version }, location });
    }
    ctx.details({ health: measured });
  },
});
