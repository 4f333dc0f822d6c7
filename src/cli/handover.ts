// `launch-ready handover`: runs a full audit, builds the deployment map from the same facts, and writes the
// handover document (Markdown) a new contractor can operate the product from.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { renderHandover } from '../report/handover.js';
import type { AuditFlags } from '../run/flags.js';
import { handoverInput } from '../run/handover.js';
import { auditWithProgress } from './audit.js';
import { ensureWritable } from './files.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

export async function handoverCommand(domains: string[], flags: AuditFlags, streams: Streams, cwd: string): Promise<number> {
  let loaded: LoadedConfig | undefined;
  try {
    const out = Array.isArray(flags.output) ? flags.output[0] : flags.output;
    if (out) await ensureWritable(resolve(cwd, out), `--output ${out}`);
    loaded = await loadConfig({ ...(flags.config ? { file: flags.config } : {}), cwd, env: streams.env });
    const input = await handoverInput({ loaded, domains, flags, cwd, findRepo: true }, (req) => auditWithProgress(req, streams));
    const safe = loaded.redactor.redact(renderHandover(input));
    if (out) {
      await writeFile(resolve(cwd, out), safe);
      if (!flags.quiet) streams.stderr.write(`handover written to ${out}\n`);
    } else streams.stdout.write(safe);
    return EXIT.go;
  } catch (err) {
    return reportError(err, streams, loaded?.redactor);
  }
}
