// The machine's DNS servers, read from /etc/resolv.conf: the only thing we take from the system resolver.
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { ServerAddress } from './resolver.js';

export function parseResolvConf(text: string): ServerAddress[] {
  const servers: ServerAddress[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    // A zone index (fe80::1%eth0) cannot be used by a plain UDP socket send; skip such entries.
    const address = m?.[1];
    if (address && !address.includes('%') && isIP(address)) servers.push({ address, port: 53 });
  }
  return servers;
}

export async function systemNameservers(path = '/etc/resolv.conf'): Promise<ServerAddress[]> {
  try {
    return parseResolvConf(await readFile(path, 'utf8'));
  } catch {
    return [];
  }
}
