// Records a run's facts to disk (--save-facts) and reads them back (--from-facts), for offline re-runs and golden tests.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FactKey } from '../facts/index.js';
import { z } from 'zod';
import { KnownError } from '../errors.js';
import { collectors } from './index.js';
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
// What a replay relies on before any check reads it: the target's shape (checks read domains, hosts, the clock and
// the accepted risks from it) and one value per known fact (an object, an array, or a recorded error).
const HostSchema = z.looseObject({ name: z.string(), domain: z.string(), label: z.string(), declared: z.boolean() });
const TargetSchema = z.looseObject({
  domains: z.array(z.looseObject({ name: z.string(), canonical: z.enum(['apex', 'www']), hosts: z.array(HostSchema) })),
  now: z.iso.datetime({ offset: true }),
  accept: z.array(z.looseObject({ id: z.string(), reason: z.string() })),
});
const RecordSchema = z.looseObject({
  formatVersion: z.literal(1),
  tool: z.looseObject({ name: z.string(), version: z.string() }),
  facts: z.looseObject({ target: TargetSchema }).catchall(z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())])),
});

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
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new FactsFileError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const result = RecordSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.map(String).join('.');
    throw new FactsFileError(`${file} is not a launch-ready facts record (formatVersion 1 with a target): ${path ? `${path}: ` : ''}${issue.message}. Record it again with --save-facts`);
  }
  const unknown = Object.keys(result.data.facts).filter((k) => k !== 'target' && !(k in collectors));
  if (unknown.length) throw new FactsFileError(`${file}: unknown fact ${unknown.join(', ')}; this version knows ${Object.keys(collectors).join(', ')}`);
  return parsed as FactsRecord;
}
