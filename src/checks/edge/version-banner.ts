// Server and X-Powered-By headers name software without its version: a version banner tells scanners which
// known vulnerabilities to try first.
import { allResponses } from '../../derive/responses.js';
import { defineCheck } from '../define.js';

const BANNERS = ['server', 'x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version', 'x-generator', 'x-runtime-version'];
/** A product token with a version: nginx/1.25.3, PHP/8.1.2, Express 4.18, 4.0.30319 (ASP.NET's own header). */
const VERSIONED = /(?:^|[\s/(])v?\d+\.\d+(?:\.\d+)?/;

export default defineCheck({
  id: 'version-banner',
  area: 'edge',
  severity: 'low',
  impact: 'hygiene',
  title: 'Response headers do not advertise software versions',
  description: 'Mass scanners read `Server: nginx/1.25.3` or `X-Powered-By: PHP/8.1.2` and try the exploits for exactly that version; the day a CVE lands, your host is on the list.',
  remediation: 'Hide versions: nginx `server_tokens off;`, Apache `ServerTokens Prod`, PHP `expose_php = Off`, Express `app.disable(\'x-powered-by\')`, ASP.NET `<httpRuntime enableVersionHeader="false">`.',
  references: ['https://owasp.org/www-project-secure-headers/#server', 'https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Headers_Cheat_Sheet.html'],
  requires: ['http.surfaces', 'edge.http'],
  messages: {
    banner: { message: '{host} advertises {banners}.' },
  },
  run(facts, ctx) {
    const responses = allResponses(facts['http.surfaces'], facts['edge.http']);
    const byHost = new Map<string, { url: string; banners: Set<string> }>();
    for (const r of responses) {
      for (const h of BANNERS) {
        const v = r.headers[h];
        if (!v || !VERSIONED.test(v)) continue;
        const entry = byHost.get(r.host) ?? { url: r.url, banners: new Set<string>() };
        entry.banners.add(`${h}: ${v.slice(0, 60)}`);
        byHost.set(r.host, entry);
      }
    }
    for (const [host, e] of byHost) ctx.report({ code: 'banner', args: { host, banners: [...e.banners].slice(0, 4) }, location: { host, url: e.url } });
    if (responses.length === 0) ctx.unknown('no HTTP response was received from any surface or endpoint');
    ctx.details({ banners: Object.fromEntries([...byHost].map(([h, e]) => [h, [...e.banners]])) });
  },
});
