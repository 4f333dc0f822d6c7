// Retried writes: which endpoints a phone retries after a timeout, what in an answer shows Idempotency-Key support,
// the resource id an answer names, and the judgement of the replay probe's two answers (deduplicated, duplicated,
// or not decidable). Pure: the latency collector reads answers with it, the check judges with it.
import type { KeySignal, ReplayAnswer, ReplayProbe, RetryPreflight } from '../facts/idempotency.js';
import { isObject } from './json.js';

export const KEY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';

const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);

/** A write a mobile client retries after a timeout: POST, PUT or PATCH of kind write. */
export function isRetriedWrite(e: { kind: string; method: string }): boolean {
  return e.kind === 'write' && WRITE_METHODS.has(e.method.toUpperCase());
}

/** PUT replaces a resource with the same state every time (RFC 9110 §9.2.2): idempotent by definition. */
export function idempotentByMethod(method: string): boolean {
  return method.toUpperCase() === 'PUT';
}

/** A comma-separated header list names `name` (any letter case). */
export function listsHeader(value: string | undefined, name: string): boolean {
  return (value ?? '').split(',').some((v) => v.trim().toLowerCase() === name);
}

/** The text names the idempotency key ("Idempotency-Key is missing", "idempotency_key", "Idempotency Key"). */
export function namesIdempotencyKey(text: string | undefined): boolean {
  return /idempot(?:ency|ent)[\s_-]*key/i.test(text ?? '');
}

function cut(v: string, n = 200): string {
  return v.length > n ? `${v.slice(0, n)}…` : v;
}

/** What an answer to a request without a key shows about Idempotency-Key support (headers lower-cased). */
export function answerSignals(a: { status: number; headers: Record<string, string>; body?: string }): KeySignal[] {
  const out: KeySignal[] = [];
  if (a.headers[KEY_HEADER] !== undefined) out.push({ kind: 'echoes-key', detail: 'Idempotency-Key header' });
  const replayed = a.headers[REPLAYED_HEADER];
  if (replayed !== undefined) out.push({ kind: 'replayed-header', detail: cut(`Idempotent-Replayed: ${replayed}`, 80) });
  const exposed = a.headers['access-control-expose-headers'];
  if (listsHeader(exposed, KEY_HEADER) || listsHeader(exposed, REPLAYED_HEADER)) out.push({ kind: 'exposes-header', detail: cut(`Access-Control-Expose-Headers: ${exposed!}`) });
  if (a.status >= 400 && a.status < 500 && namesIdempotencyKey(a.body)) out.push({ kind: 'key-required', detail: `${a.status} without a key` });
  return out;
}

/** A preflight that lists Idempotency-Key (and not the made-up header asked beside it, nor `*`) documents it. */
export function preflightSignals(p: RetryPreflight | undefined): KeySignal[] {
  if (!p || p.reflects || !listsHeader(p.allowHeaders, KEY_HEADER)) return [];
  return [{ kind: 'preflight-allows', detail: cut(`Access-Control-Allow-Headers: ${p.allowHeaders!}`) }];
}

const ID_FIELDS = ['id', '_id', 'uuid', 'ID', 'Id'];

function idOf(o: unknown): { field: string; value: string } | undefined {
  if (!isObject(o)) return undefined;
  for (const f of ID_FIELDS) {
    const v = o[f];
    if ((typeof v === 'string' && v !== '') || typeof v === 'number') return { field: f, value: String(v) };
  }
  return undefined;
}

/**
 * The id of the resource a JSON answer describes: a top-level id/_id/uuid, else the id of `data` (JSON:API and many
 * envelopes), else of the only object-valued field (`{"order": {"id": ...}}`). Undefined when none is clear.
 */
export function resourceId(text: string | undefined): { field: string; value: string } | undefined {
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const top = idOf(parsed);
  if (top) return top;
  if (!isObject(parsed)) return undefined;
  const data = idOf(parsed.data);
  if (data) return { field: `data.${data.field}`, value: data.value };
  const objects = Object.entries(parsed).filter(([, v]) => isObject(v));
  if (objects.length !== 1) return undefined;
  const [name, value] = objects[0]!;
  const inner = idOf(value);
  return inner ? { field: `${name}.${inner.field}`, value: inner.value } : undefined;
}

export type ReplayOutcome = 'deduplicated' | 'duplicated' | 'inconclusive';

export interface ReplayJudgement {
  outcome: ReplayOutcome;
  /** What the judgement rests on, in words for the finding. */
  evidence: string;
}

const ok = (s: number) => s >= 200 && s < 300;

/**
 * The probe's two answers judged. Deduplicated: the retry named the same resource (id, Location), replayed the first
 * answer (same status and body, or Idempotent-Replayed: true), or was refused as a conflict naming the key.
 * Duplicated: it named another resource, or 201 Created came twice with different bodies. Anything else (a first
 * answer that created nothing, a retry refused for another reason, bodies that differ without naming a resource)
 * is inconclusive: the check then says it could not tell.
 */
export function judgeReplay(probe: ReplayProbe): ReplayJudgement {
  const [a, b] = probe.answers as [ReplayAnswer | undefined, ReplayAnswer | undefined];
  if (!a || !b) return { outcome: 'inconclusive', evidence: probe.error ? `the probe failed after ${probe.sent} request(s): ${probe.error}` : `only ${probe.answers.length} answer(s) came` };
  if (!ok(a.status)) return { outcome: 'inconclusive', evidence: `the first request was answered ${a.status}, so nothing was created to compare (check the endpoint's configured body, headers and auth)` };
  if (ok(b.status)) {
    if (a.idHash !== undefined && b.idHash !== undefined && a.idField === b.idField) {
      return a.idHash === b.idHash
        ? { outcome: 'deduplicated', evidence: `both answers named the same resource (${a.idField})` }
        : { outcome: 'duplicated', evidence: `the second answer named another resource (a different ${a.idField})` };
    }
    if (a.locationHash !== undefined && b.locationHash !== undefined) {
      return a.locationHash === b.locationHash
        ? { outcome: 'deduplicated', evidence: `both answers pointed to the same Location ${a.location ?? ''}`.trimEnd() }
        : { outcome: 'duplicated', evidence: `the answers pointed to two Locations: ${a.location ?? '?'} then ${b.location ?? '?'}` };
    }
  }
  if (b.replayed !== undefined && /^\s*(?:true|1|yes)\s*$/i.test(b.replayed)) return { outcome: 'deduplicated', evidence: `the retry was answered Idempotent-Replayed: ${b.replayed.trim()}` };
  if ((b.status === 409 || b.status === 422) && b.namesKey) return { outcome: 'deduplicated', evidence: `the retry was refused with ${b.status}, naming the key` };
  if (!ok(b.status)) return { outcome: 'inconclusive', evidence: `the first request was answered ${a.status} and the retry ${b.status}${b.status === 409 ? ' without naming the key' : ''}` };
  if (a.status === b.status && a.bodyHash === b.bodyHash) return { outcome: 'deduplicated', evidence: `the retry replayed the first answer (${a.status}, the same ${a.bodyBytes}-byte body)` };
  if (a.status === 201 && b.status === 201) return { outcome: 'duplicated', evidence: '201 Created came twice, with different bodies' };
  return { outcome: 'inconclusive', evidence: `the answers (${a.status}, ${b.status}) differ but name no resource id or Location` };
}
