// Readings of latency facts shared by the latency checks: the report figures and failure summaries.
import type { EndpointLatency } from '../facts/latency.js';

/** The figures `launch-ready diff`, the HTML latency chart and the handover read: keep these names. */
export function endpointFigures(e: EndpointLatency) {
  return { name: e.name, p50Ms: e.p50Ms, p95Ms: e.p95Ms, p99Ms: e.p99Ms, maxMs: e.maxMs, budgetP95Ms: e.budgetP95Ms };
}

export function failureSummary(e: EndpointLatency): string {
  const parts: string[] = [];
  if (e.errors.non2xx) parts.push(`${e.errors.non2xx} non-2xx (${Object.entries(e.errors.statusCodes).map(([c, n]) => `${n}× ${c}`).join(', ')})`);
  if (e.errors.timeouts) parts.push(`${e.errors.timeouts} timeouts`);
  if (e.errors.resets) parts.push(`${e.errors.resets} resets`);
  if (e.errors.other) parts.push(`${e.errors.other} other failures (${e.errors.examples.filter((x) => !x.startsWith('HTTP ')).join('; ')})`);
  return parts.join(', ');
}
