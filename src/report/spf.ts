// An SPF evaluation as text: the result, what matched, the lookup counts and the trace of every term.
import type { SpfEvaluation } from '../email/spf/evaluate.js';

export function renderSpfText(ev: SpfEvaluation): string {
  const lines: string[] = [];
  lines.push(`SPF check_host(${ev.ip}, ${ev.domain}, ${ev.sender})${ev.helo ? ` HELO ${ev.helo}` : ''}`);
  lines.push(`result:      ${ev.result}`);
  if (ev.matched) lines.push(`matched:     "${ev.matched.term}" in ${ev.matched.domain}`);
  if (ev.problem) lines.push(`reason:      ${ev.problem}`);
  if (ev.explanation !== undefined) lines.push(`explanation: ${ev.explanation}`);
  if (ev.record) lines.push(`record:      ${ev.record}`);
  lines.push(`lookups:     ${ev.lookups}/10 DNS-querying terms, ${ev.voidLookups}/2 void lookups, ${ev.dnsQueries} DNS queries in all`);
  lines.push('', 'trace:');
  for (const t of ev.trace) {
    const pad = '  '.repeat(t.depth + 1);
    const count = t.kind === 'term' && t.lookups !== undefined ? `  [lookups ${t.lookups}]` : '';
    lines.push(`${pad}${t.kind.padEnd(11)} ${t.kind === 'record' || t.kind === 'term' ? `${t.domain}: ` : ''}${t.text}${count}`);
  }
  return `${lines.join('\n')}\n`;
}
