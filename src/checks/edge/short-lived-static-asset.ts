// Assets with a content hash in their name never change at that URL: they should be cached for a long time.
import { defineCheck } from '../define.js';
import { parseCacheControl } from '../../derive/cache-control.js';

/** A content hash in the file name: app.3f9a1c2b.js, main-BxY12abQ.css, chunk.a1b2c3d4e5.mjs. */
export function isFingerprinted(url: string): boolean {
  const file = new URL(url).pathname.split('/').pop() ?? '';
  return /[.-]([A-Za-z0-9_]{8,})\.(?:m?js|css)$/.test(file) && /\d/.test(/[.-]([A-Za-z0-9_]{8,})\.(?:m?js|css)$/.exec(file)![1]!);
}

const LONG = 30 * 86_400;

export default defineCheck({
  id: 'short-lived-static-asset',
  area: 'edge',
  severity: 'info',
  impact: 'performance',
  title: 'Fingerprinted static assets are cached for long',
  description: 'Returning visitors download scripts and styles again although they cannot have changed: slower pages and more load on the origin or CDN.',
  remediation: 'Serve files whose name carries a content hash with `Cache-Control: public, max-age=31536000, immutable`.',
  references: ['https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Cache-Control#caching_static_assets'],
  requires: ['edge.http'],
  messages: {
    'short-lived': { message: '{url} has a content hash in its name but is cached only briefly (Cache-Control: {cacheControl}).' },
  },
  run(facts, ctx) {
    const edge = facts['edge.http'];
    let fingerprinted = 0;
    for (const s of edge.surfaces) {
      for (const a of s.assets) {
        if (a.status !== 200 || !isFingerprinted(a.url)) continue;
        fingerprinted++;
        const cc = parseCacheControl(a.headers['cache-control']);
        const maxAge = Number.parseInt(cc.get('max-age') ?? cc.get('s-maxage') ?? '0', 10);
        if (cc.has('immutable') || maxAge >= LONG) continue;
        ctx.report({ code: 'short-lived', args: { url: a.url, cacheControl: a.headers['cache-control'] ?? 'none' }, location: { host: s.host, url: a.url } });
      }
    }
    if (fingerprinted === 0) ctx.notApplicable('no asset with a content hash in its name was found on the home pages');
    ctx.details({ fingerprinted });
  },
});
