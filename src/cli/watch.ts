// `launch-ready watch`: checks endpoints, DNS and certificates every N seconds, prints status changes, alerts after
// K failures in a row (webhook and/or command) and announces recovery. Ctrl-C stops cleanly.
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { WatchFlags } from '../run/flags.js';
import { runWatch } from '../run/watch.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

export type { WatchFlags };

export interface WatchHooks {
  /** Resolves when the watch should stop (SIGINT by default). */
  stop?: Promise<void>;
}

export async function watchCommand(domains: string[], flags: WatchFlags, streams: Streams, cwd: string, hooks: WatchHooks = {}): Promise<number> {
  let loaded: LoadedConfig | undefined;
  let onSigint: (() => void) | undefined;
  try {
    loaded = await loadConfig({ ...(flags.config ? { file: flags.config } : {}), cwd, env: streams.env });
    const redact = loaded.redactor.redact.bind(loaded.redactor);
    const stop = hooks.stop ?? new Promise<void>((resolve) => { onSigint = () => resolve(); process.once('SIGINT', onSigint); });
    await runWatch({
      loaded, domains, flags, cwd, stop,
      say: (line) => streams.stdout.write(`${redact(line)}\n`),
      warn: (line) => { if (!flags.quiet) streams.stderr.write(`${redact(line)}\n`); },
    });
    return EXIT.go;
  } catch (err) {
    return reportError(err, streams, loaded?.redactor);
  } finally {
    if (onSigint) process.removeListener('SIGINT', onSigint);
  }
}
