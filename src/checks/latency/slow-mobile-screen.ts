// A core screen's endpoint that a phone on a named network would wait more than 2 s for (estimated).
import { defineCheck, measured } from '../define.js';
import { coreEndpoints } from '../../derive/latency.js';
import { breakdown, estimate, MOBILE_FORMULA, MOBILE_LIMIT_MS, NETWORK_PROFILES, serverMs } from '../../derive/mobile.js';

export default defineCheck({
  id: 'slow-mobile-screen',
  area: 'latency',
  severity: 'medium',
  impact: 'performance',
  title: 'Core screens load within 2 s on a phone (estimate)',
  description:
    'Phone users wait more than 2 s for a core screen: many give up or retry, and a screen that chains several calls waits for each of them. This is an estimate from the measured server time and the round trips of a mobile network, not a measurement on a phone.',
  remediation:
    'Cut server time first (it is paid on every network); then cut round trips: keep connections alive and reuse them, serve from a CDN or a region near your users, use TLS 1.3, shrink and compress the response, and combine calls a screen makes one after another.',
  references: ['https://web.dev/articles/rail', 'https://docs.webpagetest.org/getting-started/#test-location'],
  requires: ['latency.endpoints'],
  messages: {
    'over-2s': {
      message: '{name} ({method} {url}) would take about {coldMs} ms on a cold start and {warmMs} ms warm on {profile} ({rttMs} ms RTT, {downKbps} kbit/s): over {limitMs} ms. Mostly {cause}: {sizeMs} ms size (transfer and slow-start), {roundTripsMs} ms connection round trips, {serverMs} ms server time{uncompressed?; the {bytes|bytes} went uncompressed and gzip would make them {gzipBytes|bytes}}. Estimate from server time {serverMs} ms and {bytes} bytes; {formula}.',
    },
    'over-2s-3g': {
      message: '{name} ({method} {url}) would take about {coldMs} ms on a cold start and {warmMs} ms warm on {profile} ({rttMs} ms RTT, {downKbps} kbit/s): over {limitMs} ms. Mostly {cause}: {sizeMs} ms size (transfer and slow-start), {roundTripsMs} ms connection round trips, {serverMs} ms server time{uncompressed?; the {bytes|bytes} went uncompressed and gzip would make them {gzipBytes|bytes}}. Estimate from server time {serverMs} ms and {bytes} bytes; {formula}.',
      severity: 'low',
    },
  },
  run({ 'latency.endpoints': facts }, ctx) {
    const eps = measured(facts, ctx);
    if (!eps) return;
    const core = coreEndpoints(eps);
    const rows: Record<string, unknown>[] = [];
    for (const e of core) {
      if (e.p95Ms === null) {
        ctx.unknown(`${e.name}: no successful request, so no server time to estimate from`);
        continue;
      }
      const estimates = NETWORK_PROFILES.map((p) => ({ p, est: estimate(e, p) }));
      rows.push({ name: e.name, serverMs: Math.round(serverMs(e)), bytes: e.responseBytes, estimates: estimates.map((x) => x.est), causes: NETWORK_PROFILES.map((p) => ({ profile: p.id, ...breakdown(e, p) })) });
      // Report the best network that is already too slow: if good 4G fails, so does everything slower.
      const over = estimates.find(({ est }) => est.coldMs > MOBILE_LIMIT_MS);
      if (!over) continue;
      const parts = breakdown(e, over.p);
      const gzipBytes = e.transfer && !e.transfer.contentEncoding ? e.transfer.gzipBytes : undefined;
      ctx.report({
        code: over.p.id === '3g' ? 'over-2s-3g' : 'over-2s',
        args: {
          name: e.name, method: e.method, url: e.url, profile: over.p.label, rttMs: over.p.rttMs, downKbps: over.p.downKbps,
          coldMs: over.est.coldMs, warmMs: over.est.warmMs, limitMs: MOBILE_LIMIT_MS, serverMs: Math.round(serverMs(e)),
          bytes: e.responseBytes, formula: MOBILE_FORMULA,
          cause: parts.cause, sizeMs: parts.sizeMs, roundTripsMs: parts.roundTripsMs,
          uncompressed: gzipBytes !== undefined, gzipBytes: gzipBytes ?? 0,
        },
        location: { url: e.url },
      });
    }
    ctx.details({ mobile: rows, profiles: NETWORK_PROFILES, formula: MOBILE_FORMULA, limitMs: MOBILE_LIMIT_MS, note: 'estimates, not measurements on a phone' });
  },
});
