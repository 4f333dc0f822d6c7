// One place that turns network flags and the config's `network` section into the run's network stack, for every
// command that talks to the network (audit, watch, map, handover, load, spf).
import { dirname, resolve } from 'node:path';
import { prepareNetwork, type PreparedNetwork } from '../collect/setup.js';
import type { LoadedConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import type { NetworkFlags } from './flags.js';

export type { NetworkFlags };

export const DEFAULT_TIMEOUT_MS = 5000;

/** `loaded` is absent for commands that take no config (spf): then only the flags count. */
export async function networkFor(
  flags: NetworkFlags, loaded: LoadedConfig | undefined, cwd: string, concurrency: number, opts: { offline?: boolean } = {},
): Promise<PreparedNetwork> {
  const n = loaded?.config.network;
  const net = await prepareNetwork({
    resolver: flags.resolver ?? n?.resolver,
    // Command-line rules come first: the first matching rule wins.
    connectTo: [...flags.connectTo, ...(n?.connectTo ?? [])],
    timeoutMs: flags.timeout ?? n?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    concurrency,
    // --ca is relative to where the command runs; the config's network.ca to the config file.
    ca: flags.ca ? resolve(cwd, flags.ca) : n?.ca ? resolve(loaded?.file ? dirname(loaded.file) : cwd, n.ca) : undefined,
  });
  if (net.servers.length === 0 && !opts.offline) {
    throw new UsageError('no DNS server found in /etc/resolv.conf: pass --resolver <ip[:port]>');
  }
  return net;
}
