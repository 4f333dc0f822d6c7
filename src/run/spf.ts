// The front door of `spf`: RFC 7208 check_host() for one sender IP against one domain, through the run's resolver
// (and connect-to rules), under a per-lookup deadline and an overall one.
import { isIP } from 'node:net';
import { checkHost, validDomain, type SpfEvaluation } from '../email/spf/evaluate.js';
import { UsageError } from '../errors.js';
import type { SpfFlags } from './flags.js';
import { DEFAULT_TIMEOUT_MS, networkFor } from './network.js';

export type { SpfEvaluation };

/** RFC 7208 4.6.4 suggests at least 20 s for a whole evaluation; each DNS step also has its own deadline. */
const MIN_OVERALL_MS = 20_000;

/**
 * check_host()'s <domain>: the one given, else the MAIL FROM domain, else (null sender) the HELO name (RFC 7208 2.3,
 * 2.4). A domain typed as the argument must be one; one taken from --sender or --helo is the mail's own identity, and
 * a malformed one is check_host()'s business (RFC 7208 4.3: the result is none), not a usage error.
 */
export function spfDomain(domain: string | undefined, flags: Pick<SpfFlags, 'sender' | 'helo'>): string {
  if (domain !== undefined) {
    if (!validDomain(domain)) throw new UsageError(`"${domain}" is not a domain name (at least two labels, each 1-63 octets)`);
    return domain;
  }
  const sender = flags.sender?.trim() ?? '';
  if (sender) return sender.slice(sender.lastIndexOf('@') + 1);
  if (flags.helo !== undefined) return flags.helo.trim();
  throw new UsageError('give the domain to check, or --sender (its domain is checked) or --helo (with an empty --sender)');
}

export async function evaluateSpf(domainArg: string | undefined, flags: SpfFlags, cwd: string): Promise<SpfEvaluation> {
  if (!isIP(flags.ip.replace(/^\[|\]$/g, ''))) throw new UsageError(`--ip "${flags.ip}" is not an IPv4 or IPv6 address`);
  const domain = spfDomain(domainArg, flags);
  const timeoutMs = flags.timeout ?? DEFAULT_TIMEOUT_MS;
  const net = await networkFor({ ...flags, timeout: timeoutMs }, undefined, cwd, 16);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(MIN_OVERALL_MS, timeoutMs * 4));
  try {
    const ctx = net.context(controller.signal);
    return await checkHost({
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
}
