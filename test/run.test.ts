// The runner: failure isolation (throwing check, failing and hanging collectors), acceptance, verdict and ranking.
import { describe, expect, it } from 'vitest';
import { defineCheck, type AnyCheck } from '../src/checks/define.js';
import expiredAcceptance from '../src/checks/config/expired-acceptance.js';
import type { CollectContext } from '../src/collect/context.js';
import type { collectors as realCollectors } from '../src/collect/index.js';
import type { TargetFacts } from '../src/facts/index.js';
import { runAudit, runCheck, selectChecks, type RunEvent } from '../src/run/audit.js';
import { allChecks } from '../src/checks/index.js';
import { ReportSchema } from '../src/report/schema.js';
import { cleanFacts, NOW } from './helpers/dns-facts.js';

const target = (accept: TargetFacts['accept'] = []): TargetFacts => ({ ...cleanFacts().target, accept });

const reporting = (id: string, severity: 'critical' | 'high' | 'medium' | 'low' | 'info', impact: 'auth' | 'hygiene' = 'hygiene', host = 'shop.test') =>
  defineCheck({
    id, area: 'dns', severity, impact, title: `${id} title`, description: 'users suffer', remediation: 'fix it', references: [],
    requires: ['dns.hosts'],
    messages: { bad: { message: '{host} is bad' } },
    run(_facts, ctx) { ctx.report({ code: 'bad', args: { host }, location: { host } }); },
  }) as unknown as AnyCheck;

const passing = defineCheck({
  id: 'always-fine', area: 'dns', severity: 'high', impact: 'availability', title: 't', description: 'd', remediation: 'r', references: [],
  requires: ['dns.hosts'], messages: { never: { message: 'x' } }, run(facts, ctx) { ctx.details({ hosts: facts['dns.hosts'].length }); },
}) as unknown as AnyCheck;

const throwing = defineCheck({
  id: 'throws', area: 'dns', severity: 'high', impact: 'availability', title: 't', description: 'd', remediation: 'r', references: [],
  requires: ['dns.hosts'], messages: { x: { message: 'x' } }, run() { throw new TypeError('cannot read properties of undefined'); },
}) as unknown as AnyCheck;

const zoneCheck = defineCheck({
  id: 'needs-zones', area: 'dns', severity: 'high', impact: 'availability', title: 't', description: 'd', remediation: 'r', references: [],
  requires: ['dns.zones'], messages: { x: { message: 'x' } }, run() {},
}) as unknown as AnyCheck;

type Registry = typeof realCollectors;

function registry(overrides: Partial<{ hosts: () => Promise<unknown>; zones: () => Promise<unknown> }> = {}): Registry {
  const facts = cleanFacts();
  return {
    'dns.hosts': async () => async () => (overrides.hosts ? overrides.hosts() : facts['dns.hosts']),
    'dns.zones': async () => async () => (overrides.zones ? overrides.zones() : facts['dns.zones']),
  } as unknown as Registry;
}

function audit(checks: AnyCheck[], opts: { collectors?: Registry; accept?: TargetFacts['accept']; failOn?: 'high' | 'medium' | 'critical'; deadlineMs?: number; events?: RunEvent[] } = {}) {
  return runAudit({
    checks,
    target: target(opts.accept),
    failOn: opts.failOn ?? 'high',
    context: (signal) => ({ signal, timeoutMs: 1000 }) as unknown as CollectContext,
    deadlineMs: opts.deadlineMs ?? 5000,
    tool: { name: 'launch-ready', version: '0.0.0-test' },
    reportTarget: { domains: ['shop.test'], hosts: [] },
    collectorsFor: opts.collectors ?? registry(),
    onEvent: (e) => opts.events?.push(e),
  });
}

describe('runner isolation', () => {
  it('a throwing check becomes an error result tagged with its id; the others still run', async () => {
    const report = await audit([throwing, passing]);
    const t = report.checks.find((c) => c.id === 'throws')!;
    expect(t.status).toBe('error');
    expect(t.error).toMatch(/check threw: cannot read properties of undefined/);
    expect(report.checks.find((c) => c.id === 'always-fine')!.status).toBe('pass');
    expect(report.verdict).toBe('incomplete');
    expect(report.incomplete).toEqual([{ id: 'throws', error: t.error }]);
    ReportSchema.parse(report);
  });

  it('a failing collector gives error facts: its checks end in error, checks on other facts run', async () => {
    const report = await audit([passing, zoneCheck], { collectors: registry({ zones: async () => { throw new Error('socket exploded'); } }) });
    expect(report.checks.find((c) => c.id === 'needs-zones')).toMatchObject({ status: 'error', error: 'could not collect dns.zones: socket exploded' });
    expect(report.checks.find((c) => c.id === 'always-fine')!.status).toBe('pass');
    expect(report.verdict).toBe('incomplete');
  });

  it('a hanging collector is cut off by the run deadline, and the run still finishes', async () => {
    const started = Date.now();
    const report = await audit([passing, zoneCheck], { deadlineMs: 300, collectors: registry({ zones: () => new Promise(() => {}) }) });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(report.checks.find((c) => c.id === 'needs-zones')!.error).toMatch(/deadline of 300 ms/);
    expect(report.checks.find((c) => c.id === 'always-fine')!.status).toBe('pass');
  });

  it('a check reporting an undeclared code is an error, not a crash', async () => {
    const bad = { ...passing, id: 'bad-code', run: (_f: unknown, ctx: { report: (r: { code: string }) => void }) => ctx.report({ code: 'nope' }) } as unknown as AnyCheck;
    const report = await audit([bad]);
    expect(report.checks[0]).toMatchObject({ status: 'error', error: 'check reported unknown code "nope"' });
  });

  it('collects only the facts enabled checks need, each once', async () => {
    let zoneCalls = 0;
    const events: RunEvent[] = [];
    await audit([passing, passing], { events, collectors: registry({ zones: async () => { zoneCalls++; return []; } }) });
    expect(zoneCalls).toBe(0);
    expect(events.filter((e) => e.type === 'collect-start').map((e) => (e as { key: string }).key)).toEqual(['dns.hosts']);
  });

  it('announces the number of checks before anything is collected', async () => {
    const events: RunEvent[] = [];
    await audit([passing, zoneCheck], { events });
    expect(events[0]).toEqual({ type: 'plan', checks: 2 });
  });

  it('a collector with nothing to do for the target runs but is not announced as work in progress', async () => {
    const events: RunEvent[] = [];
    const noDatabase = defineCheck({
      id: 'needs-db', area: 'database', severity: 'high', impact: 'availability', title: 't', description: 'd', remediation: 'r', references: [],
      requires: ['database.postgres'], messages: { x: { message: 'x' } }, run(_f, ctx) { ctx.notApplicable('no database configured'); },
    }) as unknown as AnyCheck;
    let dbCalls = 0;
    const collectors = { ...registry(), 'database.postgres': async () => async () => { dbCalls++; return { status: 'not-configured' }; } } as unknown as Registry;
    const report = await audit([passing, noDatabase], { events, collectors });
    expect(dbCalls).toBe(1);
    expect(events.filter((e) => e.type === 'collect-start').map((e) => (e as { key: string }).key)).toEqual(['dns.hosts']);
    expect(report.checks.find((c) => c.id === 'needs-db')?.status).toBe('not-applicable');
  });

  it("a check's time includes waiting for its facts, not only its (instant) evaluation", async () => {
    const slowHosts = registry({ hosts: () => new Promise((r) => setTimeout(() => r(cleanFacts()['dns.hosts']), 120)) });
    const report = await audit([passing], { collectors: slowHosts });
    expect(report.checks[0]!.durationMs).toBeGreaterThanOrEqual(100);
    expect(report.checks[0]!.durationMs).toBeLessThanOrEqual(report.durationMs);
  });
});

describe('optional facts', () => {
  const seen: unknown[] = [];
  const usesZones = defineCheck({
    id: 'uses-zones', area: 'dns', severity: 'high', impact: 'availability', title: 't', description: 'd', remediation: 'r', references: [],
    requires: ['dns.hosts'], optional: ['dns.zones'], messages: { x: { message: 'x' } },
    run(facts) { seen.push(facts['dns.zones']); },
  }) as unknown as AnyCheck;

  it('are passed when another check has them collected, and simply absent when their collector failed (no error)', async () => {
    seen.length = 0;
    const alone = await audit([usesZones]);
    expect(alone.checks[0]!.status).toBe('pass');
    expect(seen.pop()).toBeUndefined();
    const ok = await audit([usesZones, zoneCheck]);
    expect(ok.checks[0]!.status).toBe('pass');
    expect(Array.isArray(seen[0])).toBe(true);
    const failed = await audit([usesZones, zoneCheck], { collectors: registry({ zones: async () => { throw new Error('down'); } }) });
    expect(failed.checks[0]!.status).toBe('pass');
    expect(seen[1]).toBeUndefined();
  });
});

describe('verdict and ranking', () => {
  it('NO-GO when an unaccepted finding is at or above fail-on; ranked by severity then launch impact', async () => {
    const report = await audit([reporting('low-one', 'low'), reporting('high-hygiene', 'high'), reporting('high-auth', 'high', 'auth'), reporting('crit', 'critical')]);
    expect(report.verdict).toBe('no-go');
    expect(report.findings.map((f) => f.checkId)).toEqual(['crit', 'high-auth', 'high-hygiene', 'low-one']);
    expect(report.findings.map((f) => f.rank)).toEqual([1, 2, 3, 4]);
    expect(report.summary).toEqual({ critical: 1, high: 2, medium: 0, low: 1, info: 0, accepted: 0, places: 4 });
    expect(report.verdictReason).toMatch(/3 findings at or above high.*shop\.test is bad/);
  });

  it('GO with lower risks listed when nothing reaches fail-on', async () => {
    const report = await audit([reporting('med', 'medium'), passing]);
    expect(report.verdict).toBe('go');
    expect(report.findings).toHaveLength(1);
    expect(report.verdictReason).toMatch(/1 lower risk/);
  });

  it('--fail-on medium makes a medium finding blocking', async () => {
    const report = await audit([reporting('med', 'medium')], { failOn: 'medium' });
    expect(report.verdict).toBe('no-go');
  });

  it('a blocking finding wins over an incomplete check', async () => {
    const report = await audit([throwing, reporting('h', 'high')]);
    expect(report.verdict).toBe('no-go');
    expect(report.incomplete.map((i) => i.id)).toEqual(['throws']);
  });

  it('an error in a low-severity check does not make the run incomplete', async () => {
    const lowThrow = { ...throwing, id: 'low-throws', severity: 'low' } as AnyCheck;
    const report = await audit([lowThrow, passing]);
    expect(report.verdict).toBe('go');
    expect(report.checks[0]!.status).toBe('error');
  });

  it('fingerprints are stable across runs and differ by location', async () => {
    const a = await audit([reporting('x', 'high', 'hygiene', 'a.test'), reporting('y', 'high', 'hygiene', 'b.test')]);
    const b = await audit([reporting('x', 'high', 'hygiene', 'a.test'), reporting('y', 'high', 'hygiene', 'b.test')]);
    expect(a.findings.map((f) => f.fingerprint)).toEqual(b.findings.map((f) => f.fingerprint));
    expect(new Set(a.findings.map((f) => f.fingerprint)).size).toBe(2);
  });
});

describe('finding identity', () => {
  it('a finding that names its identity keeps its fingerprint when its location moves', async () => {
    const { fingerprint } = await import('../src/run/audit.js');
    expect(fingerprint('exposed-secret', 'in-tree', { file: 'a.ts', line: 3 }, 'secret abc')).toBe(fingerprint('exposed-secret', 'in-tree', { file: 'a.ts', line: 9 }, 'secret abc'));
    expect(fingerprint('exposed-secret', 'in-tree', { file: 'a.ts', line: 3 })).not.toBe(fingerprint('exposed-secret', 'in-tree', { file: 'a.ts', line: 9 }));
  });
});

describe('accepted risks', () => {
  it('an accepted finding stays visible, does not block, and is counted as accepted', async () => {
    const report = await audit([reporting('h', 'high')], { accept: [{ id: 'dns.h.bad', reason: 'owner: ops, until the migration', expires: '2099-01-01' }] });
    expect(report.verdict).toBe('go');
    expect(report.findings[0]!.accepted).toEqual({ reason: 'owner: ops, until the migration', expires: '2099-01-01' });
    expect(report.summary.accepted).toBe(1);
    expect(report.summary.high).toBe(0);
  });

  it('acceptance by check id and by location substring', async () => {
    const report = await audit([reporting('h', 'high', 'hygiene', 'api.shop.test'), reporting('k', 'high', 'hygiene', 'www.shop.test')], {
      accept: [{ id: 'dns.h', reason: 'r' }, { id: 'dns.k.bad', location: 'admin.', reason: 'other host only' }],
    });
    expect(report.findings.find((f) => f.checkId === 'h')!.accepted).toBeDefined();
    expect(report.findings.find((f) => f.checkId === 'k')!.accepted).toBeUndefined();
    expect(report.verdict).toBe('no-go');
  });

  it('an expired acceptance stops applying and is itself reported', async () => {
    const accept = [{ id: 'dns.h.bad', reason: 'launch week only', expires: '2026-11-01' }];
    const report = await audit([reporting('h', 'high'), expiredAcceptance as unknown as AnyCheck], { accept });
    expect(NOW > '2026-11-01').toBe(true);
    expect(report.verdict).toBe('no-go');
    expect(report.findings.find((f) => f.checkId === 'h')!.accepted).toBeUndefined();
    const expired = report.findings.find((f) => f.checkId === 'expired-acceptance')!;
    expect(expired.id).toBe('config.expired-acceptance.expired');
    expect(expired.message).toBe('The acceptance of dns.h.bad ("launch week only") expired on 2026-11-01.');
  });

  it('an acceptance is valid through its expiry day', async () => {
    const report = await audit([reporting('h', 'high')], { accept: [{ id: 'dns.h.bad', reason: 'r', expires: NOW.slice(0, 10) }] });
    expect(report.verdict).toBe('go');
  });
});

describe('which finding an acceptance matches, and the status it leaves', () => {
  const TODAY = NOW.slice(0, 10);
  const placed = defineCheck({
    id: 'placed', area: 'dns', severity: 'high', impact: 'hygiene', title: 't', description: 'd', remediation: 'r', references: [],
    requires: ['dns.hosts'], messages: { bad: { message: '{host} is bad' } },
    run(_f, ctx) { ctx.report({ code: 'bad', args: { host: 'api.shop.test' }, location: { host: 'api.shop.test', record: 'CNAME' } }); },
  }) as unknown as AnyCheck;
  const accepted = (accept: TargetFacts['accept']) => runCheck(placed, cleanFacts(), accept, TODAY).findings[0]!.accepted;

  it('by the bare check id, the area.check id or the full id; not by another check\'s', () => {
    for (const id of ['placed', 'dns.placed', 'dns.placed.bad']) expect(accepted([{ id, reason: 'r' }]), id).toBeDefined();
    for (const id of ['place', 'tls.placed', 'dns.placed.other']) expect(accepted([{ id, reason: 'r' }]), id).toBeUndefined();
  });

  it('a location matches any one part of the place, in any letter case', () => {
    expect(accepted([{ id: 'placed', location: 'API.Shop.', reason: 'r' }])).toBeDefined();
    expect(accepted([{ id: 'placed', location: 'cname', reason: 'r' }])).toBeDefined();
    expect(accepted([{ id: 'placed', location: 'admin.', reason: 'r' }])).toBeUndefined();
  });

  it('a check whose findings are all accepted passes; one open finding fails it', () => {
    expect(runCheck(placed, cleanFacts(), [{ id: 'placed', reason: 'r' }], TODAY).outcome.status).toBe('pass');
    expect(runCheck(placed, cleanFacts(), [], TODAY).outcome.status).toBe('fail');
  });

  it('not applicable only with no finding at all, and with its reason', () => {
    const mixed = (report: boolean) => defineCheck({
      id: 'mixed', area: 'dns', severity: 'high', impact: 'hygiene', title: 't', description: 'd', remediation: 'r', references: [],
      requires: ['dns.hosts'], messages: { bad: { message: 'bad' } },
      run(_f, ctx) { ctx.notApplicable('no zone here'); if (report) ctx.report({ code: 'bad', args: {}, location: { host: 'shop.test' } }); },
    }) as unknown as AnyCheck;
    expect(runCheck(mixed(false), cleanFacts(), [], TODAY).outcome).toMatchObject({ status: 'not-applicable', reason: 'no zone here' });
    expect(runCheck(mixed(true), cleanFacts(), [{ id: 'mixed', reason: 'r' }], TODAY).outcome.status).toBe('pass');
  });
});

describe('selectChecks', () => {
  it('selects by area, check id and area.check-id; rejects unknown selectors', () => {
    expect(selectChecks(allChecks, ['config']).map((c) => c.id)).toEqual(['expired-acceptance']);
    expect(selectChecks(allChecks, ['dangling-cname', 'dns.missing-caa']).map((c) => c.id)).toEqual(['dangling-cname', 'missing-caa']);
    const withoutDns = selectChecks(allChecks, [], ['dns']);
    expect(withoutDns.some((c) => c.area === 'dns')).toBe(false);
    expect(withoutDns.map((c) => c.id)).toContain('expired-acceptance');
    expect(withoutDns).toHaveLength(allChecks.length - allChecks.filter((c) => c.area === 'dns').length);
    expect(selectChecks(allChecks, ['flows']).map((c) => c.id)).toEqual(['broken-flow-step']);
    expect(() => selectChecks(allChecks, ['dnss'])).toThrow(/unknown area or check "dnss"/);
  });
});

describe('the edge area keeps its old name as an alias', () => {
  it('--only/--skip headers select the edge checks', async () => {
    const { allChecks } = await import('../src/checks/index.js');
    const edge = selectChecks(allChecks, ['edge']);
    expect(edge.length).toBeGreaterThan(5);
    expect(selectChecks(allChecks, ['headers'])).toEqual(edge);
    expect(selectChecks(allChecks, ['headers.exposed-file']).map((c) => c.id)).toEqual(['exposed-file']);
    expect(selectChecks(allChecks, [], ['headers']).some((c) => c.area === 'edge')).toBe(false);
  });

  it('accepted risks written with the old area name still match', async () => {
    const { unknownAcceptIds } = await import('../src/run/plan.js');
    const { allChecks } = await import('../src/checks/index.js');
    expect(unknownAcceptIds(['headers.exposed-file', 'edge.exposed-file', 'headers.nope'], allChecks).map((u) => u.id)).toEqual(['headers.nope']);
  });
});
