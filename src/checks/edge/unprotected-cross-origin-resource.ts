// Credentialed, non-HTML answers (what an API returns to a logged-in user) carry Cross-Origin-Resource-Policy, so
// another site cannot pull them into its own process with <script>/<img> and read them through a side channel.
import { allResponses, hostOf } from '../../derive/responses.js';
import { defineCheck } from '../define.js';

const VALUES = new Set(['same-origin', 'same-site', 'cross-origin']);

export default defineCheck({
  id: 'unprotected-cross-origin-resource',
  area: 'edge',
  severity: 'low',
  impact: 'data-exposure',
  title: 'Credentialed API answers send a valid Cross-Origin-Resource-Policy',
  description: 'Without CORP, any site can embed a logged-in user\'s API answer as a no-cors subresource; browsers without full site isolation then hold it in the attacker\'s process, where Spectre-style side channels read it. Low: the content-type sniffing defences (ORB) already stop most of it.',
  remediation: 'Send `Cross-Origin-Resource-Policy: same-origin` (or `same-site`) on API answers for logged-in users; `cross-origin` only for what other sites must embed. One header, one value.',
  references: ['https://developer.mozilla.org/en-US/docs/Web/HTTP/Cross-Origin_Resource_Policy', 'https://fetch.spec.whatwg.org/#cross-origin-resource-policy-header'],
  requires: ['http.surfaces', 'edge.http'],
  messages: {
    missing: { message: '{url} answers a credentialed request ({why}) without Cross-Origin-Resource-Policy.' },
    invalid: {
      message: '{url} sends Cross-Origin-Resource-Policy: {value}, which browsers ignore (one of same-origin, same-site, cross-origin, sent once).',
      impact: 'hygiene',
      remediation: 'Send exactly one value: `Cross-Origin-Resource-Policy: same-origin` (or same-site / cross-origin).',
    },
  },
  run(facts, ctx) {
    const responses = allResponses(facts['http.surfaces'], facts['edge.http']);
    let credentialed = 0;
    for (const r of responses) {
      if (r.status >= 300 && r.status < 400) continue;
      const location = { host: hostOf(r.url), url: r.url };
      const corp = r.headers['cross-origin-resource-policy'];
      if (corp !== undefined) {
        if (!VALUES.has(corp.trim().toLowerCase())) ctx.report({ code: 'invalid', args: { url: r.url, value: corp.slice(0, 60) }, location });
        continue;
      }
      const html = /text\/html/i.test(r.headers['content-type'] ?? '');
      const why = r.sentCredentials.length > 0 ? `the request carried ${r.sentCredentials.join(', ')}` : r.endpoint?.kind === 'auth' ? `the auth endpoint "${r.endpoint.name}"` : undefined;
      if (html || !why) continue;
      credentialed++;
      ctx.report({ code: 'missing', args: { url: r.url, why }, location });
    }
    if (responses.length === 0) ctx.unknown('no HTTP response was received from any surface or endpoint');
    ctx.details({ credentialedAnswers: credentialed });
  },
});
