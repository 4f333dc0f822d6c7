// The watch history on disk: appended a round at a time in whole lines (one write each), rotated by size into
// <file>.1 … <file>.N, and read back oldest first. A line torn by a crash is cut off before the next append, so it
// never glues onto a good line; readers skip it meanwhile.
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { serialize, type HistoryRecord } from '../watch/history.js';

/** Past this size the file rotates: 16 MiB is about 80,000 probes (a month of 2 monitors every minute). */
export const HISTORY_ROTATE_BYTES = 16 * 1024 * 1024;
/** Rotated files kept: the history never takes more than (KEEP + 1) × ROTATE bytes. */
export const HISTORY_KEEP = 8;

export interface HistoryWriterOptions {
  rotateBytes?: number;
  keep?: number;
}

export class HistoryWriter {
  private size: number | undefined;
  private readonly rotateBytes: number;
  private readonly keep: number;

  constructor(readonly file: string, opts: HistoryWriterOptions = {}) {
    this.rotateBytes = opts.rotateBytes ?? HISTORY_ROTATE_BYTES;
    this.keep = opts.keep ?? HISTORY_KEEP;
  }

  /** Appends the records as whole lines in one write; rotates first when they would push the file past the cap. */
  async append(records: readonly HistoryRecord[]): Promise<void> {
    if (records.length === 0) return;
    const text = serialize(records);
    const bytes = Buffer.byteLength(text);
    this.size ??= await this.open();
    if (this.size > 0 && this.size + bytes > this.rotateBytes) await this.rotate();
    const fh = await open(this.file, 'a');
    try {
      await fh.write(text);
    } finally {
      await fh.close();
    }
    this.size += bytes;
  }

  /** Creates the folder, and cuts a torn last line left by a crash so the next line starts clean. */
  private async open(): Promise<number> {
    await mkdir(dirname(this.file), { recursive: true });
    let size: number;
    try {
      size = (await stat(this.file)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
    if (size === 0) return 0;
    const fh = await open(this.file, 'r+');
    try {
      // Lines are short: the last newline is within the last 64 KiB unless the tail is garbage, which goes too.
      const span = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(span);
      await fh.read(buf, 0, span, size - span);
      if (buf[span - 1] === 0x0a) return size;
      const nl = buf.lastIndexOf(0x0a);
      const keep = nl < 0 ? size - span : size - span + nl + 1;
      await fh.truncate(keep);
      return keep;
    } finally {
      await fh.close();
    }
  }

  private async rotate(): Promise<void> {
    await rm(`${this.file}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      await rename(`${this.file}.${i}`, `${this.file}.${i + 1}`).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'ENOENT') throw err; });
    }
    await rename(this.file, `${this.file}.1`);
    this.size = 0;
  }
}

export interface HistoryFile {
  file: string;
  text: string;
}

/** The history and its rotated files, oldest first; only files that exist. */
export async function readHistoryFiles(file: string, keep = HISTORY_KEEP): Promise<HistoryFile[]> {
  const out: HistoryFile[] = [];
  for (let i = keep; i >= 0; i--) {
    const f = i === 0 ? file : `${file}.${i}`;
    try {
      out.push({ file: f, text: await readFile(f, 'utf8') });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return out;
}
