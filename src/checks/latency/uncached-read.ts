// An endpoint marked cacheable whose repeat reads are neither cacheable (validators, freshness) nor served faster.
import { defineCheck, measured } from '../define.js';
import { cacheDirectives } from '../../derive/cache-control.js';

/** Repeats count as served faster when their median time to first byte is under 80% of the first request's. */
const FASTER = 0.8;

export default defineCheck({
  id: 'uncached-read',
  area: 'latency',
  severity: 'low',
  impact: 'performance',
  title: 'Cacheable endpoints let repeat reads be cached',
  description:
    'Every repeat read of data that rarely changes is computed and sent in full again: phones re-download it on slow networks, and launch traffic hits the server and database for answers it already gave.',
  remediation:
    'Send an ETag (or Last-Modified) and answer If-None-Match with 304 Not Modified; add Cache-Control with a max-age suited to how often the data changes (private for per-user data, public only for data that is the same for everyone); cache the computed answer on the server.',
  references: ['https://developer.mozilla.org/en-US/docs/Web/HTTP/Caching', 'https://www.rfc-editor.org/rfc/rfc9111'],
  requires: ['latency.endpoints'],
  messages: {
    'not-cached': {
      message: '{name} ({url}) is marked cacheable but sends no ETag, Last-Modified or Cache-Control max-age ({cacheControl?Cache-Control: {cacheControl}}{cacheControl!no Cache-Control}), and repeat reads are not faster (first {firstMs|ms} ms, repeats {repeatMs|ms} ms to first byte).',
    },
    'validator-ignored': {
      message: '{name} ({url}) sends {validator} but answered a conditional repeat with {status} instead of 304 Not Modified: the full body is sent again every time.',
    },
  },
  run({ 'latency.endpoints': facts }, ctx) {
    const eps = measured(facts, ctx);
    if (!eps) return;
    const cacheable = eps.filter((e) => e.cacheable);
    if (cacheable.length === 0) {
      ctx.notApplicable('no endpoint is marked cacheable: true');
      return;
    }
    const rows: Record<string, unknown>[] = [];
    for (const e of cacheable) {
      const c = e.cache;
      if (e.status === 'failed' || c.firstTtfbMs === undefined || c.repeatTtfbP50Ms === undefined) {
        ctx.unknown(`${e.name}: no successful repeat reads to compare`);
        continue;
      }
      const cc = cacheDirectives(c.cacheControl);
      const validator = c.etag ? 'an ETag' : c.lastModified ? 'Last-Modified' : undefined;
      const fresh = !cc.noStore && ((cc.maxAge ?? 0) > 0 || (cc.sMaxAge ?? 0) > 0);
      const faster = c.repeatTtfbP50Ms < c.firstTtfbMs * FASTER;
      rows.push({ name: e.name, cacheControl: c.cacheControl ?? null, etag: Boolean(c.etag), lastModified: Boolean(c.lastModified), conditionalStatus: c.conditionalStatus ?? null, firstTtfbMs: c.firstTtfbMs, repeatTtfbP50Ms: c.repeatTtfbP50Ms, repeatsFaster: faster });
      if (!validator && !fresh && !faster) {
        ctx.report({
          code: 'not-cached',
          args: { name: e.name, url: e.url, cacheControl: c.cacheControl ?? '', firstMs: c.firstTtfbMs, repeatMs: c.repeatTtfbP50Ms },
          location: { url: e.url },
        });
      } else if (validator && c.conditionalStatus !== undefined && c.conditionalStatus !== 304) {
        ctx.report({ code: 'validator-ignored', args: { name: e.name, url: e.url, validator, status: c.conditionalStatus }, location: { url: e.url } });
      }
    }
    ctx.details({ cache: rows });
  },
});
