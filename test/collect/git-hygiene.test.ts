// The hygiene collector against a throwaway Expo + native app repository: dev URLs in app code and production
// config (not in tests, docs, logs, comments or dev guards), API base URL settings with their build, env reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrlSettings, scanHygiene } from '../../src/collect/git/hygiene.js';
import type { HygieneScan } from '../../src/facts/hygiene.js';
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
