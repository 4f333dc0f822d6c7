// Network policy for the whole run: curl-style --connect-to rules and the loopback-only guard used by tests.
import { isIP } from 'node:net';
import { KnownError } from '../errors.js';

export interface ConnectRule {
  /** Name or address to match; '' matches any. Lower-cased, no brackets. */
  host: string;
  /** Port to match; null matches any. */
  port: number | null;
  toHost: string;
  /** Port to connect to instead; null keeps the original port. */
  toPort: number | null;
}

/** A --connect-to or --resolver value that cannot be used: a usage error (exit 2). */
export class ConnectToError extends KnownError {
  override name = 'ConnectToError';
}

function splitHostPort(spec: string): string[] {
  // HOST1:PORT1:HOST2:PORT2 where hosts may be bracketed IPv6 literals.
  const parts: string[] = [];
  let i = 0;
  while (i <= spec.length) {
    if (spec[i] === '[') {
      const end = spec.indexOf(']', i);
      if (end < 0) throw new ConnectToError(`unclosed '[' in "${spec}"`);
      parts.push(spec.slice(i + 1, end));
      i = end + 1;
      if (i < spec.length && spec[i] !== ':') throw new ConnectToError(`expected ':' after ']' in "${spec}"`);
      i++;
    } else {
      const next = spec.indexOf(':', i);
      const end = next < 0 ? spec.length : next;
      parts.push(spec.slice(i, end));
      i = end + 1;
    }
  }
  return parts;
}

function parsePort(raw: string, spec: string): number | null {
  if (raw === '') return null;
  if (!/^\d+$/.test(raw)) throw new ConnectToError(`port "${raw}" in "${spec}" is not a number`);
  const port = Number(raw);
  if (port < 1 || port > 65535) throw new ConnectToError(`port ${port} in "${spec}" is out of range 1-65535`);
  return port;
}

/** Parses curl's `HOST1:PORT1:HOST2:PORT2` (e.g. `ns1.example.com:53:127.0.0.1:5353`, `::127.0.0.1:8443`). */
export function parseConnectTo(spec: string): ConnectRule {
  const parts = splitHostPort(spec.trim());
  if (parts.length !== 4) {
    throw new ConnectToError(`"${spec}" is not HOST1:PORT1:HOST2:PORT2 (e.g. api.example.com:443:127.0.0.1:8443)`);
  }
  const [host, port, toHost, toPort] = parts as [string, string, string, string];
  if (toHost === '') throw new ConnectToError(`"${spec}" names no host to connect to`);
  return { host: host.toLowerCase().replace(/\.$/, ''), port: parsePort(port, spec), toHost, toPort: parsePort(toPort, spec) };
}

/** Parses `ip`, `ip:port`, `[v6]:port` or a bare IPv6 address into a DNS server address. */
export function parseServer(spec: string, defaultPort = 53): { address: string; port: number } {
  const s = spec.trim();
  if (isIP(s)) return { address: s, port: defaultPort };
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(s) ?? /^([^:]+):(\d+)$/.exec(s);
  if (!m || !m[1]) throw new ConnectToError(`"${spec}" is not an address or address:port (e.g. 127.0.0.1:5353)`);
  const port = m[2] ? Number(m[2]) : defaultPort;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConnectToError(`port in "${spec}" is out of range`);
  return { address: m[1], port };
}

export function isLoopback(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(a) === 4) return a.startsWith('127.');
  if (a === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return Boolean(mapped && mapped[1]!.startsWith('127.'));
}

export class ForbiddenDestinationError extends Error {
  readonly code = 'EFORBIDDEN';
}

export interface NetPolicyOptions {
  connectTo?: readonly ConnectRule[];
  /** Refuse any destination outside 127.0.0.0/8 and ::1. Set by tests (LAUNCH_READY_LOOPBACK_ONLY=1). */
  loopbackOnly?: boolean;
}

export class NetPolicy {
  readonly rules: readonly ConnectRule[];
  readonly loopbackOnly: boolean;

  constructor(opts: NetPolicyOptions = {}) {
    this.rules = opts.connectTo ?? [];
    this.loopbackOnly = opts.loopbackOnly ?? process.env.LAUNCH_READY_LOOPBACK_ONLY === '1';
  }

  /** The connect-to rule for host:port, if any. The first matching rule wins, as in curl. */
  redirect(host: string, port: number): { host: string; port: number } | undefined {
    const h = host.toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
    for (const r of this.rules) {
      if ((r.host === '' || r.host === h) && (r.port === null || r.port === port)) {
        return { host: r.toHost, port: r.toPort ?? port };
      }
    }
    return undefined;
  }

  /** Throws ForbiddenDestinationError when a connection to this IP must not be made. */
  assertAllowed(address: string): void {
    if (!isIP(address.replace(/^\[|\]$/g, ''))) {
      throw new ForbiddenDestinationError(`refusing to connect to "${address}": not an IP address`);
    }
    if (this.loopbackOnly && !isLoopback(address)) {
      throw new ForbiddenDestinationError(`refusing to connect to ${address}: loopback-only mode is on`);
    }
  }
}
