// Records a run's facts to disk (--save-facts) and reads them back (--from-facts), for offline re-runs and golden tests.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FactKey } from '../facts/index.js';
import { KnownError } from '../errors.js';
import type { Redactor } from '../redact.js';

export const FACTS_FILE = 'facts.json';

export interface FactsRecord {
  formatVersion: 1;
  tool: { name: string; version: string };
  savedAt: string;
  facts: Partial<Record<FactKey, unknown>>;
}

export async function saveFacts(dir: string, facts: Partial<Record<FactKey, unknown>>, tool: FactsRecord['tool'], redactor?: Redactor): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, FACTS_FILE);
  const record: FactsRecord = { formatVersion: 1, tool, savedAt: new Date().toISOString(), facts };
  const text = `${JSON.stringify(record, null, 2)}\n`;
  // Facts can hold header values or config strings: the run's secrets are scrubbed before anything is written.
  await writeFile(file, redactor ? redactor.redact(text) : text);
  return file;
}

/** A facts file that cannot be replayed: a usage error (exit 2). */
export class FactsFileError extends KnownError {
  override name = 'FactsFileError';
}

export async function loadFacts(dir: string): Promise<FactsRecord> {
  const file = resolve(dir, FACTS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new FactsFileError(`cannot read recorded facts at ${file}: ${(err as Error).message}. Record them with --save-facts ${dir}`);
  }
  let record: FactsRecord;
  try {
    record = JSON.parse(text) as FactsRecord;
  } catch (err) {
    throw new FactsFileError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (record.formatVersion !== 1 || typeof record.facts !== 'object' || !record.facts || !('target' in record.facts)) {
    throw new FactsFileError(`${file} is not a launch-ready facts record (formatVersion 1 with a target)`);
  }
  return record;
}
