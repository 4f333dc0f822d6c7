// A response to an authenticated request that shared caches (CDN, proxies) may store and serve to someone else.
import { defineCheck, measured } from '../define.js';
import { cacheDirectives } from '../../derive/cache-control.js';

export default defineCheck({
  id: 'public-auth-cache',
  area: 'latency',
  severity: 'high',
  impact: 'data-exposure',
  title: 'Authenticated responses are not publicly cacheable',
  description:
    'A CDN or proxy may keep one user\'s authenticated answer (their profile, their token, their orders) and serve it to the next user who asks for the same URL.',
  remediation:
    'Send Cache-Control: private, no-store (or private, max-age=N when the browser alone may reuse it) on every authenticated response, and Vary on the credential header; purge the CDN cache for these paths after the fix.',
  references: ['https://www.rfc-editor.org/rfc/rfc9111#section-3.5', 'https://owasp.org/www-community/attacks/Web_Cache_Deception'],
  requires: ['latency.endpoints'],
  // When the edge-safety collector also fetched an endpoint, edge.private-response-caching judges it: one finding per problem.
  optional: ['edge.http'],
  messages: {
    'publicly-cacheable': {
      message: '{name} ({method} {url}) is authenticated but answers with Cache-Control: {cacheControl}: shared caches may store it and serve it to other users.',
    },
    'no-cache-control': {
      message: '{name} ({method} {url}) is authenticated and answers without Cache-Control but with Last-Modified: caches may store it heuristically. Send Cache-Control: private, no-store.',
      severity: 'medium',
    },
  },
  run({ 'latency.endpoints': facts, 'edge.http': edge }, ctx) {
    const eps = measured(facts, ctx);
    if (!eps) return;
    const judgedAtEdge = new Set((edge?.endpoints ?? []).filter((e) => e.response).map((e) => e.url));
    const auth = eps.filter((e) => e.authenticated && !judgedAtEdge.has(e.url));
    if (auth.length === 0) {
      ctx.notApplicable(judgedAtEdge.size
        ? 'every authenticated endpoint is judged by edge.private-response-caching in this run'
        : 'no authenticated endpoint (kind: auth, or an Authorization/Cookie header)');
      return;
    }
    for (const e of auth) {
      if (e.cache.firstTtfbMs === undefined && e.status === 'failed') {
        ctx.unknown(`${e.name}: no answer to read the cache headers from`);
        continue;
      }
      const args = { name: e.name, method: e.method, url: e.url, cacheControl: e.cache.cacheControl ?? '' };
      const cc = cacheDirectives(e.cache.cacheControl);
      const shared = !cc.private && !cc.noStore && (cc.public || (cc.sMaxAge ?? 0) > 0 || (cc.maxAge ?? 0) > 0);
      if (shared) ctx.report({ code: 'publicly-cacheable', args, location: { url: e.url } });
      else if (e.cache.cacheControl === undefined && e.cache.lastModified) ctx.report({ code: 'no-cache-control', args, location: { url: e.url } });
    }
    ctx.details({
      authenticated: auth.map((e) => ({ name: e.name, cacheControl: e.cache.cacheControl ?? null })),
      ...(judgedAtEdge.size ? { judgedByHeadersArea: [...judgedAtEdge] } : {}),
    });
  },
});
