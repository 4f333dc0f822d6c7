// Turns an error into the right exit code and a message: known, user-fixable errors print without a stack trace.
import { EXIT, KnownError } from '../errors.js';
import type { Redactor } from '../redact.js';
import type { Streams } from './output.js';

export function reportError(err: unknown, streams: Streams, redactor?: Redactor): number {
  const clean = (s: string) => (redactor ? redactor.redact(s) : s);
  if (err instanceof KnownError) {
    streams.stderr.write(`${err.prefix}${clean(err.message)}\n`);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const stack = streams.env.LAUNCH_READY_DEBUG ? `\n${e.stack ?? ''}` : '\n(set LAUNCH_READY_DEBUG=1 for a stack trace)';
  streams.stderr.write(`launch-ready failed: ${clean(e.message)}${clean(stack)}\n`);
  return EXIT.toolFailure;
}
