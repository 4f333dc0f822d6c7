// Table tests for latency.duplicate-write-on-retry: a baseline whose critical order endpoint deduplicated the probe's
// retry, each case changing one thing (the probe's answers, its gate, the passive signals, the endpoint's method).
import { describe, expect, it } from 'vitest';
import type { AnyCheck } from '../../src/checks/define.js';
import duplicateWrite from '../../src/checks/latency/duplicate-write-on-retry.js';
import { answerSignals, isRetriedWrite, namesIdempotencyKey, preflightSignals, resourceId } from '../../src/derive/idempotency.js';
import type { ReplayAnswer } from '../../src/facts/idempotency.js';
import { checkTable } from '../helpers/check-tester.js';
import { endpoint, ep, latencyFacts, type LatencyTableFacts } from '../helpers/latency-facts.js';

const answer = (over: Partial<ReplayAnswer> = {}): ReplayAnswer => ({ status: 201, bodyBytes: 42, bodyHash: 'a1a1a1a1a1a1a1a1', idField: 'id', idHash: '1111111111111111', namesKey: false, ...over });

function facts(): LatencyTableFacts {
  const f = latencyFacts();
  f['latency.endpoints'].endpoints.push(endpoint({
    name: 'order', url: 'https://api.shop.test/v1/orders', method: 'POST', kind: 'write', budgetP95Ms: 700, critical: true, cacheable: false,
    idempotency: {
      answerStatus: 201,
      signals: [{ kind: 'preflight-allows', detail: 'Access-Control-Allow-Headers: content-type, idempotency-key' }],
      preflight: { status: 204, allowHeaders: 'content-type, idempotency-key', reflects: false },
      probe: { sent: 2, answers: [answer(), answer()] },
    },
  }));
  return f;
}

const order = (f: LatencyTableFacts) => ep(f, 'order');
const retries = (f: LatencyTableFacts) => order(f).idempotency!;
const second = (over: Partial<ReplayAnswer>) => (f: LatencyTableFacts) => { retries(f).probe!.answers[1] = answer(over); };
const noProbe = (f: LatencyTableFacts) => { delete retries(f).probe; };
const silent = (f: LatencyTableFacts) => { noProbe(f); retries(f).signals = []; };

describe('duplicate-write-on-retry', () => {
  checkTable<LatencyTableFacts>(duplicateWrite as unknown as AnyCheck, facts, [
    {
      name: 'the retry named the same resource: deduplicated, a pass that says how in its details',
      status: 'pass',
      details: { writes: [{ name: 'order', outcome: expect.stringMatching(/^deduplicated: both answers named the same resource \(id\)$/) }] },
    },
    { name: 'no endpoints: not applicable', mutate: (f) => { f['latency.endpoints'].endpoints = []; }, status: 'not-applicable' },
    { name: 'no write endpoint: not applicable', mutate: (f) => { f['latency.endpoints'].endpoints.pop(); }, status: 'not-applicable' },
    { name: 'a DELETE of kind write is not a retried write', mutate: (f) => { order(f).method = 'DELETE'; }, status: 'not-applicable' },
    { name: 'a POST of kind auth is not a retried write', mutate: (f) => { order(f).kind = 'auth'; }, status: 'not-applicable' },
    {
      name: 'another id on the retry: a duplicate, medium on a critical write',
      mutate: second({ idHash: '2222222222222222', bodyHash: 'b2b2b2b2b2b2b2b2' }),
      status: 'fail',
      findings: [{ code: 'duplicated-core', severity: 'medium', message: /wrote twice when the same request was sent again with the same Idempotency-Key: the second answer named another resource \(a different id\)\. A phone that retries it after a timeout creates a duplicate\.$/ }],
    },
    {
      name: 'the same duplicate on a write outside the critical flows is low',
      mutate: (f) => { second({ idHash: '2222222222222222' })(f); order(f).critical = false; },
      status: 'warn',
      findings: [{ code: 'duplicated', severity: 'low' }],
    },
    {
      name: 'with no endpoint marked critical every write is core',
      mutate: (f) => { second({ idHash: '2222222222222222' })(f); for (const e of f['latency.endpoints'].endpoints) e.critical = false; },
      status: 'fail',
      findings: [{ code: 'duplicated-core', severity: 'medium' }],
    },
    {
      name: 'two Locations: a duplicate',
      mutate: (f) => {
        retries(f).probe!.answers = [answer({ idField: undefined, idHash: undefined, location: '/v1/orders/1', locationHash: 'c1' }), answer({ idField: undefined, idHash: undefined, location: '/v1/orders/2', locationHash: 'c2', bodyHash: 'b2b2b2b2b2b2b2b2' })];
      },
      status: 'fail',
      findings: [{ code: 'duplicated-core', message: /two Locations: \/v1\/orders\/1 then \/v1\/orders\/2/ }],
    },
    {
      name: 'the same Location twice: deduplicated',
      mutate: (f) => {
        retries(f).probe!.answers = [answer({ idField: undefined, idHash: undefined, location: '/v1/orders/1', locationHash: 'c1' }), answer({ idField: undefined, idHash: undefined, location: '/v1/orders/1', locationHash: 'c1', bodyHash: 'b2b2b2b2b2b2b2b2' })];
      },
      status: 'pass',
      details: { writes: [{ name: 'order', outcome: expect.stringMatching(/same Location \/v1\/orders\/1$/) }] },
    },
    {
      name: '201 twice with different bodies and no id: a duplicate',
      mutate: (f) => { retries(f).probe!.answers = [answer({ idField: undefined, idHash: undefined }), answer({ idField: undefined, idHash: undefined, bodyHash: 'b2b2b2b2b2b2b2b2' })]; },
      status: 'fail',
      findings: [{ code: 'duplicated-core', message: /201 Created came twice, with different bodies/ }],
    },
    {
      name: 'the same status and body twice (no id): the first answer replayed',
      mutate: (f) => { retries(f).probe!.answers = [answer({ status: 200, idField: undefined, idHash: undefined }), answer({ status: 200, idField: undefined, idHash: undefined })]; },
      status: 'pass',
      details: { writes: [{ name: 'order', outcome: expect.stringMatching(/replayed the first answer \(200, the same 42-byte body\)/) }] },
    },
    {
      name: '200 twice with different bodies and no id cannot be told: unknown, with what is known passively',
      mutate: (f) => { retries(f).probe!.answers = [answer({ status: 200, idField: undefined, idHash: undefined }), answer({ status: 200, idField: undefined, idHash: undefined, bodyHash: 'b2b2b2b2b2b2b2b2' })]; },
      status: 'error',
      error: /retry probe of "order" could not tell: the answers \(200, 200\) differ but name no resource id or Location/,
      details: { writes: [{ name: 'order', outcome: expect.stringMatching(/^knows the Idempotency-Key header/) }] },
    },
    {
      name: 'Idempotent-Replayed: true on the retry: deduplicated',
      mutate: (f) => { retries(f).probe!.answers = [answer({ status: 200, idField: undefined, idHash: undefined }), answer({ status: 200, idField: undefined, idHash: undefined, bodyHash: 'b2', replayed: 'true' })]; },
      status: 'pass',
      details: { writes: [{ name: 'order', outcome: expect.stringMatching(/Idempotent-Replayed: true$/) }] },
    },
    {
      name: 'Idempotent-Replayed: false proves nothing',
      mutate: (f) => { retries(f).probe!.answers = [answer({ status: 200, idField: undefined, idHash: undefined }), answer({ status: 200, idField: undefined, idHash: undefined, bodyHash: 'b2', replayed: 'false' })]; },
      status: 'error',
      details: { writes: [{ name: 'order', outcome: expect.stringMatching(/^knows the Idempotency-Key header/) }] },
    },
    {
      name: 'a 409 naming the key: deduplicated as a conflict',
      mutate: second({ status: 409, idField: undefined, idHash: undefined, namesKey: true }),
      status: 'pass',
      details: { writes: [{ name: 'order', outcome: expect.stringMatching(/refused with 409, naming the key/) }] },
    },
    {
      name: 'a 409 that does not name the key cannot be told',
      mutate: second({ status: 409, idField: undefined, idHash: undefined, namesKey: false }),
      status: 'error',
      error: /answered 201 and the retry 409 without naming the key/,
      details: { writes: [{ name: 'order', outcome: expect.stringMatching(/^knows the Idempotency-Key header/) }] },
    },
    {
      name: 'a first answer that created nothing (401) cannot be judged',
      mutate: (f) => { retries(f).probe!.answers[0] = answer({ status: 401 }); },
      status: 'error',
      error: /the first request was answered 401/,
      details: { writes: [{ name: 'order', outcome: expect.stringMatching(/^knows the Idempotency-Key header/) }] },
    },
    {
      name: 'the gate refused the probe: unknown, never a pass, and the passive reading stays in the details',
      mutate: (f) => { retries(f).probe = { sent: 0, answers: [], skipped: 'api.shop.test is not loopback and not listed in load.confirm' }; },
      status: 'error',
      error: /retry probe of "order" not run: api\.shop\.test is not loopback and not listed in load\.confirm \(add the host to load\.confirm/,
      details: { writes: [{ name: 'order', outcome: expect.stringMatching(/^knows the Idempotency-Key header/) }] },
    },
    {
      name: 'the probe failed after one answer: unknown',
      mutate: (f) => { retries(f).probe = { sent: 1, answers: [answer()], error: 'timeout after 3000 ms' }; },
      status: 'error',
      error: /the probe failed after 1 request\(s\): timeout after 3000 ms/,
      details: { writes: [{ name: 'order', outcome: expect.stringMatching(/^knows the Idempotency-Key header/) }] },
    },
    {
      name: 'no probe, a preflight allowing the key: a pass that says so in its details',
      mutate: noProbe,
      status: 'pass',
      details: { writes: [{ name: 'order', outcome: expect.stringMatching(/^knows the Idempotency-Key header \(Access-Control-Allow-Headers: content-type, idempotency-key\); deduplication not probed$/) }] },
    },
    {
      name: 'no probe, nothing known, on a critical write: low',
      mutate: silent,
      status: 'warn',
      findings: [{ code: 'no-idempotency-key-core', severity: 'low', message: /^Nothing shows that order \(POST https:\/\/api\.shop\.test\/v1\/orders\) deduplicates retries: no Idempotency-Key in its preflight or in its answer \(it answered 201\)\. A phone that retries it after a timeout may create a duplicate\.$/ }],
    },
    {
      name: 'no probe, nothing known, outside the critical flows: info',
      mutate: (f) => { silent(f); order(f).critical = false; },
      status: 'warn',
      findings: [{ code: 'no-idempotency-key', severity: 'info' }],
    },
    { name: 'no probe, nothing known, but a PUT: idempotent by definition', mutate: (f) => { silent(f); order(f).method = 'PUT'; }, status: 'pass' },
    {
      name: 'no probe, nothing known, and no answer at all: unknown',
      mutate: (f) => { silent(f); delete retries(f).answerStatus; delete retries(f).preflight; },
      status: 'error',
      error: /"order" answered neither its request nor a preflight/,
    },
    {
      name: 'only the preflight answered: nothing known is still said',
      mutate: (f) => { silent(f); delete retries(f).answerStatus; },
      status: 'warn',
      findings: [{ code: 'no-idempotency-key-core', message: /\(it did not answer the request itself\)/ }],
    },
    { name: 'facts recorded before the check: unknown', mutate: (f) => { delete order(f).idempotency; }, status: 'error', error: /not observed/ },
  ]);
});

describe('idempotency readings', () => {
  it('retried writes are POST, PUT and PATCH of kind write', () => {
    expect(['POST', 'PUT', 'PATCH', 'DELETE', 'GET'].map((method) => isRetriedWrite({ kind: 'write', method }))).toEqual([true, true, true, false, false]);
    expect(isRetriedWrite({ kind: 'read', method: 'POST' })).toBe(false);
  });

  it('reads an answer for the key: echo, replay header, exposed headers, the draft\'s refusal', () => {
    expect(answerSignals({ status: 201, headers: {} })).toEqual([]);
    expect(answerSignals({ status: 201, headers: { 'idempotency-key': 'k', 'idempotent-replayed': 'false', 'access-control-expose-headers': 'ETag, Idempotent-Replayed' } }).map((s) => s.kind))
      .toEqual(['echoes-key', 'replayed-header', 'exposes-header']);
    expect(answerSignals({ status: 201, headers: { 'access-control-expose-headers': 'etag, x-idempotency-keyed' } })).toEqual([]);
    const body = '{"title":"Idempotency-Key is missing","detail":"This operation is idempotent and it requires correct usage of Idempotency Key."}';
    expect(answerSignals({ status: 400, headers: {}, body })).toEqual([{ kind: 'key-required', detail: '400 without a key' }]);
    // The same words on a success, or a 4xx about something else, are not a refusal for the key.
    expect(answerSignals({ status: 200, headers: {}, body })).toEqual([]);
    expect(answerSignals({ status: 400, headers: {}, body: '{"error":"amount is required"}' })).toEqual([]);
    expect(namesIdempotencyKey('missing idempotency_key')).toBe(true);
    expect(namesIdempotencyKey('idempotent operation')).toBe(false);
  });

  it('a preflight documents the key only when it lists it without reflecting the made-up header', () => {
    expect(preflightSignals({ status: 204, allowHeaders: 'Content-Type, Idempotency-Key', reflects: false })).toHaveLength(1);
    expect(preflightSignals({ status: 204, allowHeaders: 'content-type, idempotency-key, x-launch-ready-ab12', reflects: true })).toEqual([]);
    expect(preflightSignals({ status: 204, allowHeaders: 'content-type, authorization', reflects: false })).toEqual([]);
    expect(preflightSignals(undefined)).toEqual([]);
  });

  it('finds the created resource\'s id at the top, in data, or in a single wrapper', () => {
    expect(resourceId('{"id":42,"total":1}')).toEqual({ field: 'id', value: '42' });
    expect(resourceId('{"data":{"type":"orders","id":"o_1"}}')).toEqual({ field: 'data.id', value: 'o_1' });
    expect(resourceId('{"order":{"uuid":"u-1","items":[]},"ok":true}')).toEqual({ field: 'order.uuid', value: 'u-1' });
    expect(resourceId('{"order":{"id":1},"user":{"id":2}}')).toBeUndefined();
    expect(resourceId('[{"id":1}]')).toBeUndefined();
    expect(resourceId('not json')).toBeUndefined();
    expect(resourceId('{"id":""}')).toBeUndefined();
  });
});
