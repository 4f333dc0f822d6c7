// A public read the config marks cacheable should carry a freshness lifetime or validators, or every repeat visit
// costs a full request to the origin.
import { defineCheck } from '../define.js';
import { parseCacheControl } from '../../derive/cache-control.js';

export default defineCheck({
  id: 'missing-cache-validators',
  area: 'edge',
  severity: 'low',
  impact: 'performance',
  title: 'Cacheable public reads carry max-age or validators',
  description:
    'Browsers and CDNs cannot reuse the answer: every visit hits the origin again, so pages are slower and a traffic spike lands entirely on your servers.',
  remediation:
    'Send `Cache-Control: public, max-age=<seconds>` (or `s-maxage` for the CDN) on public reads, and an `ETag` or `Last-Modified` so expired copies revalidate with a cheap 304.',
  references: ['https://www.rfc-editor.org/rfc/rfc9111#section-4.3', 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Caching'],
  requires: ['edge.http'],
  messages: {
    'no-validators': { message: 'The cacheable endpoint "{name}" ({url}) answers with neither max-age/s-maxage nor ETag/Last-Modified (Cache-Control: {cacheControl}).' },
  },
  run(facts, ctx) {
    const edge = facts['edge.http'];
    const judged: string[] = [];
    for (const e of edge.endpoints) {
      if (!e.cacheable || e.kind !== 'read') continue;
      const r = e.response;
      if (!r) continue;
      if (r.status === undefined) {
        ctx.unknown(`endpoint "${e.name}": ${r.error ?? 'no answer'}`);
        continue;
      }
      if (r.status !== 200) continue;
      judged.push(e.name);
      const cc = parseCacheControl(r.headers['cache-control']);
      const lifetime = Number.parseInt(cc.get('max-age') ?? cc.get('s-maxage') ?? '', 10) > 0;
      const validators = r.headers.etag !== undefined || r.headers['last-modified'] !== undefined;
      if (!lifetime && !validators) {
        ctx.report({ code: 'no-validators', args: { name: e.name, url: e.url, cacheControl: r.headers['cache-control'] ?? 'none' }, location: { host: new URL(e.url).hostname, url: e.url } });
      }
    }
    if (judged.length === 0 && !edge.endpoints.some((e) => e.cacheable)) ctx.notApplicable('no endpoint is marked cacheable in the config');
    ctx.details({ judged });
  },
});
