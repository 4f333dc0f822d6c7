// `launch-ready demo`: audits an embedded loopback sandbox of a fictional product, offline, and prints the report.
import { startDemo, type Demo } from '../run/demo.js';
import { auditWithProgress, exitCodeFor, writeReport } from './audit.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

export async function demoCommand(flags: { format: string; color?: boolean; quiet?: boolean }, streams: Streams): Promise<number> {
  let demo: Demo | undefined;
  try {
    demo = await startDemo(flags);
    if (!flags.quiet) {
      streams.stderr.write(`launch-ready demo: auditing "PawPost" (${demo.domain}), a fictional product launching on ${demo.launchDate}, served by DNS and HTTPS sandboxes on loopback (DNS ${demo.resolver}, certificates from a private demo CA). No traffic leaves this machine.\n`);
    }
    const report = await auditWithProgress({ loaded: demo.loaded, domains: [], flags: demo.flags, cwd: process.cwd(), findRepo: false }, streams);
    await writeReport(report, flags, streams, process.cwd());
    if (!flags.quiet) {
      streams.stderr.write(`\nThis was a demo: \`launch-ready audit <your-domain>\` would have exited ${exitCodeFor(report)} here (0 GO, 1 NO-GO, 3 INCOMPLETE).\n`);
    }
    return EXIT.go;
  } catch (err) {
    return reportError(err, streams);
  } finally {
    await demo?.close();
  }
}
