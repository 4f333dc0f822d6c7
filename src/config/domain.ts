// Domain names as the user types them, made into what goes on the wire: the command line and the config share the
// rule, so `https://x.com/`, `host:443`, an IP literal or an empty label is a clear usage error, and an IDN is
// converted to its punycode form (raw UTF-8 never goes on the wire).
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { domainName } from './schema.js';

/** The problem with a domain argument, or the normalized name (lower case, punycode, no trailing dot). */
export function normalizeDomain(input: string): { name: string } | { problem: string } {
  const raw = input.trim();
  if (raw === '') return { problem: 'an empty domain name' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    let host = '';
    try { host = new URL(raw).hostname; } catch { /* reported below */ }
    return { problem: `"${raw}" is a URL, not a domain${host ? `: give the domain alone, e.g. ${host.replace(/^www\./, '')}` : ''}` };
  }
  if (raw.includes('/')) return { problem: `"${raw}" has a path: give the domain alone (e.g. ${raw.split('/')[0]})` };
  const unbracketed = raw.replace(/^\[|\]$/g, '');
  if (isIP(unbracketed)) return { problem: `"${raw}" is an IP address: launch-ready audits domain names (DNS, certificates and mail are per name)` };
  if (/:\d*$/.test(raw)) return { problem: `"${raw}" has a port: give the domain alone (e.g. ${raw.replace(/:\d*$/, '')}); ports of endpoints go in the config's endpoints` };
  const trimmed = raw.replace(/\.$/, '');
  if (trimmed.split('.').some((l) => l === '')) return { problem: `"${raw}" has an empty label (two dots in a row, or a leading dot)` };
  // A label over 63 octets or a name over 253 is refused by DNS itself; say which.
  const long = trimmed.split('.').find((l) => Buffer.byteLength(l) > 63);
  if (long) return { problem: `"${raw.length > 80 ? `${raw.slice(0, 77)}...` : raw}" has a label of ${Buffer.byteLength(long)} octets (DNS allows at most 63)` };
  const ascii = domainToASCII(trimmed);
  if (!ascii) return { problem: `"${raw}" is not a valid domain name` };
  if (!domainName.test(ascii)) return { problem: `"${raw}" is not a domain name (expected at least two labels of letters, digits and hyphens, e.g. example.com)` };
  return { name: ascii.toLowerCase() };
}
