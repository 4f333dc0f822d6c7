// Turns an error into the right exit code and a message: known, user-fixable errors print without a stack trace.
import { ConfigError } from '../config/load.js';
import { FactsFileError } from '../collect/facts-store.js';
import { ConnectToError } from '../collect/net.js';
import type { Redactor } from '../redact.js';
import { UsageError } from '../run.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

export function reportError(err: unknown, streams: Streams, redactor?: Redactor): number {
  const clean = (s: string) => (redactor ? redactor.redact(s) : s);
  if (err instanceof ConfigError) {
    streams.stderr.write(`${clean(err.message)}\n`);
    return EXIT.usage;
  }
  if (err instanceof UsageError || err instanceof ConnectToError || err instanceof FactsFileError) {
    streams.stderr.write(`error: ${clean(err.message)}\n`);
    return EXIT.usage;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const stack = streams.env.LAUNCH_READY_DEBUG ? `\n${e.stack ?? ''}` : '\n(set LAUNCH_READY_DEBUG=1 for a stack trace)';
  streams.stderr.write(`launch-ready failed: ${clean(e.message)}${clean(stack)}\n`);
  return EXIT.toolFailure;
}
