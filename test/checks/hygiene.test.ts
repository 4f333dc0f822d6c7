// Table tests for the hygiene checks: a clean app repository as baseline, each case changes one thing.
import { describe } from 'vitest';
import type { AnyCheck } from '../../src/checks/define.js';
import devUrl from '../../src/checks/hygiene/dev-url.js';
import mobileApiUrl from '../../src/checks/hygiene/mobile-api-url.js';
import publicEnvSecret from '../../src/checks/hygiene/public-env-secret.js';
import undocumentedEnvVar from '../../src/checks/hygiene/undocumented-env-var.js';
import type { HygieneScan } from '../../src/facts/hygiene.js';
import type { FactMap } from '../../src/facts/index.js';
import { checkTable } from '../helpers/check-tester.js';

type F = Pick<FactMap, 'target' | 'hygiene.repo'>;
const c = (x: unknown) => x as AnyCheck;

function cleanRepo(): F {
  return {
    target: {
      domains: [{ name: 'pawpost.com', canonical: 'apex', hosts: [] }], now: '2026-02-01T00:00:00.000Z', accept: [],
      repo: '/repo', repoOptions: { apiUrl: 'https://api.pawpost.com', stagingHosts: ['staging.pawpost.com'] },
    },
    'hygiene.repo': {
      available: true, repo: '/repo', files: 40, devUrls: [],
      mobile: {
        platforms: ['expo'],
        baseUrls: [
          { name: 'EXPO_PUBLIC_API_URL', value: 'https://api.pawpost.com', file: '.env.production', line: 1, context: 'production' },
          { name: 'EXPO_PUBLIC_API_URL', value: 'http://localhost:3000', file: '.env.development', line: 1, context: 'development' },
        ],
      },
      env: {
        reads: [{ name: 'EXPO_PUBLIC_API_URL', file: 'src/api.ts', line: 1, reads: 2 }, { name: 'SENTRY_DSN', file: 'src/sentry.ts', line: 3, reads: 1 }],
        exampleFiles: ['.env.example'],
        documented: ['EXPO_PUBLIC_API_URL', 'SENTRY_DSN'],
        mentionedInDocs: [],
        docFiles: ['README.md'],
      },
    },
  };
}

const h = (f: F) => f['hygiene.repo'] as HygieneScan;
const noRepo = (f: F) => { f['hygiene.repo'] = { available: false, reason: 'no repository to scan' }; };
const url = (u: string, file = 'src/api.ts', line = 3, productionConfig = false) => ({ url: u, host: new URL(u).hostname, file, line, productionConfig });

describe('dev-url', () => {
  checkTable<F>(c(devUrl), cleanRepo, [
    { name: 'no dev URL passes', status: 'pass' },
    { name: 'no repository: not applicable', mutate: noRepo, status: 'not-applicable' },
    { name: 'localhost in app code is medium', mutate: (f) => { h(f).devUrls.push(url('http://localhost:3000')); }, status: 'fail', findings: [{ code: 'in-code', severity: 'medium', message: /^http:\/\/localhost:3000 in src\/api\.ts:3 points at a loopback address/ }] },
    { name: 'a private address in production config is high', mutate: (f) => { h(f).devUrls.push(url('http://192.168.1.20:3000', 'app.json', 5, true)); }, status: 'fail', findings: [{ code: 'in-production-config', severity: 'high' }] },
    { name: 'a tunnel host is high', mutate: (f) => { h(f).devUrls.push(url('https://abc.ngrok-free.app/hook')); }, status: 'fail', findings: [{ code: 'tunnel', severity: 'high' }] },
    { name: 'a staging-named host in production config is high', mutate: (f) => { h(f).devUrls.push(url('https://api-staging.pawpost.com/v1', '.env.production', 2, true)); }, status: 'fail', findings: [{ code: 'in-production-config', severity: 'high', message: /staging host/ }] },
    { name: 'a staging-named host in app code is left alone (environment maps)', mutate: (f) => { h(f).devUrls.push(url('https://api-staging.pawpost.com/v1')); }, status: 'pass' },
    { name: 'a configured staging host', mutate: (f) => { h(f).devUrls.push(url('https://staging.pawpost.com/v1')); }, status: 'fail', findings: [{ code: 'in-code', message: /staging host/ }] },
    {
      name: 'a staging host no longer configured is not reported',
      mutate: (f) => { f.target.repoOptions = {}; h(f).devUrls.push(url('https://staging.pawpost.com/v1')); },
      status: 'pass',
    },
    {
      name: 'a mobile base URL setting is left to mobile-api-url',
      mutate: (f) => { h(f).devUrls.push(url('http://localhost:3000', '.env.development', 1, false)); },
      status: 'pass',
    },
    {
      name: 'past 50, the rest is one info line',
      mutate: (f) => { for (let i = 0; i < 52; i++) h(f).devUrls.push(url('http://localhost:3000', 'src/a.ts', 10 + i)); },
      status: 'fail',
      findings: [...Array(50).fill('in-code'), { code: 'more', message: /^2 more/ }],
    },
  ]);
});

describe('mobile-api-url', () => {
  const setProd = (value: string) => (f: F) => { h(f).mobile.baseUrls[0]!.value = value; };
  checkTable<F>(c(mobileApiUrl), cleanRepo, [
    { name: 'production URL over https passes', status: 'pass' },
    { name: 'no repository: not applicable', mutate: noRepo, status: 'not-applicable' },
    { name: 'no mobile app: not applicable', mutate: (f) => { h(f).mobile.platforms = []; }, status: 'not-applicable' },
    { name: 'localhost in the release config is critical', mutate: setProd('http://localhost:3000'), status: 'fail', findings: [{ code: 'dev-host', severity: 'critical', message: /localhost/ }] },
    { name: 'a LAN address', mutate: setProd('http://192.168.1.20:3000'), status: 'fail', findings: [{ code: 'dev-host', message: /private\/local network/ }] },
    { name: 'the staging host', mutate: setProd('https://staging.pawpost.com'), status: 'fail', findings: [{ code: 'dev-host', message: /staging host/ }] },
    {
      name: 'a staging-named host under the audited domain is critical and names the production API',
      mutate: setProd('https://staging-api.pawpost.com/v1'),
      status: 'fail',
      findings: [{ code: 'staging-label', severity: 'critical', message: /staging-api\.pawpost\.com, whose label "staging-api" names a non-production environment.*The production API is api\.pawpost\.com\.$/ }],
    },
    ...['api-dev.pawpost.com', 'api.qa.pawpost.com', 'uat2.pawpost.com', 'preview-app.pawpost.com', 'sandbox.api.pawpost.com', 'api.test.pawpost.co.uk'].map((host) => ({
      name: `${host} is not production`, mutate: setProd(`https://${host}`), status: 'fail' as const, findings: ['staging-label'],
    })),
    {
      name: 'without repo.apiUrl, the expected host comes from the configured endpoints',
      mutate: (f: F) => {
        f.target.repoOptions = {};
        f.target.endpoints = [{ name: 'feed', url: 'https://api.pawpost.com/v1/feed', method: 'GET', kind: 'read', budgetP95Ms: 300, critical: true, cacheable: false, authenticated: false }];
        setProd('https://stage.pawpost.com')(f);
      },
      status: 'fail',
      findings: [{ code: 'staging-label', message: /The production API is api\.pawpost\.com\.$/ }],
    },
    {
      name: 'without repo.apiUrl or endpoints, a production environment\'s api host is expected',
      mutate: (f: F) => {
        f.target.repoOptions = {};
        f.target.environments = [{ name: 'staging', hosts: ['staging-api.pawpost.com'] }, { name: 'production', hosts: ['pawpost.com', 'api.pawpost.com'], production: true }];
        setProd('http://10.0.0.12:8080')(f);
      },
      status: 'fail',
      findings: [{ code: 'dev-host', message: /private\/local network.*The production API is api\.pawpost\.com\.$/ }],
    },
    ...['api.pawpost.dev', 'dev.to', 'api.latest-news.com', 'contest-api.pawpost.com'].map((host) => ({
      name: `${host} is a production name`,
      mutate: (f: F) => { f.target.repoOptions = {}; f.target.domains = []; setProd(`https://${host}`)(f); },
      status: 'pass' as const,
    })),
    { name: 'plain http to the right host', mutate: setProd('http://api.pawpost.com'), status: 'fail', findings: [{ code: 'not-https', severity: 'high' }] },
    { name: 'another host', mutate: setProd('https://api.oldname.io'), status: 'fail', findings: [{ code: 'wrong-host', message: /not the production API \(api\.pawpost\.com\)/ }] },
    {
      name: 'without repo.apiUrl, any host under the audited domains is accepted',
      mutate: (f) => { f.target.repoOptions = {}; setProd('https://app-api.pawpost.com/v2')(f); },
      status: 'pass',
    },
    {
      name: 'without repo.apiUrl, a host outside the audited domains is wrong',
      mutate: (f) => { f.target.repoOptions = {}; setProd('https://pawpost-api.herokuapp.com')(f); },
      status: 'fail',
      findings: [{ code: 'wrong-host', message: /a host under pawpost\.com/ }],
    },
    {
      name: 'a default value overridden by the production one is not judged',
      mutate: (f) => { h(f).mobile.baseUrls.push({ name: 'EXPO_PUBLIC_API_URL', value: 'http://localhost:3000', file: '.env', line: 1, context: 'default' }); },
      status: 'pass',
    },
    {
      name: 'a default value without override is judged',
      mutate: (f) => { h(f).mobile.baseUrls.push({ name: 'apiUrl', value: 'http://10.0.2.2:3000', file: 'app.json', line: 4, context: 'default' }); },
      status: 'fail',
      findings: ['dev-host'],
    },
    {
      name: 'no setting found is low, not a pass',
      mutate: (f) => { h(f).mobile.baseUrls = [h(f).mobile.baseUrls[1]!]; },
      status: 'warn',
      findings: [{ code: 'not-found', severity: 'low', message: /expo app/ }],
    },
  ]);
});

describe('undocumented-env-var', () => {
  checkTable<F>(c(undocumentedEnvVar), cleanRepo, [
    { name: 'all documented: only the inventory', status: 'warn', findings: [{ code: 'inventory', severity: 'info', message: /\(2\): EXPO_PUBLIC_API_URL, SENTRY_DSN\.$/ }] },
    { name: 'no repository: not applicable', mutate: noRepo, status: 'not-applicable' },
    { name: 'no env reads: not applicable', mutate: (f) => { h(f).env.reads = []; }, status: 'not-applicable' },
    {
      name: 'an undocumented variable is medium, and marked in the inventory',
      mutate: (f) => { h(f).env.reads.push({ name: 'STRIPE_SECRET_KEY', file: 'api/pay.ts', line: 9, reads: 1 }); },
      status: 'fail',
      findings: [{ code: 'undocumented', severity: 'medium', message: /^STRIPE_SECRET_KEY is read at api\/pay\.ts:9 but not listed in \.env\.example, README\.md\.$/ }, { code: 'inventory', message: /STRIPE_SECRET_KEY \(undocumented\)/ }],
    },
    {
      name: 'a variable the README documents counts as documented',
      mutate: (f) => { h(f).env.reads.push({ name: 'STRIPE_SECRET_KEY', file: 'api/pay.ts', line: 9, reads: 1 }); h(f).env.mentionedInDocs.push('STRIPE_SECRET_KEY'); },
      status: 'warn',
      findings: ['inventory'],
    },
    {
      name: 'no example file, but every variable is in the README',
      mutate: (f) => { h(f).env.exampleFiles = []; h(f).env.documented = []; h(f).env.mentionedInDocs = ['EXPO_PUBLIC_API_URL', 'SENTRY_DSN']; },
      status: 'warn',
      findings: ['inventory'],
    },
    {
      name: 'no example file at all',
      mutate: (f) => { h(f).env.exampleFiles = []; h(f).env.documented = []; },
      status: 'fail',
      findings: [{ code: 'no-example-file', message: /reads 2 environment variable/ }, 'inventory'],
    },
  ]);
});

describe('public-env-secret', () => {
  const read = (name: string) => (f: F) => { h(f).env.reads.push({ name, file: 'app/page.tsx', line: 4, reads: 1 }); };
  checkTable<F>(c(publicEnvSecret), cleanRepo, [
    { name: 'public variables that are public by design pass', status: 'pass' },
    { name: 'no repository: not applicable', mutate: noRepo, status: 'not-applicable' },
    { name: 'a Next.js public Stripe secret key', mutate: read('NEXT_PUBLIC_STRIPE_SECRET_KEY'), status: 'fail', findings: [{ code: 'exposed', severity: 'high', message: /^NEXT_PUBLIC_STRIPE_SECRET_KEY is read at app\/page\.tsx:4: the NEXT_PUBLIC_ prefix/ }] },
    { name: 'a Supabase service-role key in an Expo public variable', mutate: read('EXPO_PUBLIC_SUPABASE_SERVICE_ROLE_KEY'), status: 'fail', findings: ['exposed'] },
    { name: 'an OpenAI key through Vite', mutate: read('VITE_OPENAI_API_KEY'), status: 'fail', findings: ['exposed'] },
    { name: 'declared in .env.example only', mutate: (f) => { h(f).env.documented.push('REACT_APP_DB_PASSWORD'); }, status: 'fail', findings: [{ code: 'exposed', message: /read at \.env\.example: / }] },
    { name: 'a publishable key is fine', mutate: read('NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY'), status: 'pass' },
    { name: 'the Supabase anon key is fine', mutate: read('NEXT_PUBLIC_SUPABASE_ANON_KEY'), status: 'pass' },
    { name: 'a Firebase web API key is fine', mutate: read('NEXT_PUBLIC_FIREBASE_API_KEY'), status: 'pass' },
    { name: 'a server-only secret is fine', mutate: read('STRIPE_SECRET_KEY'), status: 'pass' },
  ]);
});
