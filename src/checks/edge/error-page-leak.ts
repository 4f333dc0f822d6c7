// Error answers (a random missing path on every surface, endpoint errors) must not show stack traces or framework
// debug pages: they hand out file paths, code, queries and sometimes configuration.
import type { EdgeResponse } from '../../facts/edge.js';
import { defineCheck } from '../define.js';
import { debugLeak, hostOf } from '../../derive/responses.js';

export default defineCheck({
  id: 'error-page-leak',
  area: 'edge',
  severity: 'medium',
  impact: 'data-exposure',
  title: 'Error pages do not leak stack traces or debug output',
  description: 'Error pages show attackers your file layout, framework, code and sometimes queries or settings: a map for the next attack, and a sign debug mode is on in production.',
  remediation: 'Turn off debug mode in production (DEBUG=False, NODE_ENV=production, APP_DEBUG=false...) and serve a generic error page; log the details server-side.',
  references: ['https://owasp.org/www-community/Improper_Error_Handling', 'https://cwe.mitre.org/data/definitions/209.html'],
  requires: ['edge.http'],
  messages: {
    'debug-output': { message: '{url} answered {status} with {leak}.' },
  },
  run(facts, ctx) {
    const edge = facts['edge.http'];
    let checked = 0;
    const judge = (host: string, r: EdgeResponse | undefined) => {
      if (!r || r.status === undefined) return;
      checked++;
      const leak = debugLeak(r.body);
      if (leak) ctx.report({ code: 'debug-output', args: { url: r.url, status: r.status, leak }, location: { host, url: r.url } });
    };
    for (const s of edge.surfaces) judge(s.host, s.notFound);
    for (const e of edge.endpoints) if (e.response && (e.response.status ?? 0) >= 400 && !e.health) judge(hostOf(e.url), e.response);
    if (checked === 0) ctx.notApplicable('no surface answered HTTP or HTTPS');
    ctx.details({ errorResponses: checked });
  },
});
