// Builds the run's network stack from options: connect-to rules, the DNS servers to ask, the one shared resolver,
// the extra trusted CAs of --ca, and the one HTTP client (created on first use).
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DnsResolver, type ServerAddress } from './dns/resolver.js';
import { systemNameservers } from './dns/system.js';
import type { CollectContext } from './context.js';
import type { HttpClient } from './http/fetch.js';
import { Limiter } from './limit.js';
import { ConnectToError, NetPolicy, parseConnectTo, parseServer } from './net.js';

/** A --ca file that cannot be used: a usage error (exit 2), like a bad --connect-to. */
export class CaFileError extends ConnectToError {}

/** Reads PEM certificates from a --ca file; every block must parse, and there must be at least one. */
export async function loadCaFile(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CaFileError(`--ca ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new CaFileError(`--ca ${file}: no PEM certificate in it (expected -----BEGIN CERTIFICATE----- blocks)`);
  blocks.forEach((pem, i) => {
    try {
      new X509Certificate(pem);
    } catch (err) {
      throw new CaFileError(`--ca ${file}: certificate ${i + 1} does not parse (${(err as Error).message})`);
    }
  });
  return blocks.map((b) => `${b}\n`);
}

export interface NetworkOptions {
  resolver?: string;
  connectTo?: readonly string[];
  timeoutMs: number;
  concurrency: number;
  /** Extra UDP attempts per DNS query after a timeout. */
  retries?: number;
  loopbackOnly?: boolean;
  /** PEM file of extra trusted CA certificates (--ca). */
  ca?: string;
}

export interface PreparedNetwork {
  policy: NetPolicy;
  servers: ServerAddress[];
  context: (signal: AbortSignal) => CollectContext;
}

/** Parses and validates network options up front, so a bad --connect-to is a usage error before anything runs. */
export async function prepareNetwork(opts: NetworkOptions): Promise<PreparedNetwork> {
  const policy = new NetPolicy({
    connectTo: (opts.connectTo ?? []).map(parseConnectTo),
    ...(opts.loopbackOnly !== undefined ? { loopbackOnly: opts.loopbackOnly } : {}),
  });
  const extraCa = opts.ca ? await loadCaFile(opts.ca) : [];
  const servers = opts.resolver ? [parseServer(opts.resolver)] : await systemNameservers();
  const retries = opts.retries ?? 2;
  // --timeout bounds a whole DNS step, retries included.
  const attemptMs = Math.max(50, Math.floor(opts.timeoutMs / (retries + 1)));
  return {
    policy,
    servers,
    context: (signal) => {
      const limiter = new Limiter(opts.concurrency);
      const resolver = new DnsResolver({ servers, timeoutMs: attemptMs, retries, policy, limiter, signal });
      const base = { resolver, policy, limiter, timeoutMs: opts.timeoutMs, signal, extraCa };
      let agent: Promise<HttpClient> | undefined;
      // undici loads only when a collector needs HTTP: DNS-only runs stay light.
      const lazyAgent = () => (agent ??= import('./http/fetch.js').then((m) => m.createHttpClient(base)));
      return { ...base, agent: lazyAgent };
    },
  };
}
