// Phones retry a write after a timeout: without an Idempotency-Key the server may run it twice (two orders, two
// charges). Passive: what the audit's own requests showed (a preflight allowing the header, an answer echoing it, a
// refusal for a missing key). With idempotencyProbe: true, the probe's two answers decide.
import { defineCheck, measured } from '../define.js';
import { coreEndpoints } from '../../derive/latency.js';
import { idempotentByMethod, isRetriedWrite, judgeReplay } from '../../derive/idempotency.js';

export default defineCheck({
  id: 'duplicate-write-on-retry',
  area: 'latency',
  severity: 'medium',
  impact: 'availability',
  title: 'Retried writes are deduplicated (Idempotency-Key)',
  description:
    'Phones on weak networks time out and retry: a write the server already did (an order, a payment, a post) runs again, so the user is charged twice or sees a duplicate, and support has to undo it by hand.',
  remediation:
    'Accept an `Idempotency-Key` header on POST and PATCH writes (IETF draft-ietf-httpapi-idempotency-key-header): store each key with its first response for at least 24 hours and answer a retry with the same key by replaying that response (409 while the first is still running, 422 when the same key comes with another payload, 400 when a required key is missing). Have the app generate one key per user action and reuse it on every retry; Stripe, Adyen and PayPal APIs work this way.',
  references: [
    'https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/',
    'https://docs.stripe.com/api/idempotent_requests',
    'https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2',
  ],
  requires: ['latency.endpoints'],
  messages: {
    'duplicated-core': {
      message: '{name} ({method} {url}) wrote twice when the same request was sent again with the same Idempotency-Key: {evidence}. A phone that retries it after a timeout creates a duplicate.',
    },
    duplicated: {
      message: '{name} ({method} {url}) wrote twice when the same request was sent again with the same Idempotency-Key: {evidence}. A phone that retries it after a timeout creates a duplicate.',
      severity: 'low',
    },
    'no-idempotency-key-core': {
      message: 'Nothing shows that {name} ({method} {url}) deduplicates retries: no Idempotency-Key in its preflight or in its answer ({answer}). A phone that retries it after a timeout may create a duplicate.',
      severity: 'low',
    },
    'no-idempotency-key': {
      message: 'Nothing shows that {name} ({method} {url}) deduplicates retries: no Idempotency-Key in its preflight or in its answer ({answer}). A phone that retries it after a timeout may create a duplicate.',
      severity: 'info',
    },
  },
  run({ 'latency.endpoints': facts }, ctx) {
    const eps = measured(facts, ctx);
    if (!eps) return;
    const writes = eps.filter(isRetriedWrite);
    if (writes.length === 0) {
      ctx.notApplicable('no write endpoint (a POST, PUT or PATCH of kind write) in the config');
      return;
    }
    const core = new Set(coreEndpoints(eps));
    const rows: Record<string, unknown>[] = [];
    for (const e of writes) {
      const r = e.idempotency;
      if (!r) {
        ctx.unknown(`"${e.name}": its retries were not observed (facts recorded before this check existed)`);
        continue;
      }
      const base = { name: e.name, method: e.method, url: e.url };
      const location = { url: e.url };
      const row: Record<string, unknown> = {
        name: e.name, core: core.has(e), answerStatus: r.answerStatus ?? null, preflightStatus: r.preflight?.status ?? null,
        signals: r.signals.map((s) => s.kind),
      };
      rows.push(row);
      if (r.probe) {
        const p = r.probe;
        if (p.skipped) {
          row.probe = { skipped: p.skipped };
          ctx.unknown(`retry probe of "${e.name}" not run: ${p.skipped} (add the host to load.confirm to allow it)`);
        } else {
          const j = judgeReplay(p);
          row.probe = { sent: p.sent, statuses: p.answers.map((a) => a.status), outcome: j.outcome, evidence: j.evidence };
          if (j.outcome === 'duplicated') {
            ctx.report({ code: core.has(e) ? 'duplicated-core' : 'duplicated', args: { ...base, evidence: j.evidence }, location });
            continue;
          }
          // A deduplicated retry is what we want: said in the check's details, not as a row of the risk list.
          if (j.outcome === 'deduplicated') {
            row.outcome = `deduplicated: ${j.evidence}`;
            continue;
          }
          ctx.unknown(`retry probe of "${e.name}" could not tell: ${j.evidence}`);
        }
      }
      // Without a probe's answer: what the audit's own requests showed.
      if (r.signals.length > 0) {
        row.outcome = `knows the Idempotency-Key header (${[...new Set(r.signals.map((s) => s.detail))].join('; ')}); deduplication not probed`;
      } else if (idempotentByMethod(e.method)) {
        row.note = 'PUT is idempotent by definition (RFC 9110): a retry replaces the resource with the same state';
      } else if (r.answerStatus === undefined && r.preflight?.status === undefined) {
        ctx.unknown(`"${e.name}" answered neither its request nor a preflight, so nothing is known about its retries`);
      } else {
        const answer = r.answerStatus !== undefined ? `it answered ${r.answerStatus}` : 'it did not answer the request itself';
        ctx.report({ code: core.has(e) ? 'no-idempotency-key-core' : 'no-idempotency-key', args: { ...base, answer }, location });
      }
    }
    ctx.details({ writes: rows });
  },
});
