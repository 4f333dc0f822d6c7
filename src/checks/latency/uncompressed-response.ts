// Text responses sent uncompressed to a client that asked for gzip/br: every phone pays the full size on a weak link.
import { defineCheck, measured } from '../define.js';
import { COMPRESSION_MIN_BYTES, isCompressible, NETWORK_PROFILES, transferMs } from '../../derive/mobile.js';

const THREE_G = NETWORK_PROFILES.find((p) => p.id === '3g')!;

export default defineCheck({
  id: 'uncompressed-response',
  area: 'latency',
  severity: 'low',
  impact: 'performance',
  title: 'Text responses are compressed for clients that accept gzip or br',
  description:
    'Phones download the full uncompressed body: JSON and HTML shrink several-fold with gzip or brotli, so on 3G every screen waits seconds longer than it needs to and users on metered plans pay for the difference.',
  remediation:
    'Turn on gzip or brotli for JSON, HTML, JS, CSS and SVG in the web server or CDN (nginx `gzip on; gzip_types application/json ...`, Express `compression()`, a CDN\'s compression setting) and check that the API\'s content types are in the list.',
  references: ['https://developer.mozilla.org/en-US/docs/Web/HTTP/Compression', 'https://web.dev/articles/reduce-network-payloads-using-text-compression'],
  requires: ['latency.endpoints'],
  messages: {
    uncompressed: {
      message: '{name} ({method} {url}) sent {bytes|bytes} of {contentType} without Content-Encoding although the request accepted gzip, br; gzipped it is {gzipBytes|bytes}: {savedMs|duration} less to transfer on 3G ({downKbps} kbit/s).',
    },
    'uncompressed-core': {
      message: '{name} ({method} {url}) sent {bytes|bytes} of {contentType} without Content-Encoding although the request accepted gzip, br; gzipped it is {gzipBytes|bytes}: {savedMs|duration} less to transfer on 3G ({downKbps} kbit/s).',
      severity: 'medium',
    },
  },
  run({ 'latency.endpoints': facts }, ctx) {
    const eps = measured(facts, ctx);
    if (!eps) return;
    // Core screens are the critical flows; when none is marked, every endpoint may be one.
    const anyCritical = eps.some((e) => e.critical);
    const rows: Record<string, unknown>[] = [];
    for (const e of eps) {
      const t = e.transfer;
      if (!t) continue;
      rows.push({ name: e.name, contentType: t.contentType ?? null, contentEncoding: t.contentEncoding ?? null, wireBytes: t.wireBytes, gzipBytes: t.gzipBytes ?? null });
      if (t.contentEncoding || t.gzipBytes === undefined || t.wireBytes <= COMPRESSION_MIN_BYTES || !isCompressible(t.contentType)) continue;
      // Already as small as gzip makes it (random or pre-packed data): nothing to win.
      if (t.gzipBytes >= t.wireBytes * 0.9) continue;
      ctx.report({
        code: e.critical || !anyCritical ? 'uncompressed-core' : 'uncompressed',
        args: {
          name: e.name, method: e.method, url: e.url, bytes: t.wireBytes, gzipBytes: t.gzipBytes, contentType: t.contentType ?? 'text',
          savedMs: Math.round(transferMs(t.wireBytes - t.gzipBytes, THREE_G)), downKbps: THREE_G.downKbps,
        },
        location: { url: e.url },
      });
    }
    if (rows.length === 0) {
      ctx.unknown('no endpoint answered, so no response to judge');
      return;
    }
    ctx.details({ responses: rows, minBytes: COMPRESSION_MIN_BYTES });
  },
});
