// The watch history's line format: one JSON object per probe, written whole and read back strictly. A torn last
// line (a crash mid-write) is the only damage a reader forgives; anything else is reported with its line number.
import type { FailureClass, MonitorKind, MonitorResult } from './engine.js';

export interface HistoryRecord {
  /** ISO time the round started. */
  time: string;
  /** The probe id, e.g. `http:health`. */
  monitor: string;
  kind: MonitorKind;
  target: string;
  up: boolean;
  latencyMs?: number;
  /** Why it was down. */
  error?: FailureClass;
  status?: number;
  detail?: string;
}

const KINDS: ReadonlySet<string> = new Set<MonitorKind>(['http', 'dns', 'tls']);
const CLASSES: ReadonlySet<string> = new Set<FailureClass>(['dns', 'tls', 'connect', 'http', 'timeout', 'budget']);
/** A detail is for reading the history by eye; the budget never needs more. */
const DETAIL_CAP = 200;

export function toRecord(r: MonitorResult, at: number, redact: (s: string) => string): HistoryRecord {
  return {
    time: new Date(at).toISOString(),
    monitor: r.id,
    kind: r.kind,
    target: redact(r.target),
    up: r.ok,
    ...(r.latencyMs !== undefined ? { latencyMs: r.latencyMs } : {}),
    ...(!r.ok && r.cause ? { error: r.cause } : {}),
    ...(r.status !== undefined ? { status: r.status } : {}),
    detail: redact(r.detail).slice(0, DETAIL_CAP),
  };
}

export function serialize(records: readonly HistoryRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

export class HistoryFormatError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'HistoryFormatError';
  }
}

function check(v: unknown, line: number): HistoryRecord {
  const bad = (why: string): never => { throw new HistoryFormatError(line, why); };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad('not a JSON object');
  const o = v as Record<string, unknown>;
  if (typeof o.time !== 'string' || Number.isNaN(Date.parse(o.time))) bad('"time" is not an ISO date');
  if (typeof o.monitor !== 'string' || o.monitor === '') bad('"monitor" is missing');
  if (typeof o.kind !== 'string' || !KINDS.has(o.kind)) bad('"kind" is not http, dns or tls');
  if (typeof o.target !== 'string') bad('"target" is missing');
  if (typeof o.up !== 'boolean') bad('"up" is not true or false');
  if (o.latencyMs !== undefined && (typeof o.latencyMs !== 'number' || !(o.latencyMs >= 0))) bad('"latencyMs" is not a non-negative number');
  if (o.error !== undefined && (typeof o.error !== 'string' || !CLASSES.has(o.error))) bad(`"error" is not one of ${[...CLASSES].join(', ')}`);
  return o as unknown as HistoryRecord;
}

export interface ParsedHistory {
  records: HistoryRecord[];
  /** The last line was cut short by a crash and left out. */
  tornTail: boolean;
}

/** Parses a whole file; `firstLine` numbers lines for messages. Throws HistoryFormatError on damage before the end. */
export function parseHistory(text: string, firstLine = 1): ParsedHistory {
  const lines = text.split('\n');
  // Whole lines end with "\n": whatever follows the last one is a torn write, never a record.
  const tail = lines.pop() ?? '';
  const records: HistoryRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new HistoryFormatError(firstLine + i, 'not valid JSON');
    }
    records.push(check(v, firstLine + i));
  });
  return { records, tornTail: tail.trim() !== '' };
}
