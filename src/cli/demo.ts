// `launch-ready demo`: audits an embedded loopback sandbox of a fictional product, offline, and prints the report.
import { validateConfig } from '../config/load.js';
import { Redactor } from '../redact.js';
import { startDemoSandbox } from '../sandbox/demo.js';
import { auditWith, exitCodeFor, writeReport } from './audit.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

export async function demoCommand(flags: { format: string; color?: boolean; quiet?: boolean }, streams: Streams): Promise<number> {
  let sandbox: Awaited<ReturnType<typeof startDemoSandbox>> | undefined;
  try {
    sandbox = await startDemoSandbox();
    if (!flags.quiet) {
      streams.stderr.write(`launch-ready demo: auditing "PawPost" (${sandbox.domain}), a fictional product launching on ${sandbox.launchDate}, served by DNS and HTTPS sandboxes on loopback (DNS ${sandbox.resolver}, certificates from a private demo CA). No traffic leaves this machine.\n`);
    }
    const config = validateConfig({
      project: 'PawPost (demo)',
      launchDate: sandbox.launchDate,
      domains: [{ name: sandbox.domain, hosts: ['www', 'api', 'admin', 'app'], expect: { api: { A: ['127.0.0.2'] } } }],
    });
    const report = await auditWith(
      { config, redactor: new Redactor() },
      [],
      {
        format: flags.format, only: [], skip: [], connectTo: sandbox.connectTo, resolver: sandbox.resolver, ca: sandbox.ca,
        timeout: 2000, concurrency: 64, deadline: 30_000, ...(flags.color === false ? { color: false } : {}), ...(flags.quiet ? { quiet: true } : {}),
      },
      streams,
    );
    await writeReport(report, flags, streams, process.cwd());
    if (!flags.quiet) {
      streams.stderr.write(`\nThis was a demo: \`launch-ready audit <your-domain>\` would have exited ${exitCodeFor(report)} here (0 GO, 1 NO-GO, 3 INCOMPLETE).\n`);
    }
    return EXIT.go;
  } catch (err) {
    return reportError(err, streams);
  } finally {
    await sandbox?.close();
  }
}
