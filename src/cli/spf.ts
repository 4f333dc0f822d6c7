// `launch-ready spf`: RFC 7208 check_host() for one sender IP against one domain, over any resolver, with the trace.
import { renderSpfText } from '../report/spf.js';
import type { SpfFlags } from '../run/flags.js';
import { evaluateSpf } from '../run/spf.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

export type { SpfFlags };

export async function spfCommand(domain: string, flags: SpfFlags, streams: Streams): Promise<number> {
  try {
    const ev = await evaluateSpf(domain, flags, process.cwd());
    streams.stdout.write(flags.format === 'json' ? `${JSON.stringify(ev, null, 2)}\n` : renderSpfText(ev));
    return EXIT.go;
  } catch (err) {
    return reportError(err, streams);
  }
}
