// A cross-origin request from a foreign Origin must not be allowed to read credentialed answers: a reflected Origin
// (or "*") together with Access-Control-Allow-Credentials lets any website act as the logged-in user.
import type { EdgeResponse } from '../../facts/edge.js';
import { defineCheck } from '../define.js';
import { hostOf } from '../../derive/responses.js';

export default defineCheck({
  id: 'permissive-cors',
  area: 'edge',
  severity: 'high',
  impact: 'data-exposure',
  title: 'CORS does not let arbitrary sites read credentialed responses',
  description: 'Any website a logged-in user visits can call your API with their cookies and read the answers: account data, tokens, anything the user can see.',
  remediation:
    'Answer Access-Control-Allow-Origin only for an explicit allow-list of your own origins (compare exactly, never echo the request\'s Origin), send `Vary: Origin`, and send Access-Control-Allow-Credentials only to those origins.',
  references: ['https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS', 'https://portswigger.net/web-security/cors'],
  requires: ['edge.http'],
  messages: {
    'reflected-credentials': { message: '{url} echoes the foreign Origin {origin} in Access-Control-Allow-Origin and allows credentials.' },
    'null-credentials': { message: '{url} allows the "null" origin with credentials (sandboxed iframes and local files get it).' },
    'wildcard-credentials': {
      message: '{url} sends Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true.',
      whatBreaks: 'Browsers refuse this combination, so credentialed calls from your own front end fail; and it shows the server means to let every origin in: one change to echo the Origin turns it into a data leak.',
    },
    'reflected-origin': {
      message: '{url} echoes any Origin (sent {origin}) in Access-Control-Allow-Origin, without credentials.',
      severity: 'low',
      whatBreaks: 'Any website can read these responses from the user\'s browser. Harmless for truly public data; a leak for anything gated by network position (intranet, IP allow-lists).',
    },
  },
  run(facts, ctx) {
    const edge = facts['edge.http'];
    const seen = new Set<string>();
    const reported = new Set<string>();
    const judge = (r: EdgeResponse | undefined, origin: string) => {
      if (!r || r.status === undefined || seen.has(`${r.method} ${r.url}`)) return;
      seen.add(`${r.method} ${r.url}`);
      const acao = (r.headers['access-control-allow-origin'] ?? '').trim();
      if (!acao) return;
      const creds = (r.headers['access-control-allow-credentials'] ?? '').trim().toLowerCase() === 'true';
      const location = { host: hostOf(r.url), url: r.url };
      const args = { url: r.method === 'OPTIONS' ? `${r.url} (preflight)` : r.url, origin };
      // A preflight and the request it allows are one hole: reported once per URL and problem.
      const identity = (code: string) => `${r.url} ${code}`;
      const report = (code: 'reflected-credentials' | 'reflected-origin' | 'null-credentials' | 'wildcard-credentials') => {
        if (reported.has(identity(code))) return;
        reported.add(identity(code));
        ctx.report({ code, args, location });
      };
      if (acao.toLowerCase() === origin.toLowerCase()) report(creds ? 'reflected-credentials' : 'reflected-origin');
      else if (acao === 'null' && creds) report('null-credentials');
      else if (acao === '*' && creds) report('wildcard-credentials');
    };
    for (const e of edge.endpoints) { judge(e.cors, e.corsOrigin); judge(e.preflight, e.corsOrigin); }
    for (const s of edge.surfaces) { judge(s.cors, s.corsOrigin); judge(s.preflight, s.corsOrigin); }
    if (seen.size === 0) {
      if (edge.surfaces.some((s) => s.origin) || edge.endpoints.some((e) => e.cors)) ctx.unknown('no cross-origin request got an answer');
      else ctx.notApplicable('no surface or endpoint answered');
    }
    ctx.details({ probed: [...seen] });
  },
});
