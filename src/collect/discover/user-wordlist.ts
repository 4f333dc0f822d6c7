// Reads a user's wordlist file (discover.wordlist, --wordlist): one label per line, '#' comments, blanks ignored.
import { readFile } from 'node:fs/promises';
import { UsageError } from '../../errors.js';

/** Labels are DNS labels (dots allowed for deeper names); anything else is a usage error naming the line. */
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;
/** A list past this is cut: the query budget would stop it anyway. */
export const MAX_USER_LABELS = 100_000;

export function parseWordlist(text: string, source: string): string[] {
  const out = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim().toLowerCase();
    if (!line) return;
    if (!LABEL.test(line)) throw new UsageError(`${source} line ${i + 1}: "${line.slice(0, 80)}" is not a host label`);
    if (out.size < MAX_USER_LABELS) out.add(line);
  });
  return [...out];
}

export async function readWordlist(file: string, flag: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${flag} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseWordlist(text, `${flag} ${file}`);
}
