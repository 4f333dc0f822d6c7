// Streams `git log -p -U0 --all` and scans the added lines of every commit of every branch and tag as they arrive:
// memory holds one file's added lines at a time (capped), never the history. Binary blobs are listed and read
// afterwards through one `git cat-file --batch`, each unique blob once.
import { createHash } from 'node:crypto';
import type { Hit, SecretScanner } from '../../secrets/engine.js';
import { looksBinary, printableStrings } from '../../secrets/engine.js';
import { gitExit, gitOutput, spawnGit } from './spawn.js';

export interface HistoryHit {
  commit: string;
  date: string;
  path: string;
  /** Line in the file as of that commit; absent inside a binary blob. */
  line?: number;
  hit: Hit;
}

export interface HistoryStats {
  commits: number;
  bytes: number;
  /** File diffs whose added text was seen before (cherry-picks, rebased copies): matched from cache, not rescanned. */
  reusedDiffs: number;
  binaryBlobs: number;
  skippedBlobs: number;
}

export interface HistoryCallbacks {
  onHit(h: HistoryHit): void;
  /** Every path a commit added or changed (for committed .env files), with the commit that did. */
  onPath?(path: string, commit: string, date: string, added: boolean): void;
}

const SENTINEL = '\x01';
// Flush a file's added lines into the scanner at this size: bounds memory on a huge generated file.
const FLUSH_BYTES = 1024 * 1024;
const NULL_OID = /^0+$/;
const MAX_SEEN = 500_000;
const MAX_LINE_BYTES = 1024 * 1024;

/** Undoes git's C-style quoting of unusual paths ("a\tb" → a<TAB>b, octal escapes as UTF-8 bytes). */
export function unquotePath(p: string): string {
  if (!p.startsWith('"')) return p;
  const bytes: number[] = [];
  const body = p.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') { bytes.push(...Buffer.from(ch, 'utf8')); continue; }
    const n = body[++i]!;
    if (/[0-7]/.test(n)) { bytes.push(parseInt(body.slice(i, i + 3), 8)); i += 2; continue; }
    const map: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
    bytes.push(map[n] ?? n.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

function stripPrefix(p: string): string {
  const u = unquotePath(p);
  return u.startsWith('b/') || u.startsWith('a/') ? u.slice(2) : u;
}

// Every output-shaping option is explicit, so a user's git config (diff.noprefix, log.showRoot=false,
// log.showSignature, notes) cannot change what the parser sees or hide the root commit.
export const LOG_ARGS = [
  'log', '-p', '-U0', '--all', '--root', '--no-color', '--no-ext-diff', '--no-textconv', '--full-index',
  '--src-prefix=a/', '--dst-prefix=b/', '--no-show-signature', '--no-notes', `--format=${SENTINEL}%H %aI`,
];

export async function scanHistory(repo: string, scanner: SecretScanner, cb: HistoryCallbacks, opts: { signal?: AbortSignal; maxBlobBytes: number }): Promise<HistoryStats> {
  const stats: HistoryStats = { commits: 0, bytes: 0, reusedDiffs: 0, binaryBlobs: 0, skippedBlobs: 0 };
  // Each distinct added text of a file is scanned once: its hits are replayed for the other commits that add it.
  const seen = new Map<string, Hit[]>();
  const child = spawnGit(repo, LOG_ARGS, opts.signal);
  child.stdin.end();
  const exited = gitExit(child, LOG_ARGS);

  let commit = '';
  let date = '';
  let path: string | null = null;
  let inHeader = false;
  let newFile = false;
  let newOid = '';
  let lineNo = 0;
  // A file's added lines are copied as bytes into one buffer and decoded once per flush: no string per line.
  let acc = Buffer.allocUnsafe(FLUSH_BYTES + MAX_LINE_BYTES + 2);
  let accLen = 0;
  let lineNos: number[] = [];
  const addLine = (src: Buffer, start: number, end: number) => {
    const n = end - start;
    if (accLen + n + 1 > acc.length) {
      const bigger = Buffer.allocUnsafe(Math.max(acc.length * 2, accLen + n + 1));
      acc.copy(bigger, 0, 0, accLen);
      acc = bigger;
    }
    src.copy(acc, accLen, start, end);
    accLen += n;
    acc[accLen++] = 10;
    lineNos.push(lineNo++);
    if (accLen > FLUSH_BYTES) flush();
  };
  const binaries = new Map<string, { commit: string; date: string; path: string }>();

  const flush = () => {
    if (lineNos.length === 0 || path === null) { accLen = 0; lineNos = []; return; }
    const bytes = acc.subarray(0, accLen - 1);
    const key = createHash('sha1').update(path).update('\0').update(bytes).digest('base64');
    let hits = seen.get(key);
    if (hits) stats.reusedDiffs++;
    else {
      hits = scanner.scan(bytes.toString('utf8'), path);
      // Bounded: past the cap a repeat is simply scanned again.
      if (seen.size < MAX_SEEN) seen.set(key, hits);
    }
    for (const hit of hits) cb.onHit({ commit, date, path, line: lineNos[hit.line - 1]!, hit });
    accLen = 0;
    lineNos = [];
  };

  const startFile = () => {
    flush();
    path = null;
    inHeader = true;
    newFile = false;
    newOid = '';
  };

  const onLine = (line: string) => {
    const c = line.charCodeAt(0);
    if (!inHeader) {
      if (c === 43 /* + */) {
        const b = Buffer.from(line.slice(1), 'utf8');
        addLine(b, 0, b.length);
        return;
      }
      if (c === 45 /* - */ || c === 92 /* \ */) return;
    }
    if (c === 64 /* @ */ && line.startsWith('@@')) {
      inHeader = false;
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(line);
      lineNo = m ? Number(m[1]) : 0;
      return;
    }
    if (c === 1) {
      startFile();
      inHeader = false;
      path = null;
      const sp = line.indexOf(' ');
      commit = line.slice(1, sp);
      date = line.slice(sp + 1);
      stats.commits++;
      return;
    }
    if (line.startsWith('diff --git ')) { startFile(); return; }
    if (!inHeader) return;
    if (line.startsWith('+++ ')) {
      const p = line.slice(4);
      path = p === '/dev/null' ? null : stripPrefix(p);
      if (path !== null) cb.onPath?.(path, commit, date, newFile);
    } else if (line.startsWith('new file mode')) {
      newFile = true;
    } else if (line.startsWith('index ')) {
      const m = /\.\.([0-9a-f]+)/.exec(line);
      newOid = m ? m[1]! : '';
    } else if (line.startsWith('Binary files ')) {
      const m = / and (.+) differ$/.exec(line);
      const p = m ? m[1]! : '/dev/null';
      if (p !== '/dev/null' && newOid && !NULL_OID.test(newOid)) {
        const bpath = stripPrefix(p);
        cb.onPath?.(bpath, commit, date, newFile);
        // Each unique blob once: the oldest commit that added it is kept (git log lists newest first).
        binaries.set(newOid, { commit, date, path: bpath });
      }
    }
  };

  // Lines are cut at the byte level: a removed line (half of a diff) never becomes a string, and '\n' never
  // falls inside a multi-byte UTF-8 sequence, so decoding line by line is exact.
  let pending: Buffer | undefined;
  // Set while the rest of an over-long line is being dropped: its head is kept in `pending`.
  let dropping = false;
  for await (const input of child.stdout as AsyncIterable<Buffer>) {
    stats.bytes += input.length;
    let chunk = input;
    if (dropping) {
      const end = chunk.indexOf(10);
      if (end === -1) continue;
      chunk = chunk.subarray(end);
      dropping = false;
    }
    const data: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
    pending = undefined;
    let pos = 0;
    for (;;) {
      const nl = data.indexOf(10, pos);
      if (nl === -1) {
        if (pos < data.length) pending = Buffer.from(data.subarray(pos));
        if (pending && pending.length > MAX_LINE_BYTES + 1) {
          pending = pending.subarray(0, MAX_LINE_BYTES + 1);
          dropping = true;
        }
        break;
      }
      const b = data[pos];
      if (!inHeader && b === 43 /* + */) {
        // One giant line (a minified bundle) is cut: memory stays bounded whatever the repository holds.
        addLine(data, pos + 1, Math.min(nl, pos + 1 + MAX_LINE_BYTES));
      } else if (!(inHeader === false && (b === 45 /* - */ || b === 92 /* \ */))) {
        onLine(data.toString('utf8', pos, nl));
      }
      pos = nl + 1;
    }
  }
  if (pending) onLine(pending.toString('utf8'));
  flush();
  await exited;

  await scanBlobs(repo, scanner, binaries, cb, stats, opts);
  return stats;
}

/** Reads the listed binary blobs through one cat-file process and scans their printable strings. */
async function scanBlobs(
  repo: string, scanner: SecretScanner, blobs: Map<string, { commit: string; date: string; path: string }>,
  cb: HistoryCallbacks, stats: HistoryStats, opts: { signal?: AbortSignal; maxBlobBytes: number },
): Promise<void> {
  if (blobs.size === 0) return;
  const signal = opts.signal ? { signal: opts.signal } : {};
  const sizes = (await gitOutput(repo, ['cat-file', '--batch-check'], { ...signal, input: [...blobs.keys()].join('\n') + '\n' })).toString().split('\n');
  const wanted: string[] = [];
  for (const line of sizes) {
    const [oid, type, size] = line.split(' ');
    if (!oid || type !== 'blob') continue;
    if (Number(size) > opts.maxBlobBytes) stats.skippedBlobs++;
    else wanted.push(oid);
  }
  if (wanted.length === 0) return;
  const args = ['cat-file', '--batch'];
  const child = spawnGit(repo, args, opts.signal);
  const exited = gitExit(child, args);
  child.stdin.end(wanted.join('\n') + '\n');
  let buf: Buffer = Buffer.alloc(0);
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      const nl = buf.indexOf(10);
      if (nl === -1) break;
      const [oid, , sizeText] = buf.toString('latin1', 0, nl).split(' ');
      const size = Number(sizeText);
      if (buf.length < nl + 1 + size + 1) break;
      const data = buf.subarray(nl + 1, nl + 1 + size);
      buf = buf.subarray(nl + 1 + size + 1);
      const where = blobs.get(oid!);
      if (!where) continue;
      stats.binaryBlobs++;
      const text = looksBinary(data) ? printableStrings(data) : data.toString('utf8');
      for (const hit of scanner.scan(text, where.path)) cb.onHit({ ...where, hit });
    }
  }
  await exited;
}
