// The hygiene collector against a throwaway Expo + native app repository: dev URLs in app code and production
// config (not in tests, docs, logs, comments or dev guards), API base URL settings with their build, env reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrlSettings, scanHygiene } from '../../src/collect/git/hygiene.js';
import type { HygieneScan } from '../../src/facts/hygiene.js';
import type { AnyCheck } from '../../src/checks/define.js';
import mobileApiUrl from '../../src/checks/hygiene/mobile-api-url.js';
import { runCheck } from '../../src/run/audit.js';
import { tempRepo, type TempRepo } from '../secrets/planted.js';

let repo: TempRepo;
let facts: HygieneScan;

beforeAll(async () => {
  repo = tempRepo('lr-hygiene-');
  repo.write('package.json', JSON.stringify({ name: 'pawpost', dependencies: { expo: '^52.0.0', 'react-native': '0.76.0' } }, null, 2));
  repo.write('app.json', JSON.stringify({ expo: { name: 'PawPost', extra: { apiUrl: 'http://192.168.1.20:3000' } } }, null, 2));
  repo.write('.env.production', 'EXPO_PUBLIC_API_URL=https://api.pawpost.com\n');
  repo.write('.env.development', 'EXPO_PUBLIC_API_URL=http://localhost:3000\n');
  repo.write('.env.example', '# Where the app sends API calls\nEXPO_PUBLIC_API_URL=\nDATABASE_URL=\n');
  repo.write('src/api.ts', [
    "const BASE = process.env.EXPO_PUBLIC_API_URL ?? 'http://localhost:3000';",
    "export const hooks = 'https://abc123.ngrok-free.app/hooks';",
    "export const preview = 'https://staging.pawpost.com/v1';",
    "const sentry = process.env.SENTRY_DSN;",
    "// see http://localhost:8080 for the admin",
    "if (__DEV__) console.warn('dev');",
    "const devUrl = __DEV__ ? 'http://10.0.2.2:3000' : BASE;",
    "console.log(`listening on http://localhost:${port}`);",
    "export const ok = 'https://api.pawpost.com/v1';",
    "const { STRIPE_PUBLISHABLE_KEY, NODE_ENV } = process.env;",
    "const policy = `https://mta-sts.${domain}/.well-known/mta-sts.txt`;",
    "const local = 'http://' + host + ':3000';",
  ].join('\n'));
  repo.write('worker/jobs.py', 'import os\nREDIS = os.getenv("REDIS_URL")\nQUEUE = os.environ["QUEUE_NAME"]\n');
  repo.write('test/api.test.ts', "const url = 'http://localhost:3000'; process.env.TEST_ONLY_VAR;\n");
  repo.write('README.md', 'Run it at http://localhost:3000\n\nSet `SENTRY_DSN` to report errors.\n');
  repo.write('docker-compose.yml', 'services:\n  api:\n    environment:\n      URL: http://localhost:3000\n');
  repo.write('android/app/build.gradle', [
    "apply plugin: 'com.android.application'",
    'android {',
    '  buildTypes {',
    '    debug {',
    '      buildConfigField "String", "API_URL", "\\"http://10.0.2.2:3000\\""',
    '    }',
    '    release {',
    '      buildConfigField "String", "API_URL", "\\"https://api.pawpost.com\\""',
    '    }',
    '  }',
    '}',
  ].join('\n'));
  repo.write('eas.json', JSON.stringify({ build: { development: { env: { EXPO_PUBLIC_API_URL: 'http://localhost:3000' } }, production: { env: { EXPO_PUBLIC_API_URL: 'https://api.pawpost.com' } } } }, null, 2));
  repo.write('.env.local.example', 'EXPO_PUBLIC_SENTRY_DSN=\n');
  repo.write('ios/PawPost/Info.plist', '<plist><dict>\n  <key>API_BASE_URL</key>\n  <string>https://api.pawpost.com</string>\n</dict></plist>\n');
  repo.commit('app');
  facts = (await scanHygiene(repo.dir, { stagingHosts: ['staging.pawpost.com'] })) as HygieneScan;
});

afterAll(() => repo?.remove());

describe('hygiene collector', () => {
  it('finds dev URLs in app code and production config only', () => {
    expect(facts.devUrls.map((u) => `${u.file}:${u.line} ${u.host}${u.productionConfig ? ' (prod)' : ''}`)).toEqual([
      'android/app/build.gradle:5 10.0.2.2 (prod)',
      'app.json:5 192.168.1.20 (prod)',
      // A base URL setting of a dev profile: listed here, left alone by dev-url, judged by mobile-api-url.
      'eas.json:5 localhost (prod)',
      'src/api.ts:1 localhost',
      'src/api.ts:2 abc123.ngrok-free.app',
      'src/api.ts:3 staging.pawpost.com',
    ]);
  });

  it('finds the mobile platforms and every API base URL setting with its build', () => {
    expect(facts.mobile.platforms).toEqual(['android', 'expo', 'ios', 'react-native']);
    expect(facts.mobile.baseUrls.map((b) => `${b.file}:${b.line} ${b.name}=${b.value} [${b.context}]`)).toEqual([
      '.env.development:1 EXPO_PUBLIC_API_URL=http://localhost:3000 [development]',
      '.env.production:1 EXPO_PUBLIC_API_URL=https://api.pawpost.com [production]',
      'android/app/build.gradle:5 API_URL=http://10.0.2.2:3000 [development]',
      'android/app/build.gradle:8 API_URL=https://api.pawpost.com [production]',
      'app.json:5 apiUrl=http://192.168.1.20:3000 [default]',
      'eas.json:5 EXPO_PUBLIC_API_URL=http://localhost:3000 [development]',
      'eas.json:10 EXPO_PUBLIC_API_URL=https://api.pawpost.com [production]',
      'ios/PawPost/Info.plist:3 API_BASE_URL=https://api.pawpost.com [default]',
    ]);
  });

  it('inventories the environment variables the code reads, and what .env.example documents', () => {
    expect(facts.env.reads.map((r) => `${r.name} ${r.file}:${r.line}`)).toEqual([
      'EXPO_PUBLIC_API_URL src/api.ts:1',
      'QUEUE_NAME worker/jobs.py:3',
      'REDIS_URL worker/jobs.py:2',
      'SENTRY_DSN src/api.ts:4',
      'STRIPE_PUBLISHABLE_KEY src/api.ts:10',
    ]);
    expect(facts.env.exampleFiles).toEqual(['.env.example', '.env.local.example']);
    expect(facts.env.documented).toEqual(['DATABASE_URL', 'EXPO_PUBLIC_API_URL', 'EXPO_PUBLIC_SENTRY_DSN']);
    expect(facts.env.mentionedInDocs).toEqual(['SENTRY_DSN']);
    expect(facts.env.docFiles).toEqual(['README.md']);
  });

  it('reads base URL settings in each config syntax', () => {
    const names = (path: string, text: string) => baseUrlSettings(path, text).map((s) => `${s.name}=${s.value}`);
    expect(names('Config/Release.xcconfig', 'API_BASE_URL = https:/$()/api.pawpost.com\n')).toEqual(['API_BASE_URL=https://api.pawpost.com']);
    expect(names('app/src/main/res/values/strings.xml', '<string name="api_base_url">https://api.pawpost.com</string>')).toEqual(['api_base_url=https://api.pawpost.com']);
    expect(names('lib/config.dart', "const String baseUrl = 'https://api.pawpost.com';")).toEqual(['baseUrl=https://api.pawpost.com']);
    expect(names('src/client.ts', "axios.create({ baseURL: 'https://api.pawpost.com' })")).toEqual(['baseURL=https://api.pawpost.com']);
    expect(names('src/client.ts', "const docsUrl = 'https://docs.pawpost.com'; const apiUrl = `${host}/v1`;")).toEqual([]);
  });
});

// Each place a release build takes its API URL from, each pointing somewhere that is not production; the dev and
// preview profiles beside them point at staging legitimately and stay silent.
describe('release config across file kinds', () => {
  let r: TempRepo;
  let scan: HygieneScan;
  beforeAll(async () => {
    r = tempRepo('lr-release-');
    r.write('app.config.ts', "export default { expo: { name: 'PawPost', extra: { apiUrl: process.env.API_URL ?? 'https://staging-api.pawpost.com/v1' } } };\n");
    r.write('eas.json', JSON.stringify({ build: {
      preview: { env: { EXPO_PUBLIC_API_URL: 'https://staging-api.pawpost.com' } },
      production: { env: { EXPO_PUBLIC_API_URL: 'https://api-qa.pawpost.com' } },
    } }, null, 2));
    r.write('pubspec.yaml', 'name: pawpost\ndependencies:\n  flutter:\n    sdk: flutter\n');
    r.write('lib/env.dart', "const apiBaseUrl = String.fromEnvironment('BACKEND_URL', defaultValue: 'https://dev.pawpost.com');\n");
    r.write('scripts/release.sh', '#!/bin/sh\nflutter run --dart-define=API_URL=https://staging.pawpost.com\nflutter build appbundle --dart-define=API_URL=https://uat.pawpost.com\n');
    r.write('android/app/build.gradle', "apply plugin: 'com.android.application'\nandroid {\n  buildTypes {\n    release {\n      buildConfigField \"String\", \"API_URL\", \"\\\"https://sandbox.pawpost.com\\\"\"\n    }\n  }\n}\n");
    r.write('android/app/src/release/res/values/strings.xml', '<resources>\n  <string name="api_base_url">http://192.168.1.40:8080</string>\n</resources>\n');
    r.write('ios/Config/Release.xcconfig', 'API_BASE_URL = https:/$()/preview-api.pawpost.com\n');
    r.write('.env.production', 'EXPO_PUBLIC_API_URL=https://api.pawpost.com\nSENTRY_URL=https://sentry.staging.pawpost.com/1\n');
    r.commit('app');
    scan = (await scanHygiene(r.dir)) as HygieneScan;
  });
  afterAll(() => r?.remove());

  it('reads each setting with its build', () => {
    expect(scan.mobile.baseUrls.map((b) => `${b.file}:${b.line} ${b.name}=${b.value} [${b.context}]`)).toEqual([
      '.env.production:1 EXPO_PUBLIC_API_URL=https://api.pawpost.com [production]',
      'android/app/build.gradle:5 API_URL=https://sandbox.pawpost.com [production]',
      'android/app/src/release/res/values/strings.xml:2 api_base_url=http://192.168.1.40:8080 [production]',
      'app.config.ts:1 apiUrl=https://staging-api.pawpost.com/v1 [default]',
      'eas.json:5 EXPO_PUBLIC_API_URL=https://staging-api.pawpost.com [development]',
      'eas.json:10 EXPO_PUBLIC_API_URL=https://api-qa.pawpost.com [production]',
      'ios/Config/Release.xcconfig:1 API_BASE_URL=https://preview-api.pawpost.com [production]',
      'lib/env.dart:1 BACKEND_URL=https://dev.pawpost.com [default]',
      'scripts/release.sh:2 API_URL=https://staging.pawpost.com [development]',
      'scripts/release.sh:3 API_URL=https://uat.pawpost.com [production]',
    ]);
  });

  it('flags every release setting that is not production, with file:line and the expected host', () => {
    const target = {
      domains: [{ name: 'pawpost.com', canonical: 'apex' as const, hosts: [] }], now: '2026-02-01T00:00:00.000Z', accept: [], repo: r.dir,
      environments: [{ name: 'production', hosts: ['api.pawpost.com'], production: true }],
    };
    const { findings } = runCheck(mobileApiUrl as unknown as AnyCheck, { target, 'hygiene.repo': scan }, [], '2026-02-01');
    expect(findings.map((f) => `${f.code} ${f.location.file}:${f.location.line}`)).toEqual([
      'staging-label android/app/build.gradle:5',
      'dev-host android/app/src/release/res/values/strings.xml:2',
      'staging-label app.config.ts:1',
      'staging-label eas.json:10',
      'staging-label ios/Config/Release.xcconfig:1',
      'staging-label lib/env.dart:1',
      'staging-label scripts/release.sh:3',
    ]);
    expect(findings.every((f) => f.message.endsWith('The production API is api.pawpost.com.'))).toBe(true);
    // The .env.production staging Sentry URL is not an API base URL: dev-url reports it as production config.
    expect(scan.devUrls.map((u) => `${u.file}:${u.line} ${u.host}`)).toContain('.env.production:2 sentry.staging.pawpost.com');
  });
});
