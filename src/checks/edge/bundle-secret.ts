// A secret in a served JavaScript bundle is shipped to every visitor's browser: leaked, whatever the repository says.
import { defineCheck } from '../define.js';

export default defineCheck({
  id: 'bundle-secret',
  area: 'edge',
  severity: 'critical',
  impact: 'data-exposure',
  title: 'Served JavaScript bundles hold no secrets',
  description: 'Every visitor downloads the key with the page: anyone can use it to charge your accounts, read your data or send as you, and it is already in caches and archives.',
  remediation:
    'Rotate the key now (it is public), move the call that needs it to your backend, and keep server-only variables out of the front-end build (only NEXT_PUBLIC_/VITE_/REACT_APP_ variables meant to be public may reach it).',
  references: ['https://owasp.org/www-project-top-ten/2017/A3_2017-Sensitive_Data_Exposure', 'https://vitejs.dev/guide/env-and-mode.html#env-files'],
  requires: ['edge.http'],
  messages: {
    secret: { message: '{url} ships {description} ({masked}) on line {line} to every browser.' },
    token: { message: '{url} ships {description} ({masked}) on line {line} to every browser.', severity: 'medium' },
  },
  run(facts, ctx) {
    const edge = facts['edge.http'];
    let scripts = 0;
    for (const s of edge.surfaces) {
      scripts += s.assets.filter((a) => /\.m?js$/.test(new URL(a.url).pathname) && a.status !== undefined && a.status < 300).length;
      for (const b of s.bundleSecrets) {
        ctx.report({
          code: b.severity === 'critical' || b.severity === 'high' ? 'secret' : 'token',
          args: { url: b.url, description: b.description, masked: b.masked, line: b.line },
          location: { host: s.host, url: b.url, line: b.line },
          evidence: b.evidence,
          identity: `${b.url} ${b.secretId}`,
        });
      }
    }
    if (scripts === 0) ctx.notApplicable('no same-origin script was found on the home pages');
    ctx.details({ scripts });
  },
});
