// The secrets engine on text: every provider rule finds its planted value (and only it), decoys stay quiet,
// evidence is masked, and the keyword prefilter decides which rules run at all.
import { describe, expect, it } from 'vitest';
import { entropy, isPlaceholder, printableStrings, SecretScanner, secretId } from '../../src/secrets/engine.js';
import { planted, rand } from './planted.js';

const scanner = new SecretScanner();
const p = planted();
const j = (...parts: string[]) => parts.join('');

function found(text: string, path = 'src/app.ts') {
  return scanner.scan(text, path).filter((h) => !h.allowed).map((h) => ({ rule: h.rule.id, id: h.secretId, line: h.line }));
}

const positives: [string, string, string, string?][] = [
  ['aws-access-key-id', `const id = "${p.awsKeyId}";`, p.awsKeyId],
  ['aws-secret-access-key', `aws_secret_access_key = ${p.awsSecret}`, p.awsSecret],
  ['gcp-api-key', `apiKey: "${p.gcpKey}",`, p.gcpKey],
  ['stripe-live-secret-key', `STRIPE_KEY="${p.stripeLive}"`, p.stripeLive],
  ['stripe-test-secret-key', `stripe(${JSON.stringify(p.stripeTest)})`, p.stripeTest],
  ['github-token', `token ${p.githubPat}`, p.githubPat],
  ['gitlab-token', `GITLAB=${p.gitlabPat}`, p.gitlabPat],
  ['slack-token', `bot: '${p.slackBot}'`, p.slackBot],
  ['slack-webhook', `url = "${p.slackWebhook}"`, p.slackWebhook.slice(p.slackWebhook.indexOf('T', 30))],
  ['twilio-api-key', `// twilio\nconst sid = "${p.twilioSid}";`, p.twilioSid],
  ['sendgrid-api-key', `sgMail.setApiKey('${p.sendgrid}')`, p.sendgrid],
  ['mailgun-api-key', `MAILGUN=${p.mailgun}`, p.mailgun],
  ['openai-api-key', `new OpenAI({ apiKey: "${p.openai}" })`, p.openai],
  ['anthropic-api-key', `x-api-key: ${p.anthropic}`, p.anthropic],
  ['supabase-service-role-key', `createClient(url, "${p.supabaseService}")`, p.supabaseService],
  ['database-url', `DATABASE_URL=postgres://app:${p.dbPassword}@db-1.prod.pawpost.net:5432/app`, p.dbPassword],
  ['generic-secret', `JWT_SECRET=${p.jwtSecret}`, p.jwtSecret],
  ['generic-secret', `const clientSecret = "${p.jwtSecret}";`, p.jwtSecret, 'quoted'],
  ['generic-secret', `  "signing_key": "${p.jwtSecret}",`, p.jwtSecret, 'json'],
];

describe('provider rules find planted values', () => {
  for (const [rule, text, secret, label] of positives) {
    it(`${rule}${label ? ` (${label})` : ''}`, () => {
      const hits = found(text);
      expect(hits.map((h) => h.rule)).toEqual([rule]);
      expect(hits[0]!.id).toBe(secretId(rule, secret));
    });
  }

  it('a PEM private key spanning lines, and its JSON-escaped form in a service account file', () => {
    const hits = found(`a\n${p.pemKey}\nb`);
    expect(hits).toMatchObject([{ rule: 'private-key', line: 3 }]);
    const sa = JSON.stringify({ type: 'service_account', project_id: 'x', private_key_id: rand(40), private_key: `${p.pemKey}\n`, client_email: 'a@b.iam.gserviceaccount.com' });
    expect(found(sa, 'deploy/sa.json').map((h) => h.rule)).toEqual(['gcp-service-account']);
  });

  it('the rules not in the table above', () => {
    const azureKey = `${rand(86, `${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'}+/`)}==`;
    expect(found(`DefaultEndpointsProtocol=https;AccountName=pawpost;AccountKey=${azureKey};EndpointSuffix=core.windows.net`).map((h) => h.rule)).toEqual(['azure-storage-key']);
    expect(found(`AZURE_CLIENT_SECRET=${rand(3)}8Q~${rand(34)}`).map((h) => h.rule)).toEqual(['azure-client-secret']);
    expect(found(`"server_key": "${j('AAAA', rand(7), ':', rand(140, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'))}"`).map((h) => h.rule)).toEqual(['firebase-fcm-server-key']);
    const uuid = [8, 4, 4, 4, 12].map((n) => rand(n, '0123456789abcdef')).join('-');
    expect(found(`POSTMARK_SERVER_TOKEN=${uuid}`).map((h) => h.rule)).toEqual(['postmark-server-token']);
    expect(found(`const hook = '${j('wh', 'sec_', rand(32))}'`).map((h) => h.rule)).toEqual(['stripe-webhook-secret']);
    expect(found(`TWILIO_AUTH_TOKEN=${rand(32, '0123456789abcdef')}`).map((h) => h.rule)).toEqual(['twilio-auth-token']);
  });
});

describe('decoys stay quiet', () => {
  const decoys: [string, string, string?][] = [
    ['AWS documentation example key id', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE'],
    ['AWS documentation example secret', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['Stripe placeholder', 'STRIPE_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx'],
    ['your-key placeholder', 'API_KEY=<your-key>'],
    ['changeme', 'PASSWORD=changeme'],
    ['template interpolation', 'DB_PASSWORD=${DB_PASSWORD}'],
    ['database URL with a template password', 'DATABASE_URL=postgres://app:${DB_PASSWORD}@db.pawpost.net/app'],
    ['local dev database password', 'DATABASE_URL=postgres://postgres:postgres@localhost:5432/dev'],
    ['a type annotation', 'interface S { token: string; password: string }'],
    ['reading from the environment', 'const secret = process.env.JWT_SECRET;'],
    ['a function call', 'const token = await getAccessToken(user);'],
    ['a config reference', 'const key = "config.stripe.secretKey"'],
    ['an env var name as value', 'secretName: "STRIPE_SECRET_KEY"'],
    ['a URL path', 'const tokenUrl = "/oauth/token/refresh";'],
    ['Supabase anon key (public by design)', `const anon = "${p.supabaseAnon}"`],
    ['a PEM placeholder', '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----'],
    ['a public key', `-----BEGIN PUBLIC KEY-----\n${rand(64)}\n-----END PUBLIC KEY-----`],
    ['low-entropy generic', 'API_TOKEN=aaaaaaaabbbbbbbb'],
    ['a generic secret in a test fixture', `JWT_SECRET=${p.jwtSecret}`, 'test/fixtures/env.txt'],
    ['an integrity hash in a lockfile', `"integrity": "sha512-${rand(86)}==", "token": "${rand(30)}"`, 'package-lock.json'],
    ['a word-like constant named like a token', 'lastSignificantToken = "?NoLineTerminatorHere";'],
    ['a password in a README code sample', `var password = '${rand(32)}';`, 'docs-site/README.md'],
    ['a generic value in a bundled dist file', `const apiKey = "${rand(32)}";`, 'web/dist/main.js'],
    ['a private key fixture in tests', p.pemKey, 'test/fixtures/key.pem'],
    ['the id of a key, not the key', `"private_key_id": "${rand(40, '0123456789abcdef')}"`],
  ];
  for (const [name, text, path] of decoys) {
    it(name, () => expect(found(text, path)).toEqual([]));
  }
});

describe('engine behaviour', () => {
  it('an inline launch-ready-allow comment suppresses the line (counted as allowed)', () => {
    const hits = scanner.scan(`const k = "${p.stripeLive}"; // launch-ready-allow: rotated 2026-01\nconst g = "${p.githubPat}";`, 'a.ts');
    expect(hits.map((h) => [h.rule.id, h.allowed])).toEqual([['stripe-live-secret-key', true], ['github-token', false]]);
  });

  it('evidence masks every value on the line, and no hit carries the raw value', () => {
    const hits = scanner.scan(`pair = "${p.stripeLive}" "${p.githubPat}"`, 'a.ts');
    expect(hits).toHaveLength(2);
    const serialized = JSON.stringify(hits);
    expect(serialized).not.toContain(p.stripeLive);
    expect(serialized).not.toContain(p.githubPat);
    expect(hits[0]!.evidence).toMatch(/^pair = "sk_l…\[redacted, 32 chars\]" "ghp_…/);
    expect(hits[1]!.evidence).toBe('pair = "sk_l…[redacted, 32 chars]" "ghp_…[redacted, 40 chars]"');
  });

  it('evidence is a short window around the secret, not the whole line', () => {
    const unrelated = rand(40);
    const [hit] = scanner.scan(`const cfg = { "k": "${unrelated}", ${'pad: 1, '.repeat(10)}stripe: "${p.stripeLive}", more: ${'x, '.repeat(20)} };`, 'a.ts');
    expect(hit!.evidence).not.toContain(unrelated.slice(0, 8));
    expect(hit!.evidence).toBe('…ad: 1, pad: 1, pad: 1, pad: 1, pad: 1, stripe: "sk_l…[redacted, 32 chars]", more: x, x, x, x, x,…');
  });

  it('a multi-line key is masked on every line it touches', () => {
    const hits = scanner.scan(`k = """${p.pemKey}"""`, 'a.py');
    const body = p.pemKey.split('\n').slice(1, -1);
    expect(hits).toHaveLength(1);
    for (const line of body) expect(hits[0]!.evidence).not.toContain(line.slice(0, 12));
  });

  it('the prefilter runs only the rules whose keywords occur', () => {
    expect(scanner.candidates('nothing to see here').map((r) => r.id)).toEqual([]);
    expect(scanner.candidates('ghp_ and sk_live_').map((r) => r.id)).toEqual(['stripe-live-secret-key', 'github-token']);
  });

  it('line numbers count from the start of the text', () => {
    expect(found(`a\nb\n\nx = "${p.githubPat}"`)[0]!.line).toBe(4);
  });

  it('a public-by-design key is downgraded in its config file', () => {
    const [hit] = scanner.scan(`"current_key": "${p.gcpKey}"`, 'android/app/google-services.json');
    expect(hit!.publicByDesign).toBe(true);
  });

  it('entropy, placeholders and binary strings', () => {
    expect(entropy('aaaa')).toBe(0);
    expect(entropy('abcd')).toBe(2);
    expect(isPlaceholder('sk_live_xxxxxxxxxxxxxxxx')).toBe(true);
    expect(isPlaceholder('abcabcabcabc')).toBe(true);
    expect(isPlaceholder(p.stripeLive)).toBe(false);
    const buf = Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(`key=${p.githubPat}`), Buffer.from([0, 255, 7]), Buffer.from('short')]);
    expect(printableStrings(buf)).toBe(`key=${p.githubPat}`);
  });
});
