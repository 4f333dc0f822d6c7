// API and app hosts that only speak HTTP/1.1: more connections and handshakes on high-latency mobile links.
import { defineCheck } from '../define.js';

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

export default defineCheck({
  id: 'http1-only',
  area: 'latency',
  severity: 'low',
  impact: 'performance',
  title: 'API and app hosts speak HTTP/2',
  description:
    'Over HTTP/1.1 a client runs one request per connection at a time, so an app that loads several things at once opens several connections, each with its own TCP and TLS handshakes: on a phone\'s high-latency link every extra connection costs round trips.',
  remediation:
    'Enable HTTP/2 on the load balancer, CDN or web server in front of the API (nginx `listen 443 ssl http2`, most CDNs and managed load balancers by a setting).',
  references: ['https://www.rfc-editor.org/rfc/rfc9113', 'https://www.rfc-editor.org/rfc/rfc7301'],
  requires: ['tls.endpoints'],
  messages: {
    'no-h2': {
      message: '{host} answered our ALPN offer of h2 and http/1.1 with {alpn}: HTTP/1.1 only.',
    },
  },
  run({ 'tls.endpoints': endpoints, target }, ctx) {
    // API and app surfaces, and every host a configured endpoint calls.
    const endpointHosts = new Set((target.endpoints ?? []).map((e) => hostOf(e.url)).filter((h): h is string => !!h));
    const judged = endpoints.filter((t) => t.status === 'ok' && (/^(?:api|app)(?:[.-]|$)/.test(t.label) || endpointHosts.has(t.host)));
    if (judged.length === 0) {
      ctx.notApplicable('no API or app host answered TLS (api/app surfaces, or hosts of configured endpoints)');
      return;
    }
    const rows: Record<string, unknown>[] = [];
    for (const t of judged) {
      rows.push({ host: t.host, alpn: t.alpn ?? null });
      if (t.alpn === undefined || t.alpn === 'h2') continue;
      ctx.report({ code: 'no-h2', args: { host: t.host, alpn: t.alpn ?? 'no protocol choice' }, location: { host: t.host } });
    }
    ctx.details({ hosts: rows });
  },
});
