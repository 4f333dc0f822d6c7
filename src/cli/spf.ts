// `launch-ready spf`: RFC 7208 check_host() for one sender IP against one domain, over any resolver, with the trace.
import { isIP } from 'node:net';
import { DEFAULT_TIMEOUT_MS, networkFor } from './network.js';
import { checkHost, validDomain, type SpfEvaluation } from '../email/spf/evaluate.js';
import { UsageError } from '../run.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

export interface SpfFlags {
  ip: string;
  sender?: string;
  helo?: string;
  resolver?: string;
  connectTo: string[];
  timeout?: number;
  format: string;
}


/** RFC 7208 4.6.4 suggests at least 20 s for a whole evaluation; each DNS step also has its own deadline. */
const MIN_OVERALL_MS = 20_000;

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

export async function spfCommand(domain: string, flags: SpfFlags, streams: Streams): Promise<number> {
  try {
    if (!isIP(flags.ip.replace(/^\[|\]$/g, ''))) throw new UsageError(`--ip "${flags.ip}" is not an IPv4 or IPv6 address`);
    if (!validDomain(domain)) throw new UsageError(`"${domain}" is not a domain name (at least two labels, each 1-63 octets)`);
    const timeoutMs = flags.timeout ?? DEFAULT_TIMEOUT_MS;
    const net = await networkFor({ ...flags, timeout: timeoutMs }, undefined, process.cwd(), 16);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.max(MIN_OVERALL_MS, timeoutMs * 4));
    let ev: SpfEvaluation;
    try {
      const ctx = net.context(controller.signal);
      ev = await checkHost({
        domain, ip: flags.ip,
        ...(flags.sender !== undefined ? { sender: flags.sender } : {}),
        ...(flags.helo !== undefined ? { helo: flags.helo } : {}),
        lookup: (name, type) => ctx.resolver.query(name, type),
        now: new Date(),
      });
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
    streams.stdout.write(flags.format === 'json' ? `${JSON.stringify(ev, null, 2)}\n` : renderSpfText(ev));
    return EXIT.go;
  } catch (err) {
    return reportError(err, streams);
  }
}
