// One finding per problem (grouping, supersedes, stable fingerprints, old baselines and reports still matching) and
// masking of canaries, ${env:...} values and secrets in every field of every format.
import { describe, expect, it } from 'vitest';
import { defineCheck, type AnyCheck, type RawFinding } from '../src/checks/define.js';
import type { CollectContext } from '../src/collect/context.js';
import type { collectors as realCollectors } from '../src/collect/index.js';
import { AI_SPECS } from '../src/facts/ai.js';
import type { TargetFacts } from '../src/facts/index.js';
import { Redactor } from '../src/redact.js';
import { diffReports } from '../src/report/diff.js';
import { renderHtml } from '../src/report/html.js';
import { renderJson } from '../src/report/json.js';
import { renderJunit } from '../src/report/junit.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { renderSarif } from '../src/report/sarif.js';
import { ReportSchema } from '../src/report/schema.js';
import { renderTable } from '../src/report/table.js';
import { renderHandover } from '../src/report/handover.js';
import { fingerprint, runAudit } from '../src/run/audit.js';
import type { Report } from '../src/types.js';
import { cleanFacts } from './helpers/dns-facts.js';

type Registry = typeof realCollectors;
const registry = { 'dns.hosts': async () => async () => cleanFacts()['dns.hosts'] } as unknown as Registry;

function check(id: string, raws: RawFinding[], supersedes: string[] = []): AnyCheck {
  return defineCheck({
    id, area: 'edge', severity: 'high', impact: 'hygiene', title: `${id} title`, description: 'users suffer', remediation: 'fix it', references: [],
    requires: ['dns.hosts'],
    messages: { bad: { message: '{what} is bad', supersedes }, worse: { message: '{what} is worse', severity: 'critical' } },
    run(_facts, ctx) { for (const r of raws) ctx.report(r as RawFinding<'bad' | 'worse'>); },
  }) as unknown as AnyCheck;
}

function audit(checks: AnyCheck[], extra: { target?: Partial<TargetFacts>; baseline?: Set<string>; redactor?: Redactor } = {}): Promise<Report> {
  return runAudit({
    checks,
    target: { ...cleanFacts().target, accept: [], ...extra.target },
    failOn: 'high',
    context: (signal) => ({ signal, timeoutMs: 1000 }) as unknown as CollectContext,
    deadlineMs: 5000,
    tool: { name: 'launch-ready', version: '0.0.0-test' },
    reportTarget: { domains: ['shop.test'], hosts: [] },
    collectorsFor: registry,
    ...(extra.baseline ? { baseline: { file: 'old.json', fingerprints: extra.baseline } } : {}),
    ...(extra.redactor ? { redactor: extra.redactor } : {}),
  });
}

const at = (url: string, what = url): RawFinding => ({ code: 'bad', args: { what }, location: { host: new URL(url).hostname, url } });
const exposed = [
  at('http://www.shop.test/'), at('https://www.shop.test/'),
  at('https://www.shop.test/.git/config'), at('https://www.shop.test/.git/HEAD'),
  at('https://api.shop.test/'),
];

describe('one finding per problem', () => {
  it('groups one code on one host (scheme variants, probe URLs, sibling paths) and lists every place', async () => {
    const report = await audit([check('same-host', exposed)]);
    expect(ReportSchema.parse(report)).toBeTruthy();
    expect(report.findings).toHaveLength(2);
    const www = report.findings.find((f) => f.location.host === 'www.shop.test')!;
    expect(www.count).toBe(4);
    expect(www.occurrences.map((o) => o.url)).toEqual([
      'http://www.shop.test/', 'https://www.shop.test/.git/HEAD', 'https://www.shop.test/.git/config', 'https://www.shop.test/',
    ]);
    expect(www.message).toBe('http://www.shop.test/ is bad Also at https://www.shop.test/.git/HEAD, https://www.shop.test/.git/config, https://www.shop.test/ (4 places).');
    expect(report.summary).toMatchObject({ high: 2, places: 5 });
    expect(report.checks[0]!.findings).toBe(2);
    const keys = report.findings.map((f) => `${f.checkId} ${f.code} ${f.location.host}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('endpoints (places that are only a URL) of one host stay separate problems; the same endpoint twice is one', async () => {
    const endpoint = (url: string, what: string): RawFinding => ({ code: 'bad', args: { what }, location: { url } });
    const report = await audit([check('same-host', [
      endpoint('https://api.shop.test/v1/events', 'events'), endpoint('https://api.shop.test/v1/threads', 'threads'),
      endpoint('https://api.shop.test/v1/events', 'events again'),
    ])]);
    expect(report.findings.map((f) => [f.location.url, f.count])).toEqual([
      ['https://api.shop.test/v1/events', 1], ['https://api.shop.test/v1/threads', 1],
    ]);
  });

  it('names the first places and "and N more"; severity is the highest; an explicit group key wins', async () => {
    const many = Array.from({ length: 13 }, (_, i) => ({ code: 'bad', args: { what: `case ${i}` }, location: { url: 'https://bot.shop.test/chat', record: `support bot › case-${String(i).padStart(2, '0')}` } }));
    const report = await audit([check('assistant', many), check('grouped', [
      { code: 'bad', args: { what: 'a' }, location: { file: 'a.ts', line: 1 }, group: 'one' },
      { code: 'bad', args: { what: 'b' }, location: { file: 'b.ts', line: 2 }, group: 'one' },
    ])]);
    const bot = report.findings.find((f) => f.checkId === 'assistant')!;
    expect(bot.count).toBe(13);
    expect(bot.occurrences.map((o) => o.case)).toContain('case-12');
    expect(bot.message).toMatch(/Also at case-01, case-02, case-03 and 9 more \(13 places\)\.$/);
    expect(report.findings.find((f) => f.checkId === 'grouped')!.count).toBe(2);
  });

  it('a declared cause absorbs what it explains on the same host: one finding that says so', async () => {
    const loop = check('loop', [at('https://www.shop.test/', 'loop')], ['edge.downgrade.bad']);
    const downgrade = check('downgrade', [at('https://www.shop.test/a', 'downgrade'), at('https://other.shop.test/', 'downgrade')]);
    const report = await audit([loop, downgrade]);
    expect(report.findings.map((f) => `${f.checkId} ${f.location.host}`).sort()).toEqual(['downgrade other.shop.test', 'loop www.shop.test']);
    const cause = report.findings.find((f) => f.checkId === 'loop')!;
    expect(cause.message).toBe('loop is bad The same cause: downgrade is bad');
    expect(cause.explains).toEqual([expect.objectContaining({ id: 'edge.downgrade.bad', count: 1 })]);
  });

  it('fingerprints do not depend on occurrence order or count; old single-place fingerprints keep matching', async () => {
    const a = await audit([check('same-host', exposed)]);
    const b = await audit([check('same-host', [...exposed].reverse())]);
    const c = await audit([check('same-host', exposed.slice(0, 2))]);
    expect(b.findings).toEqual(a.findings);
    expect(c.findings[0]!.fingerprint).toBe(a.findings.find((f) => f.location.host === 'www.shop.test')!.fingerprint);
    // What the previous version wrote: one finding per place, fingerprinted by its location.
    const old = fingerprint('same-host', 'bad', { host: 'www.shop.test', url: 'https://www.shop.test/.git/HEAD' });
    expect(a.findings.find((f) => f.location.host === 'www.shop.test')!.occurrences.map((o) => o.fingerprint)).toContain(old);
    // A baseline written by the previous version holds every place of the problem: the grouped finding is known.
    const oldAll = exposed.slice(0, 4).map((r) => fingerprint('same-host', 'bad', r.location!));
    const withBaseline = await audit([check('same-host', exposed)], { baseline: new Set(oldAll) });
    const known = withBaseline.findings.find((f) => f.location.host === 'www.shop.test')!;
    expect(known.accepted).toMatchObject({ baseline: true });
    // Only one place known: the problem stays open and that place says it is known.
    const partly = (await audit([check('same-host', exposed)], { baseline: new Set([old]) })).findings.find((f) => f.location.host === 'www.shop.test')!;
    expect(partly.accepted).toBeUndefined();
    expect(partly.occurrences.filter((o) => o.accepted).map((o) => o.url)).toEqual(['https://www.shop.test/.git/HEAD']);
    expect(withBaseline.findings.find((f) => f.location.host === 'api.shop.test')!.accepted).toBeUndefined();
  });

  it('migrates an old report: its per-place findings are the grouped findings, not new or fixed ones', async () => {
    const now = await audit([check('same-host', exposed)]);
    const oldFindings = now.findings.flatMap((f) => f.occurrences.map((o) => {
      const { occurrences: _o, count: _c, ...rest } = f;
      return { ...rest, message: o.message, fingerprint: o.fingerprint, location: { host: o.host, url: o.url } };
    }));
    const oldReport = { ...now, findings: oldFindings } as unknown as Report;
    const d = diffReports(oldReport, now);
    expect(d.new).toEqual([]);
    expect(d.fixed).toEqual([]);
  });
});

describe('masking everywhere', () => {
  // Assembled at run time: the repository never holds a live-looking value.
  const canary = ['CANARY', 'pawpost', '7f3k'].join('-');
  const envValue = ['env', 'secret', 'Zq81x'].join('-');
  const awsKey = ['AKIA', 'J7Q2MXRT5VBN4KPL'].join('');
  const leaky = check('leaky', [{
    code: 'bad',
    args: { what: `reply «STRIPE_KEY=${canary}» with ${envValue}` },
    location: { host: 'bot.shop.test', url: `https://bot.shop.test/chat?token=${envValue}` },
    evidence: `key ${awsKey} and ${canary.toLowerCase()}`,
  }, {
    code: 'worse', args: { what: `second ${awsKey}` }, location: { host: 'bot.shop.test', url: 'https://bot.shop.test/other' },
  }]);

  it('no canary, secret or env value appears in any field of any format', async () => {
    const redactor = new Redactor();
    redactor.add(envValue, 'env:BOT_TOKEN');
    const target = { ai: { names: ['bot'], [AI_SPECS]: [{ canaries: [canary] }] } } as unknown as Partial<TargetFacts>;
    const report = await audit([leaky], { target, redactor });
    const outputs = {
      json: renderJson(report), sarif: renderSarif(report), junit: renderJunit(report), markdown: renderMarkdown(report),
      html: renderHtml(report), table: renderTable(report, { color: false, width: 120 }),
      handover: renderHandover({ report, accept: [], endpoints: [] } as unknown as Parameters<typeof renderHandover>[0]),
    };
    for (const [format, text] of Object.entries(outputs)) {
      for (const value of [canary, canary.toLowerCase(), envValue, awsKey]) expect(text, `${format} holds ${value}`).not.toContain(value);
    }
    expect(outputs.json).toContain('[redacted:env:BOT_TOKEN]');
    expect(outputs.json).toContain('CANA…[redacted, 19 chars]');
    expect(outputs.json).toContain('AKIA…[redacted, 20 chars]');
  });
});
