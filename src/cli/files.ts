// Output files of the commands: folders made safely, and every file proven writable before any long work starts.
import { existsSync } from 'node:fs';
import { mkdir, open, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';

/** Creates missing folders one level at a time (a recursive mkdir can spin forever under /proc). */
export async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  let d = dir;
  while (!existsSync(d)) {
    missing.unshift(d);
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
  }
  for (const m of missing) await mkdir(m).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'EEXIST') throw err; });
}

/**
 * Proves a file can be written before the audit runs, so a long audit never ends in a lost report: the folders
 * are made and the file is opened for appending (and removed again if it did not exist).
 */
export async function ensureWritable(file: string, what: string): Promise<void> {
  const existed = existsSync(file);
  try {
    await makeFolders(dirname(file));
    const handle = await open(file, 'a');
    await handle.close();
    if (!existed) await unlink(file).catch(() => {});
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`${what}: cannot write ${file} (${e.code ?? e.message}); nothing was audited`);
  }
}
