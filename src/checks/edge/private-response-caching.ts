// A response personal to one user (sets a cookie, varies by Authorization/Cookie, answers an auth endpoint or an
// authenticated request) must never be storable by a shared cache, and a CDN must never report serving one from cache.
import { defineCheck } from '../define.js';
import { allResponses, cacheHit, personalization, sharedCacheability } from '../../derive/responses.js';

export default defineCheck({
  id: 'private-response-caching',
  area: 'edge',
  severity: 'critical',
  impact: 'data-exposure',
  title: 'Personalized responses are never stored by shared caches',
  description:
    'A CDN or proxy stores one user\'s page, session cookie or API answer and serves it to the next visitor: people see each other\'s accounts, or are logged in as someone else.',
  remediation:
    'Send `Cache-Control: private, no-store` (or at least `private`) on every response that sets a cookie, depends on Authorization/Cookie, or belongs to login/session flows; never `public` or `s-maxage` there. Configure the CDN to bypass its cache when a request carries a session cookie or Authorization, then purge it.',
  references: [
    'https://www.rfc-editor.org/rfc/rfc9111#section-3',
    'https://developer.mozilla.org/en-US/docs/Web/HTTP/Caching#private_caches',
    'https://developers.cloudflare.com/cache/concepts/default-cache-behavior/',
  ],
  requires: ['http.surfaces', 'edge.http'],
  messages: {
    'shared-cacheable': { message: '{url} is personalized ({personal}) but shared caches may store it: {why}.' },
    'shared-cacheable-by-default': {
      message: '{url} is personalized ({personal}) and says nothing against caching ({why}): shared caches may store it by default.',
    },
    'cdn-hit': {
      message: '{url} is personalized ({personal}) and was served from an edge cache ({hit}).',
      whatBreaks: 'The edge already served a stored copy of a personalized response: whoever asked first decides what the next visitors see — their data, or their session cookie.',
      remediation: 'Purge the CDN cache now, make the CDN bypass its cache for requests with a session cookie or Authorization, and send `Cache-Control: private, no-store` on these responses.',
    },
  },
  run(facts, ctx) {
    const responses = allResponses(facts['http.surfaces'], facts['edge.http']);
    let personalized = 0;
    for (const r of responses) {
      const personal = personalization(r);
      if (!personal) continue;
      personalized++;
      const location = { host: r.host, url: r.url };
      const hit = cacheHit(r.headers);
      if (hit) {
        ctx.report({ code: 'cdn-hit', args: { url: r.url, personal, hit }, location });
        continue;
      }
      const c = sharedCacheability(r);
      if (!c.cacheable) continue;
      ctx.report({ code: c.how === 'explicit' ? 'shared-cacheable' : 'shared-cacheable-by-default', args: { url: r.url, personal, why: c.why }, location });
    }
    ctx.details({ responses: responses.length, personalized });
    if (responses.length === 0) ctx.unknown('no HTTP response was received from any surface or endpoint');
  },
});
