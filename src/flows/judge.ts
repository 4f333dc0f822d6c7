// Judges one flow step's response against its expectations, and masks what it quotes. Pure (no I/O).
import type { StepFailure } from '../facts/flows.js';
import { maskSecret } from '../redact.js';
import { SecretScanner } from '../secrets/engine.js';
import { describeStatus, jsonPointer, statusMatches, type PlannedStep } from './plan.js';

export interface StepResponse {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
}

let scanner: SecretScanner | undefined;
function secretScanner(): SecretScanner {
  return (scanner ??= new SecretScanner());
}

// Long runs of token alphabet: a response excerpt never shows one whole (session ids, JWTs, opaque tokens).
const TOKEN_LIKE = /[A-Za-z0-9_\-+/=.]{24,}/g;

/** A short, single-line excerpt of a response body with known values, secrets and token-like runs masked. */
export function maskedExcerpt(text: string, known: Iterable<string> = [], max = 160): string {
  let out = text;
  for (const v of [...known].filter((k) => k.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(v).join(maskSecret(v));
  for (const hit of secretScanner().scan(out, 'response').sort((a, b) => b.index - a.index)) {
    out = `${out.slice(0, hit.index)}${hit.masked}${out.slice(hit.index + hit.length)}`;
  }
  out = out.replace(TOKEN_LIKE, (m) => (m.includes('…[redacted') ? m : maskSecret(m)));
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

export function shortResponse(r: StepResponse, known: Iterable<string>): string {
  const body = maskedExcerpt(r.body, known, 120);
  return `status ${r.status}${body ? ` ${body}` : ''}`;
}

/** Variables taken from a response: JSON pointer into the body, or header:<name>. Missing ones are absent. */
export function extractVars(step: PlannedStep, r: StepResponse): { vars: Map<string, string>; missing: string[] } {
  const vars = new Map<string, string>();
  const missing: string[] = [];
  for (const [name, source] of Object.entries(step.extract)) {
    let v: unknown;
    if (source.startsWith('header:')) v = r.headers[source.slice(7).toLowerCase()];
    else v = r.json === undefined ? undefined : jsonPointer(r.json, source);
    if (typeof v === 'number') v = String(v);
    if (typeof v === 'string' && v !== '') vars.set(name, v);
    else missing.push(`${name} (${source})`);
  }
  return { vars, missing };
}

// Response fields that carry a reset link or token: their presence in the reset answer is the leak.
const TOKEN_KEY = /token|otp|code|secret|reset[_-]?(?:link|url)|magic[_-]?link|password|signature/i;
const TOKEN_URL = /[?&#](?:token|code|reset|key|otp|signature)=[^&\s"']{6,}/i;

/** Where a response leaks a reset token or any credential; descriptions are masked. */
export function tokenLeaks(r: StepResponse): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (typeof v === 'string') {
      const key = path.slice(path.lastIndexOf('/') + 1);
      if (v.length >= 6 && TOKEN_KEY.test(key) && !/^(?:true|false|null|ok|sent|success)$/i.test(v)) out.push(`${path} = ${maskSecret(v)}`);
      else if (TOKEN_URL.test(v)) out.push(`${path} holds a link with a token (${maskSecret(v)})`);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}/${i}`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}/${k}`);
  };
  if (r.json !== undefined) walk(r.json, '');
  else if (TOKEN_URL.test(r.body)) out.push(`the body holds a link with a token`);
  const location = r.headers.location;
  if (location && TOKEN_URL.test(location)) out.push(`the Location header holds a link with a token`);
  for (const hit of secretScanner().scan(r.body, 'response')) {
    if (!out.some((o) => o.includes(hit.masked))) out.push(`${hit.rule.id} ${hit.masked}`);
  }
  return out;
}

/** The body with the given values replaced and whitespace collapsed: two answers that differ only there are the same. */
function normalized(body: string, values: readonly string[]): string {
  let out = body;
  for (const v of values) out = out.split(v).join('{value}').split(encodeURIComponent(v)).join('{value}');
  return out.replace(/\s+/g, ' ').trim();
}

// What error pages and OAuth error redirects say.
const CALLBACK_ERROR = /redirect_uri_mismatch|invalid[_ ]redirect|invalid_request|invalid_client|unauthorized_client|access_denied|callback url mismatch|not a registered redirect|something went wrong|\berror\b/i;

export interface JudgeInput {
  step: PlannedStep;
  response: StepResponse;
  durationMs: number;
  vars: ReadonlyMap<string, string>;
  /** Earlier responses of this flow by step name, with the values normalize() replaced there. */
  earlier: ReadonlyMap<string, { response: StepResponse; normalize: readonly string[] }>;
}

export function judgeStep({ step, response: r, durationMs, vars, earlier }: JudgeInput): StepFailure[] {
  const known = [...vars.values()];
  const failures: StepFailure[] = [];
  const e = step.expect;
  const statusOk = statusMatches(r.status, e.status);
  if (!statusOk) {
    failures.push({ kind: step.statusFailure ?? 'unexpected-status', expected: describeStatus(e.status), actual: shortResponse(r, known) });
  }
  if (statusOk && e.callback) {
    const location = r.headers.location ?? '';
    let errorParam: string | undefined;
    try { errorParam = location ? new URL(location, 'http://x.invalid').searchParams.get('error') ?? undefined : undefined; } catch { /* not a URL */ }
    if (errorParam) failures.push({ kind: 'callback-error', expected: 'no error', actual: `status ${r.status}, redirected with error=${errorParam}` });
    else if (r.status < 300 && CALLBACK_ERROR.test(r.body)) failures.push({ kind: 'callback-error', expected: 'no error', actual: shortResponse(r, known) });
  }
  if (statusOk) {
    for (const [pointer, want] of Object.entries(e.json ?? {})) {
      const got = r.json === undefined ? undefined : jsonPointer(r.json, pointer);
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        failures.push({ kind: 'unexpected-body', expected: `${pointer || '(body)'} = ${maskedExcerpt(JSON.stringify(want), known, 60)}`, actual: got === undefined ? `${pointer || '(body)'} missing` : `${pointer || '(body)'} = ${maskedExcerpt(JSON.stringify(got), known, 60)}` });
      }
    }
    for (const c of e.contains ?? []) if (!r.body.includes(c)) failures.push({ kind: 'unexpected-body', expected: `body containing "${maskedExcerpt(c, known, 60)}"`, actual: shortResponse(r, known) });
    for (const c of e.notContains ?? []) if (r.body.includes(c)) failures.push({ kind: 'unexpected-body', expected: `body without "${maskedExcerpt(c, known, 60)}"`, actual: 'it is there' });
  }
  if (e.noToken) {
    const leaks = tokenLeaks(r);
    if (leaks.length) failures.push({ kind: 'reset-token-leaked', expected: 'no token or credential in the response', actual: leaks.slice(0, 3).join('; ') });
  }
  if (e.sameAs) {
    const other = earlier.get(e.sameAs);
    if (other) {
      const a = normalized(other.response.body, other.normalize);
      const b = normalized(r.body, step.normalize ?? []);
      if (other.response.status !== r.status || a !== b) {
        // This comparison says more than the bare status mismatch of the same code.
        const dup = failures.findIndex((f) => f.kind === 'account-enumeration');
        if (dup !== -1) failures.splice(dup, 1);
        failures.push({
          kind: 'account-enumeration',
          expected: `the same answer as "${e.sameAs}" (${shortResponse(other.response, known)})`,
          actual: shortResponse(r, known),
        });
      }
    }
  }
  if (e.differs && statusOk) {
    const [a, b] = e.differs;
    const va = vars.get(a);
    if (va !== undefined && va === vars.get(b)) {
      failures.push({ kind: 'refresh-token-not-rotated', expected: 'a new refresh token', actual: `the same refresh token came back (${maskSecret(va)})` });
    }
  }
  if (step.budgetMs !== undefined && durationMs > step.budgetMs) {
    failures.push({ kind: 'over-budget', expected: `within ${step.budgetMs} ms`, actual: `${Math.round(durationMs)} ms` });
  }
  return failures;
}
