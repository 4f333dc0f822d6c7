// Table tests for the secrets checks: a clean scan as baseline, each case plants one thing in the facts.
import { describe, expect, it } from 'vitest';
import type { AnyCheck } from '../../src/checks/define.js';
import committedEnvFile from '../../src/checks/secrets/committed-env-file.js';
import exposedSecret from '../../src/checks/secrets/exposed-secret.js';
import shallowHistory from '../../src/checks/secrets/shallow-history.js';
import type { FactMap } from '../../src/facts/index.js';
import type { SecretMatch, SecretsScan } from '../../src/facts/secrets.js';
import { runCheck } from '../../src/run/audit.js';
import { checkTable } from '../helpers/check-tester.js';

type F = Pick<FactMap, 'target' | 'secrets.scan'>;
const c = (x: unknown) => x as AnyCheck;
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

function cleanScan(): F {
  return {
    target: { domains: [], now: '2026-02-01T00:00:00.000Z', accept: [], repo: '/repo' },
    'secrets.scan': {
      available: true, repo: '/repo', shallow: false,
      tree: { files: 120, bytes: 400_000, binaries: 3, skipped: [] },
      history: { commits: 40, bytes: 2_000_000, reusedDiffs: 0, binaryBlobs: 3, skippedBlobs: 0 },
      matches: [], allowedInline: 0, sensitiveFiles: [],
    },
  };
}

const scan = (f: F) => f['secrets.scan'] as SecretsScan;

function match(over: Partial<SecretMatch> = {}): SecretMatch {
  return {
    secretId: '0123456789abcdef', ruleId: 'stripe-live-secret-key', description: 'Stripe live secret or restricted key',
    severity: 'critical', rotate: 'Stripe Dashboard → Developers → API keys: roll the key.',
    masked: 'sk_l…[redacted, 32 chars]', length: 32, evidence: 'const k = "sk_l…[redacted, 32 chars]"', publicByDesign: false,
    commits: 1, inBinary: false,
    introduced: { file: 'src/billing.ts', line: 2, commit: SHA, date: '2026-01-01T10:00:00+00:00' },
    ...over,
  };
}

const noRepo = (f: F) => { f['secrets.scan'] = { available: false, reason: 'no repository to scan: pass --repo <dir>' }; };

describe('exposed-secret', () => {
  checkTable<F>(c(exposedSecret), cleanScan, [
    { name: 'a clean scan passes', status: 'pass' },
    { name: 'no repository: not applicable', mutate: noRepo, status: 'not-applicable' },
    {
      name: 'a secret only in history is critical and names the commit',
      mutate: (f) => { scan(f).matches.push(match()); },
      status: 'fail',
      findings: [{ code: 'in-history', severity: 'critical', message: /no longer in the files.*first committed in a1b2c3d on 2026-01-01 \(src\/billing\.ts:2\)\. Rotate it: Stripe Dashboard/ }],
    },
    {
      name: 'a secret still in the tree says where, and since when',
      mutate: (f) => { scan(f).matches.push(match({ inTree: { file: 'src/billing.ts', line: 7 }, commits: 3 })); },
      status: 'fail',
      findings: [{ code: 'in-tree', severity: 'critical', message: /in src\/billing\.ts:7, first committed in a1b2c3d on 2026-01-01 \(src\/billing\.ts:2\), added again in 2 later commit/ }],
    },
    {
      name: 'a secret where it was committed does not repeat the place',
      mutate: (f) => { scan(f).matches.push(match({ inTree: { file: 'src/billing.ts', line: 2 } })); },
      status: 'fail',
      findings: [{ code: 'in-tree', message: /in src\/billing\.ts:2, first committed in a1b2c3d on 2026-01-01\. Rotate it/ }],
    },
    {
      name: 'an uncommitted secret says so',
      mutate: (f) => { const m = match({ inTree: { file: '.env.local', line: 1 } }); delete m.introduced; scan(f).matches.push(m); },
      status: 'fail',
      findings: [{ code: 'in-tree', message: /not committed yet/ }],
    },
    {
      name: 'a high-severity rule keeps its severity',
      mutate: (f) => { scan(f).matches.push(match({ ruleId: 'aws-access-key-id', severity: 'high', inTree: { file: 'a.ts', line: 1 } })); },
      status: 'fail',
      findings: [{ code: 'in-tree-high', severity: 'high' }],
    },
    {
      name: 'a Stripe test key is low',
      mutate: (f) => { scan(f).matches.push(match({ ruleId: 'stripe-test-secret-key', severity: 'low', inTree: { file: 'a.ts', line: 1 } })); },
      status: 'warn',
      findings: [{ code: 'low-risk', severity: 'low', message: /test mode/ }],
    },
    {
      name: 'a secret inside a binary has no line',
      mutate: (f) => { scan(f).matches.push(match({ inBinary: true, inTree: { file: 'app.apk' } })); },
      status: 'fail',
      findings: [{ code: 'in-tree', message: /in app\.apk \(binary file\)/ }],
    },
    {
      name: 'a history git could not read is an error, and tree findings still stand',
      mutate: (f) => { scan(f).history.error = 'git log failed (exit 128): fatal: unable to read 1234'; const m = match({ inTree: { file: 'a.ts', line: 1 } }); delete m.introduced; scan(f).matches.push(m); },
      status: 'error',
      error: /history could not be scanned: git log failed/,
      findings: [{ code: 'in-tree', message: /its commit is unknown/ }],
    },
    {
      name: 'skipped files are reported as a scan gap (info)',
      mutate: (f) => { scan(f).tree.skipped.push({ path: 'vendor/huge.js', reason: 'too-large', size: 5_000_000 }); },
      status: 'warn',
      findings: [{ code: 'scan-gaps', severity: 'info', message: /vendor\/huge\.js \(4883 KiB\)/ }],
    },
  ]);

  it('locates a secret by file, line, commit and secret id, with masked evidence', () => {
    const f = cleanScan();
    scan(f).matches.push(match({ inTree: { file: 'src/billing.ts', line: 7 } }));
    const { findings } = runCheck(c(exposedSecret), f, [], '2026-02-01');
    expect(findings[0]!.location).toEqual({ file: 'src/billing.ts', line: 7, commit: SHA, record: 'secret 0123456789abcdef' });
    expect(findings[0]!.evidence).toBe('const k = "sk_l…[redacted, 32 chars]"');
  });

  it('an accept entry can name one secret by its id', () => {
    const f = cleanScan();
    scan(f).matches.push(match(), match({ secretId: 'fedcba9876543210' }));
    const { findings, outcome } = runCheck(c(exposedSecret), f, [{ id: 'secrets.exposed-secret', location: '0123456789abcdef', reason: 'rotated' }], '2026-02-01');
    expect(findings.map((x) => Boolean(x.accepted))).toEqual([true, false]);
    expect(outcome.status).toBe('fail');
  });
});

describe('committed-env-file', () => {
  checkTable<F>(c(committedEnvFile), cleanScan, [
    { name: 'no sensitive file passes', status: 'pass' },
    { name: 'no repository: not applicable', mutate: noRepo, status: 'not-applicable' },
    {
      name: 'a tracked .env',
      mutate: (f) => { scan(f).sensitiveFiles.push({ path: '.env', kind: 'env', tracked: true, unignored: false, addedIn: { commit: SHA, date: '2026-01-01T10:00:00Z' } }); },
      status: 'fail',
      findings: [{ code: 'tracked', severity: 'high', message: /^\.env \(environment file\) is committed \(since a1b2c3d on 2026-01-01\)\.$/ }],
    },
    {
      name: 'a credentials file removed later is still in history',
      mutate: (f) => { scan(f).sensitiveFiles.push({ path: 'sa.json', kind: 'credentials', tracked: false, unignored: false, addedIn: { commit: SHA, date: '2026-01-03T10:00:00Z' } }); },
      status: 'fail',
      findings: [{ code: 'in-history', message: /committed in a1b2c3d on 2026-01-03 and later removed/ }],
    },
    {
      name: 'an unignored .env in the working tree is medium',
      mutate: (f) => { scan(f).sensitiveFiles.push({ path: '.env.production', kind: 'env', tracked: false, unignored: true }); },
      status: 'fail',
      findings: [{ code: 'unignored', severity: 'medium' }],
    },
    {
      name: 'removed from git but still on disk and unignored: both',
      mutate: (f) => { scan(f).sensitiveFiles.push({ path: '.env', kind: 'env', tracked: false, unignored: true, addedIn: { commit: SHA, date: '2026-01-03T10:00:00Z' } }); },
      status: 'fail',
      findings: ['in-history', 'unignored'],
    },
  ]);
});

describe('shallow-history', () => {
  checkTable<F>(c(shallowHistory), cleanScan, [
    { name: 'a full clone passes', status: 'pass' },
    { name: 'no repository: not applicable', mutate: noRepo, status: 'not-applicable' },
    {
      name: 'a shallow clone is a finding, not silence',
      mutate: (f) => { scan(f).shallow = true; scan(f).history.commits = 1; },
      status: 'fail',
      findings: [{ code: 'shallow', severity: 'high', message: /only 1 commit\(s\)/ }],
    },
  ]);

  it('the remediation names fetch-depth: 0', () => expect(shallowHistory.remediation).toMatch(/fetch-depth: 0/));
});
