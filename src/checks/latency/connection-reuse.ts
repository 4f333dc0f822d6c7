// A server that closes the connection after every response: on mobile each request pays DNS, TCP and TLS again.
import { defineCheck, measured } from '../define.js';
import { NETWORK_PROFILES } from '../../derive/mobile.js';

const THREE_G = NETWORK_PROFILES.find((p) => p.id === '3g')!;

export default defineCheck({
  id: 'connection-reuse',
  area: 'latency',
  severity: 'medium',
  impact: 'performance',
  title: 'The API keeps connections alive between requests',
  description:
    'Every request opens a new connection: on a phone that is two to three extra round trips (TCP and TLS handshakes) per call, 600-900 ms each on 3G, and a screen that makes several calls pays it every time.',
  remediation:
    'Enable HTTP keep-alive on the server and any proxy in front of it (nginx `keepalive_timeout`, Node `server.keepAliveTimeout` above the load balancer\'s idle timeout) and do not send `Connection: close`; prefer HTTP/2, which multiplexes calls over one connection.',
  references: ['https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Keep-Alive', 'https://www.rfc-editor.org/rfc/rfc9112#section-9.3'],
  requires: ['latency.endpoints'],
  messages: {
    'no-keep-alive': {
      message: '{name} ({url}) opened a new connection for {newConnections} of {requests} sequential requests{closeHeader? (the server sends Connection: close)}: each paid {setupMs|ms} ms of DNS, TCP and TLS here against {warmMs|ms} ms for the whole answer it would get on a reused one; on 3G ({rttMs} ms RTT) that setup is about {mobileMs} ms per request.',
    },
  },
  run({ 'latency.endpoints': facts }, ctx) {
    const eps = measured(facts, ctx);
    if (!eps) return;
    const rows: Record<string, unknown>[] = [];
    for (const e of eps) {
      const c = e.connections;
      // One answer says nothing about reuse.
      if (!c || c.requests < 2) continue;
      rows.push({ name: e.name, ...c });
      // The first request always opens one; every later one opening its own means no reuse at all.
      if (c.newConnections < c.requests) continue;
      const https = e.url.startsWith('https:');
      ctx.report({
        code: 'no-keep-alive',
        args: {
          name: e.name, url: e.url, newConnections: c.newConnections, requests: c.requests, closeHeader: c.closeHeader,
          setupMs: c.setupMs, warmMs: e.p50Ms ?? 0, rttMs: THREE_G.rttMs,
          mobileMs: (https ? 2 : 1) * THREE_G.rttMs,
        },
        location: { url: e.url },
      });
    }
    if (rows.length === 0) {
      ctx.unknown('no endpoint answered twice, so connection reuse could not be observed');
      return;
    }
    ctx.details({ connections: rows });
  },
});
