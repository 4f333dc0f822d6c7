// Each rule's own table: one value it must find and one near-miss it must leave alone (wrong length, alphabet,
// checksum, a placeholder or a reference). Every value is assembled here at run time from parts and random bodies,
// so the repository holds no live-looking key.
import { describe, expect, it } from 'vitest';
import { SecretScanner } from '../../src/secrets/engine.js';
import { base62Crc32Ok, isRealJwt, jwtSeverity, SECRET_RULES } from '../../src/secrets/rules.js';
import { planted, rand } from './planted.js';

const scanner = new SecretScanner();
const p = planted();
const j = (...parts: string[]) => parts.join('');
const HEX = '0123456789abcdef';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const LETTERS = `${LOWER}${LOWER.toUpperCase()}`;
const ALNUM = `${LETTERS}0123456789`;
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const B64URL = `${ALNUM}_-`;

/** A token whose last 6 characters are the base-62 CRC32 of its 30-character random part (GitHub/npm style). */
function withCrc(prefix: string): string {
  const body = rand(30);
  let n = crc(body);
  let check = '';
  for (let i = 0; i < 6; i++) { check = B62[n % 62]! + check; n = Math.floor(n / 62); }
  return j(prefix, body, check);
}
function crc(s: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < s.length; i++) {
    c ^= s.charCodeAt(i);
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
function jwt(header: object, payload: object): string {
  const b = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return j(b(header), '.', b(payload), '.', rand(43, B64URL));
}
const npmToken = withCrc('npm_');
const npmNearMiss = `${npmToken.slice(0, -1)}${npmToken.endsWith('A') ? 'B' : 'A'}`;

/** rule id → [a line it must find, the value, a line it must not report under that rule]. */
const TABLE: Record<string, [string, string, string]> = {
  'gcp-service-account': [JSON.stringify({ type: 'service_account', private_key: `${p.pemKey}\n` }), '', JSON.stringify({ type: 'service_account', private_key: '' })],
  'private-key': [p.pemKey, '', '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----'],
  'aws-access-key-id': [`id = ${p.awsKeyId}`, p.awsKeyId, j('id = AK', 'IA', rand(15, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'))],
  'aws-secret-access-key': [`aws_secret_access_key = ${p.awsSecret}`, p.awsSecret, `aws_secret_access_key = ${rand(39)}`],
  'gcp-api-key': [`GEMINI_API_KEY=${p.gcpKey}`, p.gcpKey, j('k = AI', 'za', rand(30))],
  'firebase-fcm-server-key': [j('k = AAAA', rand(7), ':', rand(140, B64URL)), '', j('k = AAAA', rand(7), ':', rand(60, B64URL))],
  'azure-storage-key': [j('AccountKey=', rand(86, `${ALNUM}+/`), '=='), '', j('AccountKey=', rand(40), '==')],
  'azure-client-secret': [j('s = ', rand(3), '8Q~', rand(34)), '', j('x,', 'a1', '~8Q~', rand(34))],
  'stripe-live-secret-key': [`k = ${p.stripeLive}`, p.stripeLive, j('k = sk', '_live_', 'x'.repeat(24))],
  'stripe-test-secret-key': [`k = ${p.stripeTest}`, p.stripeTest, j('k = sk', '_test_', rand(10))],
  'stripe-webhook-secret': [j('h = wh', 'sec_', rand(32)), '', j('h = wh', 'sec_', rand(12))],
  'github-token': [`t = ${p.githubPat}`, p.githubPat, j('t = gh', 'p_', rand(20))],
  'gitlab-token': [j('t = gl', 'rt-', rand(20)), '', j('t = gl', 'rt-', 'x'.repeat(26))],
  'slack-token': [`t = ${p.slackBot}`, p.slackBot, j('"t": "xo', 'xp-', rand(12, '0123456789'), '-', rand(12, '0123456789'), '-####################"')],
  'slack-webhook': [`u = ${p.slackWebhook}`, '', j('u = https://hooks.sl', 'ack.com/services/', 'X'.repeat(44))],
  'twilio-api-key': [`// twilio\nsid = ${p.twilioSid}`, p.twilioSid, j('// twilio\nsid = S', 'K', rand(31, HEX))],
  'twilio-auth-token': [`TWILIO_AUTH_TOKEN=${rand(32, HEX)}`, '', `TWILIO_AUTH_TOKEN=${rand(31, HEX)}`],
  'sendgrid-api-key': [`k = ${p.sendgrid}`, p.sendgrid, j('k = S', 'G.', rand(22), '.', rand(20))],
  'mailgun-api-key': [`k = ${p.mailgun}`, p.mailgun, j('k = ke', 'y-', rand(20, HEX))],
  'postmark-server-token': [`POSTMARK_TOKEN=${[8, 4, 4, 4, 12].map((n) => rand(n, HEX)).join('-')}`, '', 'POSTMARK_TOKEN=00000000-0000-0000-0000-000000000000'],
  'anthropic-api-key': [`k = ${p.anthropic}`, p.anthropic, j('k = sk', '-ant-', 'api03-', rand(93, B64URL), 'BB')],
  'openai-api-key': [`k = ${p.openai}`, p.openai, j('k = sk', '-proj-', rand(12))],
  'supabase-service-role-key': [`k = ${p.supabaseService}`, p.supabaseService, `k = ${p.supabaseAnon}`],
  'huggingface-token': [j('huggingface-cli login --token hf', '_', rand(34, LETTERS)), '', j('- (id)hf', '_', 'requiredCharacteristicTypesForDisplay')],
  'doppler-token': [j('--token dp', '.pt.', rand(43)), '', j('--token dp', '.pt.', rand(20))],
  'shopify-token': [j('t = sh', 'pat_', rand(32, HEX)), '', j('t = sh', 'pat_', rand(31, HEX))],
  'heroku-api-key': [j('t = HR', 'KU-AA', rand(58, B64URL)), '', j('t = HR', 'KU-AA', rand(40, B64URL))],
  'flyio-token': [j('FLY=fo', '1_', rand(43, B64URL)), '', j('FLY=fo', '1_', rand(20, B64URL))],
  'pulumi-token': [j('t = pu', 'l-', rand(40, HEX)), '', j('<img src="./assets/vipu', 'l-', rand(64, HEX), '.png">')],
  'vault-token': [j('-vaultToken hv', 's.', rand(90, B64URL)), '', j('t = hv', 's.', 'x'.repeat(30))],
  'terraform-cloud-token': [j('t = ', rand(14), '.atlas', 'v1.', rand(67, B64URL)), '', j('t = ', 'x'.repeat(14), '.atlas', 'v1.', 'x'.repeat(67))],
  'sentry-token': [j('t = sn', 'tryu_', rand(64, HEX)), '', j('t = sn', 'tryu_', rand(63, HEX))],
  'digitalocean-token': [j('t = do', 'o_v1_', rand(64, HEX)), '', j('t = do', 'o_v1_', rand(60, HEX))],
  'databricks-token': [j('t = da', 'pi', rand(32, HEX)), '', j('t = da', 'pi', rand(20, HEX))],
  'linear-api-key': [j('t = li', 'n_api_', rand(40)), '', j('t = li', 'n_api_', rand(20))],
  'resend-api-key': [j("new Resend('r", 'e_', rand(8), '_', rand(24), "')"), '', j("new Resend('r", 'e_', rand(20), "')")],
  'age-secret-key': [j('AGE-SECRET', '-KEY-1', rand(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L')), '', j('AGE-SECRET', '-KEY-1', rand(58, LOWER))],
  'atlassian-api-token': [j('t = AT', 'ATT3', rand(186, B64URL)), '', j('t = AT', 'ATT3', rand(40))],
  'grafana-token': [j('t = gl', 'sa_', rand(32), '_', rand(8, HEX)), '', j('t = gl', 'sa_', 'X'.repeat(32), '_AAAAAAAA')],
  'newrelic-key': [j('t = NR', 'AK-', rand(27, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')), '', j('t = NR', 'AK-', rand(20, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'))],
  'planetscale-token': [j('t = psc', 'ale_tkn_', rand(43)), '', j('t = psc', 'ale_tkn_', rand(10))],
  '1password-token': [j('k = A', '3-', ...[6, 6, 5, 5, 5, 5].map((n, i) => (i ? '-' : '') + rand(n, 'ABCDEFGHJKLMNPQRSTVWXYZ23456789'))), '', j('k = A', '3-XXXXXX-XXXXXXXXXXX-XXXXX-XXXXX-XXXXX')],
  'perplexity-api-key': [j('k = pp', 'lx-', rand(48)), '', j('k = pp', 'lx-', 'x'.repeat(48))],
  'square-access-token': [j('k = EA', 'AA', rand(60, B64URL)), '', j('k = EA', 'AA', rand(30, B64URL))],
  'facebook-access-token': [j('k = EA', 'AB', rand(120)), '', j("const s = 'ea", 'aaC0', rand(36, HEX), "'")],
  'dropbox-token': [j('k = s', 'l.', rand(140, B64URL)), '', j('k = s', 'l.', rand(40, B64URL))],
  'mapbox-secret-token': [j('k = s', 'k.ey', 'J', rand(60, B64URL), '.', rand(22, B64URL)), '', j('k = p', 'k.ey', 'J', rand(60, B64URL), '.', rand(22, B64URL))],
  'airtable-pat': [j('k = pa', 't', rand(14), '.', rand(64, HEX)), '', j('k = pa', 't', rand(14), '.', rand(20, HEX))],
  'cloudflare-origin-ca-key': [j('k: v1', '.0-', rand(24, HEX), '-', rand(146, HEX)), '', j('k: v1', '.0-', rand(24, HEX), '-', rand(40, HEX))],
  'npm-token': [`k = ${npmToken}`, npmToken, `k = ${npmNearMiss}`],
  'pypi-token': [j('k = py', 'pi-AgEIcHlwaS5vcmc', rand(60, B64URL)), '', j('k = py', 'pi-AgEIcHlwaS5vcmc', rand(10))],
  'discord-bot-token': [j('discord = M', rand(24), '.', rand(6, B64URL), '.', rand(30, B64URL)), '', j('discord = M', rand(10), '.', rand(6), '.', rand(10))],
  'azure-sas-token': [j('u: "https://a.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=', rand(43, `${ALNUM}+/`), '%3D"'), '', 'u: "https://a.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=<signature>"'],
  'authorization-header': [j('curl -H "Authorization: Bearer ', rand(40), '"'), '', 'curl -H "Authorization: Bearer $TOKEN"'],
  'curl-user-password': [j('curl -u deploy:', rand(16)), '', 'curl -u username:token https://api.example.invalid'],
  jwt: [`const SERVICE_TOKEN = "${jwt({ alg: 'HS256', typ: 'JWT' }, { sub: 'svc-billing', iat: 1700000000 })}";`, '', `const t = "${jwt({ alg: 'HS256', typ: 'JWT' }, { sub: '1234567890', name: 'John Doe', iat: 1516239022 })}";`],
  'database-url': [`DATABASE_URL=postgres://app:${p.dbPassword}@db.pawpost.net/app`, p.dbPassword, 'DATABASE_URL=postgres://postgres:postgres@localhost/dev'],
  'generic-secret': [`JWT_SECRET=${p.jwtSecret}`, p.jwtSecret, 'LLM_SECRET_NAME = "NEXUS-GPT4-API-KEY"'],
  'generic-secret-xml': [`<apiToken>\n  ${p.jwtSecret}\n</apiToken>`, p.jwtSecret, '<apiToken>${API_TOKEN}</apiToken>'],
};

describe('every rule has a true and a false sample', () => {
  it('the table covers every rule', () => {
    expect(SECRET_RULES.map((r) => r.id).filter((id) => !(id in TABLE))).toEqual([]);
  });
  for (const rule of SECRET_RULES) {
    const [yes, value, no] = TABLE[rule.id] ?? ['', '', ''];
    it(`${rule.id} finds its sample`, () => {
      const hits = scanner.scan(yes, 'src/app.ts').filter((h) => h.rule.id === rule.id);
      expect(hits).toHaveLength(1);
      if (value) expect(hits[0]!.length).toBe(value.length);
      // Whatever was found, the evidence never shows it whole.
      if (value) expect(hits[0]!.evidence).not.toContain(value);
    });
    it(`${rule.id} leaves its near-miss alone`, () => {
      expect(scanner.scan(no, 'src/app.ts').filter((h) => h.rule.id === rule.id)).toEqual([]);
    });
  }
});

describe('syntaxes of the generic assignment rule', () => {
  const v = () => rand(32);
  const cases: [string, (s: string) => string][] = [
    ['Makefile ::=', (s) => `deploy_TOKEN ::= "${s}"`],
    ['Makefile :::=', (s) => `deploy_TOKEN :::= "${s}"`],
    ['Makefile ?=', (s) => `deploy_TOKEN ?= "${s}"`],
    ['Go typed var', (s) => `var deployToken string = "${s}"`],
    ['PHP .=', (s) => `$deployToken .= "${s}"`],
    ['System.setProperty', (s) => `System.setProperty("DEPLOY_TOKEN", "${s}")`],
    ['JSON string with an embedded \\n', (s) => `{"config.ini": "DEPLOY_TOKEN=${s}\\nBACKUP=true"}`],
    ['env with a trailing comment', (s) => `DEPLOY_TOKEN=${s} # rotated monthly`],
    ['XML element body', (s) => `<deployToken>\n    ${s}\n</deployToken>`],
  ];
  for (const [name, line] of cases) {
    it(name, () => {
      const s = v();
      const hits = scanner.scan(line(s), 'config/app.cfg');
      expect(hits.map((h) => h.length)).toEqual([s.length]);
    });
  }
  it('public names, vault names and redacted values stay quiet', () => {
    expect(scanner.scan(`publicToken = "${rand(40)}"`, 'a.py')).toEqual([]);
    expect(scanner.scan(`keyVaultToStoreSecrets: cmp2-qat-${rand(10, '0123456789')}`, 'a.yaml')).toEqual([]);
    expect(scanner.scan('"token": "xoxp-12345-####################"', 'a.json')).toEqual([]);
  });
});

describe('context decides the severity', () => {
  it('a Google API key is info in client code and high under a server-side secret name', () => {
    expect(scanner.scan(`  apiKey: "${p.gcpKey}",`, 'src/lib/firebase.js').map((h) => h.severity)).toEqual(['info']);
    expect(scanner.scan(`GEMINI_API_KEY=${p.gcpKey}`, '.env.production').map((h) => h.severity)).toEqual(['high']);
  });
  it('a JWT is medium with an expiry, high without one, unsigned, or privileged', () => {
    const h = { alg: 'HS256', typ: 'JWT' };
    expect(jwtSeverity(jwt(h, { sub: 'a', exp: 2000000000 }))).toBe('medium');
    expect(jwtSeverity(jwt(h, { sub: 'a' }))).toBe('high');
    expect(jwtSeverity(jwt({ alg: 'none' }, { sub: 'a', exp: 2000000000 }))).toBe('high');
    expect(jwtSeverity(jwt(h, { sub: 'a', exp: 2000000000, role: 'admin' }))).toBe('high');
    expect(isRealJwt(j('eyJ', rand(20), '.eyJ', rand(20), '.', rand(20)))).toBe(false);
  });
  it('a JWT in docs or tests is not reported', () => {
    const t = jwt({ alg: 'HS256' }, { sub: 'svc' });
    expect(scanner.scan(`token: ${t}`, 'docs/api.md')).toEqual([]);
    expect(scanner.scan(`token: ${t}`, 'test/auth.test.ts')).toEqual([]);
  });
});

describe('checksums', () => {
  it('the base-62 CRC32 of GitHub/npm tokens accepts the real shape and rejects a one-character change', () => {
    expect(base62Crc32Ok(npmToken)).toBe(true);
    expect(base62Crc32Ok(npmNearMiss)).toBe(false);
  });
});
