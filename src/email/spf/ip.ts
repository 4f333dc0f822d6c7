// IP address helpers for SPF: bytes, CIDR matching, reverse names and the dotted-nibble form macros use.
import { isIPv4, isIPv6 } from 'node:net';

export interface ParsedIp {
  version: 4 | 6;
  bytes: number[];
  /** Canonical text: dotted quad, or lower-case compressed IPv6. */
  text: string;
}

function v6Bytes(text: string): number[] {
  let s = text.toLowerCase();
  // An embedded dotted quad in the last 32 bits.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  let tail: number[] = [];
  if (quad) {
    tail = quad[1]!.split('.').map(Number);
    s = s.slice(0, -quad[1]!.length) + '0:0';
  }
  const [head, rest] = s.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const r = rest ? rest.split(':') : [];
  const fill = rest === undefined ? [] : new Array<string>(8 - h.length - r.length).fill('0');
  const groups = [...h, ...fill, ...r].map((g) => parseInt(g, 16));
  const bytes = groups.flatMap((g) => [(g >> 8) & 0xff, g & 0xff]);
  if (quad) bytes.splice(12, 4, ...tail);
  return bytes;
}

function v6Text(bytes: number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  // Longest run of zero groups (length >= 2) becomes "::" (RFC 5952).
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Parses an IP; an IPv4-mapped IPv6 address is treated as the IPv4 address (RFC 7208 section 5). */
export function parseIp(text: string): ParsedIp | undefined {
  const t = text.trim().replace(/^\[|\]$/g, '');
  if (isIPv4(t)) {
    const bytes = t.split('.').map(Number);
    return { version: 4, bytes, text: bytes.join('.') };
  }
  if (!isIPv6(t)) return undefined;
  const bytes = v6Bytes(t);
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    const v4 = bytes.slice(12);
    return { version: 4, bytes: v4, text: v4.join('.') };
  }
  return { version: 6, bytes, text: v6Text(bytes) };
}

/** Whether `ip` is inside `network`/`prefix` (both of the same family; different families never match). */
export function inNetwork(ip: ParsedIp, network: ParsedIp, prefix: number): boolean {
  if (ip.version !== network.version) return false;
  let bits = prefix;
  for (let i = 0; i < ip.bytes.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip.bytes[i]! & mask) !== (network.bytes[i]! & mask)) return false;
  }
  return true;
}

export function sameIp(a: ParsedIp, b: ParsedIp): boolean {
  return a.version === b.version && a.bytes.every((x, i) => x === b.bytes[i]);
}

/** The %{i} form: dotted quad, or 32 dot-separated nibbles for IPv6. */
export function macroIp(ip: ParsedIp): string {
  if (ip.version === 4) return ip.text;
  return ip.bytes.flatMap((b) => [(b >> 4).toString(16), (b & 0xf).toString(16)]).join('.');
}

/** The PTR query name: in-addr.arpa or ip6.arpa. */
export function reverseName(ip: ParsedIp): string {
  if (ip.version === 4) return `${[...ip.bytes].reverse().join('.')}.in-addr.arpa`;
  return `${macroIp(ip).split('.').reverse().join('.')}.ip6.arpa`;
}
