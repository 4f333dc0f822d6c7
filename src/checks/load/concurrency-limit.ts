// The known safe concurrency of each critical endpoint under a step ramp (`audit --load`), and how it broke.
import type { EndpointLoad } from '../../facts/load.js';
import { defineCheck } from '../define.js';

function stepsText(e: EndpointLoad): string {
  return e.steps.map((s) => `${s.concurrency}: p95 ${s.p95Ms === null ? '—' : Math.round(s.p95Ms)} ms, ${s.rps} req/s, ${Math.round(s.errorRate * 1000) / 10}% errors`).join('; ');
}

export default defineCheck({
  id: 'concurrency-limit',
  area: 'load',
  severity: 'medium',
  impact: 'availability',
  title: 'Critical flows hold their budget under concurrent load',
  description:
    'Past the safe concurrency, the flow slows beyond its budget or starts failing: a launch spike (a post, a newsletter, an app-store feature) brings more users at once than it can serve, and they get errors or endless spinners.',
  remediation:
    'Read the bottleneck notes: raise the database pool and worker/process counts, remove locks and serial sections from the hot path, cache what the flow reads, add instances behind the load balancer; then re-run `launch-ready load` and check the safe concurrency covers your expected peak.',
  references: ['https://grafana.com/docs/k6/latest/testing-guides/test-types/stress-testing/', 'https://github.com/mcollina/autocannon'],
  requires: ['load.ramp'],
  messages: {
    'breaks-under-load': {
      message: '{name} ({method} {url}) is safe up to {safeConcurrency} concurrent requests and broke at {brokeAt} ({reason}). {notes} Steps: {steps}.',
    },
    'fails-at-one': {
      message: '{name} ({method} {url}) fails even at concurrency 1 ({reason}): no safe concurrency. {notes} Steps: {steps}.',
      severity: 'high',
    },
  },
  run({ 'load.ramp': ramp }, ctx) {
    if (!ramp.requested) {
      ctx.notApplicable('no load test asked for: run `launch-ready audit --load` or `launch-ready load`');
      return;
    }
    if (ramp.endpoints.length === 0) {
      ctx.notApplicable('no endpoint is marked critical: true in the config');
      return;
    }
    for (const e of ramp.endpoints) {
      const base = { name: e.name, method: e.method, url: e.url, notes: e.notes.join(' '), steps: stepsText(e) };
      if (e.steps.length === 0 || (!e.brokeAt && e.stopped && e.safeConcurrency === null)) {
        ctx.unknown(`${e.name}: not load-tested (${e.stopped ?? 'no step ran'})`);
      } else if (e.safeConcurrency === null && e.brokeAt) {
        ctx.report({ code: 'fails-at-one', args: { ...base, reason: e.brokeAt.reason }, location: { url: e.url } });
      } else if (e.brokeAt) {
        ctx.report({ code: 'breaks-under-load', args: { ...base, safeConcurrency: e.safeConcurrency, brokeAt: e.brokeAt.concurrency, reason: e.brokeAt.reason }, location: { url: e.url } });
      } else if (e.stopped) {
        ctx.unknown(`${e.name}: the ramp stopped before finding a limit (${e.stopped})`);
      }
    }
    ctx.details({
      loadTest: {
        stepDurationSec: ramp.stepDurationSec, maxConcurrency: ramp.maxConcurrency, interrupted: ramp.interrupted,
        endpoints: ramp.endpoints.map((e) => ({ name: e.name, url: e.url, budgetP95Ms: e.budgetP95Ms, safeConcurrency: e.safeConcurrency, brokeAt: e.brokeAt, steps: e.steps.map((s) => ({ concurrency: s.concurrency, rps: s.rps, p50Ms: s.p50Ms, p95Ms: s.p95Ms, p99Ms: s.p99Ms, errorRate: s.errorRate })) })),
      },
    });
  },
});
