// Core endpoints whose responses are over the size budget even compressed: a phone on 3G waits on the transfer.
import { defineCheck, measured } from '../define.js';
import { coreEndpoints } from '../../derive/latency.js';
import { NETWORK_PROFILES, PAYLOAD_BUDGET_BYTES, transferMs } from '../../derive/mobile.js';
import type { EndpointLatency } from '../../facts/latency.js';

/** What the phone would download once the server compresses: the wire size when it does, else our gzip of the body. */
export function compressedBytes(e: EndpointLatency): number | undefined {
  const t = e.transfer;
  if (!t) return undefined;
  return t.contentEncoding ? t.wireBytes : (t.gzipBytes ?? t.wireBytes);
}

export default defineCheck({
  id: 'large-payload',
  area: 'latency',
  severity: 'medium',
  impact: 'performance',
  title: 'Core responses fit a mobile size budget (100 kB compressed)',
  description:
    'A core screen\'s response is so large that its transfer alone takes seconds on 3G and most of a second on 4G, before any rendering: users on weak networks stare at a spinner and retry.',
  remediation:
    'Send what the screen shows: paginate lists (limit + cursor), drop unused fields or let the client pick them (sparse fieldsets, GraphQL), send image URLs not inline images, and compress the response.',
  references: ['https://web.dev/articles/reduce-network-payloads-using-text-compression', 'https://jsonapi.org/format/#fetching-sparse-fieldsets'],
  requires: ['latency.endpoints'],
  messages: {
    'over-budget': {
      message: '{name} ({method} {url}) is {compressedBytes|bytes} compressed ({wireBytes|bytes} sent{truncated? or more: cut at the read cap}), over the {budgetBytes|bytes} budget: its transfer alone takes {transfers} (WebPageTest profiles).',
    },
  },
  run({ 'latency.endpoints': facts }, ctx) {
    const eps = measured(facts, ctx);
    if (!eps) return;
    const core = coreEndpoints(eps);
    const rows: Record<string, unknown>[] = [];
    for (const e of core) {
      const size = compressedBytes(e);
      if (size === undefined) continue;
      const t = e.transfer!;
      rows.push({ name: e.name, wireBytes: t.wireBytes, compressedBytes: size });
      if (size <= PAYLOAD_BUDGET_BYTES) continue;
      // The wire size is what the phone downloads today (uncompressed, if the server does not compress).
      const transfers = NETWORK_PROFILES.map((p) => `${Math.round(transferMs(t.wireBytes, p))} ms on ${p.label}`).join(', ');
      ctx.report({
        code: 'over-budget',
        args: { name: e.name, method: e.method, url: e.url, compressedBytes: size, wireBytes: t.wireBytes, truncated: t.truncated, budgetBytes: PAYLOAD_BUDGET_BYTES, transfers },
        location: { url: e.url },
      });
    }
    if (rows.length === 0) {
      ctx.unknown('no core endpoint answered, so no response size to judge');
      return;
    }
    ctx.details({ payloads: rows, budgetBytes: PAYLOAD_BUDGET_BYTES, profiles: NETWORK_PROFILES });
  },
});
