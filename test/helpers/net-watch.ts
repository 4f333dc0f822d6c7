// Watches on the process's own network paths, for tests that must prove what never happens: a name sent to the
// system resolver (node:dns lookup) or a socket connect attempted. Each watch passes calls through and records them
// until `restore()`; callers restore in `finally`.
import dns from 'node:dns';
import type http from 'node:http';
import net from 'node:net';

/**
 * Names given to the system resolver until restored: node:dns lookup is passed through (IP literals short-circuit
 * inside it, so callers may filter those out), while dns.promises.lookup and dns.resolve are recorded and throw, as
 * nothing of ours may use them.
 */
export function watchSystemLookups(): { names: string[]; restore: () => void } {
  const names: string[] = [];
  const original = { lookup: dns.lookup, resolve: dns.resolve, promisesLookup: dns.promises.lookup };
  dns.lookup = ((hostname: string, ...rest: unknown[]) => {
    names.push(hostname);
    return (original.lookup as (...a: unknown[]) => unknown)(hostname, ...rest);
  }) as typeof dns.lookup;
  dns.resolve = ((name: string) => { names.push(`resolve:${name}`); throw new Error('system resolver used'); }) as unknown as typeof dns.resolve;
  dns.promises.lookup = (async (hostname: string) => { names.push(hostname); throw new Error('system resolver used'); }) as typeof dns.promises.lookup;
  return {
    names,
    restore: () => {
      dns.lookup = original.lookup;
      dns.resolve = original.resolve;
      dns.promises.lookup = original.promisesLookup;
    },
  };
}

/** The first argument of every net.Socket connect (where it was asked to go) until restored. */
export function watchConnects(): { targets: unknown[]; restore: () => void } {
  const targets: unknown[] = [];
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    targets.push(args[0]);
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
  return { targets, restore: () => { net.Socket.prototype.connect = original; } };
}

/** Closes a test's server, kept-alive connections included (an HTTP server's), so the file ends at once. */
export function closeServer(s: net.Server): Promise<void> {
  return new Promise<void>((resolve) => { s.close(() => resolve()); (s as http.Server).closeAllConnections?.(); });
}
