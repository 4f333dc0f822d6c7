// `launch-ready spf`: RFC 7208 check_host() for one sender IP against one domain, over any resolver, with the trace.
import { renderSpfText } from '../report/spf.js';
import type { SpfFlags } from '../run/flags.js';
import { evaluateSpf } from '../run/spf.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

export type { SpfFlags };

export async function spfCommand(domain: string | undefined, flags: SpfFlags, streams: Streams): Promise<number> {
  try {
    const ev = await evaluateSpf(domain, flags, process.cwd());
    streams.stdout.write(flags.format === 'json' ? `${JSON.stringify(ev, null, 2)}\n` : renderSpfText(ev));
    return EXIT.go;
  } catch (err) {
    const code = reportError(err, streams);
    if (flags.format === 'json') writeJsonError(streams, err instanceof Error ? err.message : String(err), code);
    return code;
  }
}

/** With --format json, stdout is JSON whatever happens: a script reads the error there (stderr keeps the text). */
export function writeJsonError(streams: Streams, message: string, exitCode: number): void {
  streams.stdout.write(`${JSON.stringify({ error: message.replace(/^error: /, '').trim(), exitCode }, null, 2)}\n`);
}

/** Whether an spf command line asks for JSON, read from the raw arguments (for errors before they are parsed). */
export function spfWantsJson(argv: readonly string[]): boolean {
  if (argv[0] !== 'spf') return false;
  return argv.some((a, i) => a === '--format=json' || a === '-fjson' || ((a === '--format' || a === '-f') && argv[i + 1] === 'json'));
}
