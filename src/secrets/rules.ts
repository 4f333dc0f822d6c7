// Secret detection rules as data: keywords for the prefilter, a regex whose `secret` group is the value, an optional
// entropy floor, the severity of a leak, and where to rotate it. Pure data: the engine and the checks both read it.
import type { Severity } from '../types.js';

export interface SecretRule {
  id: string;
  /** What the secret is, for reports. */
  description: string;
  /** Lower-case substrings; the rule's regex runs only on text that contains one of them. */
  keywords: readonly string[];
  /** Must have the `g` flag and a named group `secret`. */
  regex: RegExp;
  /** Minimum Shannon entropy (bits per character) of the secret; below it the match is a placeholder. */
  entropy?: number;
  severity: Severity;
  /** Where and how to rotate it. */
  rotate: string;
  /** A structural test a plain regex cannot express (e.g. a JWT's role claim). */
  verify?: (secret: string) => boolean;
  /** Broad rules (generic assignments): also skipped in docs, bundles and vendored code, and held to stricter tests. */
  generic?: boolean;
  /** Skipped in tests, fixtures, examples and lockfiles, where such values are mostly made-up fixtures. */
  quietInTests?: boolean;
  /** Files where this value is public by design: a match there is downgraded to low. */
  publicIn?: RegExp;
  /** Skipped in docs, bundles and vendored code (where a match is an example), without the generic value tests. */
  quietInDocs?: boolean;
  /**
   * The severity of one match when it depends on its context: `name` is the identifier the value is assigned to
   * on its line (if any). Without it, `severity` applies.
   */
  severityFor?: (secret: string, ctx: { name: string | undefined; path: string }) => Severity;
}

function jwtClaims(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const json = JSON.parse(Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as unknown;
    return typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function jwtPart(part: string | undefined): Record<string, unknown> | undefined {
  if (!part) return undefined;
  try {
    const json = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A JWT whose header and payload both decode, that is not a published sample or a public-by-design key. */
export function isRealJwt(token: string): boolean {
  const [h, p] = token.split('.');
  const header = jwtPart(h);
  const claims = jwtPart(p);
  if (!header || !claims || typeof header.alg !== 'string') return false;
  // The jwt.io debugger's sample token, copied into countless READMEs and tests.
  if (claims.sub === '1234567890' && claims.name === 'John Doe') return false;
  // Supabase's anon key ships in every browser bundle by design.
  if (claims.role === 'anon') return false;
  return true;
}

const PRIVILEGED_CLAIM = /^(?:admin|administrator|root|superuser|service_role|owner|system|\*)$/i;

/** Medium by default; high when it never expires, is unsigned, or carries privileged claims. */
export function jwtSeverity(token: string): Severity {
  const [h, p] = token.split('.');
  const header = jwtPart(h) ?? {};
  const claims = jwtPart(p) ?? {};
  if (claims.exp === undefined || String(header.alg).toLowerCase() === 'none') return 'high';
  const values = ['role', 'roles', 'scope', 'scopes', 'permissions', 'groups'].flatMap((k) => {
    const v = claims[k];
    return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(/[\s,]+/) : [];
  });
  if (values.some((v) => PRIVILEGED_CLAIM.test(v)) || claims.admin === true || claims.is_admin === true) return 'high';
  return 'medium';
}

// A Google API key is public by design in client code; only a key kept under a server-side secret name (a
// Gemini key, a `*_TOKEN`/`*_SECRET`, an upper-case env name) is treated as a credential.
const serverKeyName = (name: string) => /token|secret|server|backend|gemini|genai|generative/i.test(name) || /^[A-Z0-9_]*_(?:API_)?KEY$/.test(name);

// A value boundary: the secret must not continue into more token characters.
const END = '(?![A-Za-z0-9_\\-])';
const START = '(?<![A-Za-z0-9_\\-])';
// Quote, `=`, `:` or whitespace between a name and its value (`KEY="v"`, `key: v`, `"key": "v"`).
const ASSIGN = `["'\\x60]?\\s*(?:=|:=|:|=>|,)\\s*["'\\x60]?`;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(s: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < s.length; i++) c = CRC_TABLE[(c ^ s.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The checksum GitHub and npm put in their tokens: the last 6 characters are the CRC32 of the 30-character random
 * part, in base 62, left-padded with zeros. A near-miss shape (one changed character) fails it.
 */
export function base62Crc32Ok(token: string): boolean {
  const body = token.slice(token.indexOf('_') + 1);
  if (body.length !== 36) return false;
  let n = crc32(body.slice(0, 30));
  let check = '';
  for (let i = 0; i < 6; i++) { check = BASE62[n % 62]! + check; n = Math.floor(n / 62); }
  return check === body.slice(30);
}

/** A provider token recognised by its documented prefix, length and alphabet alone, anywhere on a line. */
function prefixed(
  id: string, description: string, keywords: string[], pattern: string, severity: Severity, rotate: string,
  opts: { entropy?: number; verify?: (secret: string) => boolean } = {},
): SecretRule {
  return {
    id, description, keywords, severity, rotate,
    regex: new RegExp(`${START}(?<secret>${pattern})${END}`, 'g'),
    ...(opts.entropy !== 0 ? { entropy: opts.entropy ?? 3 } : {}),
    ...(opts.verify ? { verify: opts.verify } : {}),
  };
}

const GENERIC_KEYWORDS = ['secret', 'token', 'passw', 'pwd', 'api_key', 'apikey', 'api-key', '_key', 'signing', 'credential', 'auth', 'creds'];

export const SECRET_RULES: readonly SecretRule[] = [
  {
    id: 'gcp-service-account',
    description: 'Google Cloud service account private key',
    keywords: ['service_account'],
    regex: /"type"\s*:\s*"service_account"[\s\S]{0,2000}?"private_key"\s*:\s*"(?<secret>-----BEGIN [A-Z ]*PRIVATE KEY-----[^"]{64,}?-----END [A-Z ]*PRIVATE KEY-----(?:\\n)?)"/g,
    severity: 'critical',
    rotate: 'Google Cloud console → IAM & Admin → Service accounts → the account → Keys: delete this key and create a new one; audit the account\'s recent activity in Cloud Logging.',
  },
  {
    id: 'private-key',
    description: 'Private key (PEM block)',
    keywords: ['private key'],
    regex: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----(?:\\n|\s)+(?<secret>(?:[A-Za-z0-9+/=:,\- ]|\\n|\r?\n){64,}?)(?:\\n|\s)*-----END/g,
    entropy: 4,
    severity: 'critical',
    quietInTests: true,
    rotate: 'Generate a new key pair, install the new public key/certificate wherever this one is trusted, then revoke the old one (re-issue the certificate if it had one).',
  },
  {
    id: 'aws-access-key-id',
    description: 'AWS access key ID',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    regex: new RegExp(`${START}(?<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})${END}`, 'g'),
    severity: 'high',
    rotate: 'AWS console → IAM → Users → Security credentials: deactivate and delete this access key, create a new one, and check CloudTrail for its use.',
  },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key',
    keywords: ['aws'],
    regex: new RegExp(`aws[A-Za-z0-9_.\\-]{0,20}?(?:secret|sk)[A-Za-z0-9_.\\-]{0,20}${ASSIGN}(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])`, 'gi'),
    entropy: 4,
    severity: 'critical',
    rotate: 'AWS console → IAM → Users → Security credentials: deactivate and delete the access key this secret belongs to, create a new one, and check CloudTrail for its use.',
  },
  {
    id: 'gcp-api-key',
    description: 'Google API key (GCP / Firebase)',
    keywords: ['aiza'],
    regex: new RegExp(`${START}(?<secret>AIza[0-9A-Za-z_\\-]{35})${END}`, 'g'),
    entropy: 3.5,
    severity: 'high',
    rotate: 'Google Cloud console → APIs & Services → Credentials: regenerate the key, and restrict it to your apps (Android package/SHA-1, iOS bundle id, HTTP referrers) and to the APIs they use.',
    publicIn: /(?:^|\/)(?:google-services\.json|GoogleService-Info\.plist)$/,
    severityFor: (_s, { name }) => (name !== undefined && serverKeyName(name) ? 'high' : 'info'),
  },
  {
    id: 'firebase-fcm-server-key',
    description: 'Firebase Cloud Messaging legacy server key',
    keywords: ['aaaa'],
    regex: new RegExp(`${START}(?<secret>AAAA[A-Za-z0-9_\\-]{7}:[A-Za-z0-9_\\-]{140})${END}`, 'g'),
    severity: 'critical',
    rotate: 'Firebase console → Project settings → Cloud Messaging: delete the legacy server key and move to the HTTP v1 API with a service account.',
  },
  {
    id: 'azure-storage-key',
    description: 'Azure storage account key',
    keywords: ['accountkey'],
    regex: /AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)/gi,
    severity: 'critical',
    rotate: 'Azure portal → the storage account → Security + networking → Access keys: rotate the key, then update every connection string.',
  },
  {
    id: 'azure-client-secret',
    description: 'Azure AD (Entra ID) client secret',
    keywords: ['q~'],
    regex: new RegExp(`(?<![A-Za-z0-9_\\-~.,@])(?<secret>[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.\\-]{31,34})${END}`, 'g'),
    entropy: 3.5,
    severity: 'critical',
    rotate: 'Azure portal → Microsoft Entra ID → App registrations → the app → Certificates & secrets: delete this client secret and create a new one.',
  },
  {
    id: 'stripe-live-secret-key',
    description: 'Stripe live secret or restricted key',
    keywords: ['sk_live_', 'rk_live_'],
    regex: new RegExp(`${START}(?<secret>[sr]k_live_[0-9A-Za-z]{20,247})${END}`, 'g'),
    entropy: 3.5,
    severity: 'critical',
    rotate: 'Stripe Dashboard → Developers → API keys: roll the key (it can move real money and read customer data), then check the logs for calls you did not make.',
  },
  {
    id: 'stripe-test-secret-key',
    description: 'Stripe test-mode secret key',
    keywords: ['sk_test_', 'rk_test_'],
    regex: new RegExp(`${START}(?<secret>[sr]k_test_[0-9A-Za-z]{20,247})${END}`, 'g'),
    entropy: 3.5,
    severity: 'low',
    rotate: 'Stripe Dashboard (test mode) → Developers → API keys: roll the test key; keep it in the environment, not in code.',
  },
  {
    id: 'stripe-webhook-secret',
    description: 'Stripe webhook signing secret',
    keywords: ['whsec_'],
    regex: new RegExp(`${START}(?<secret>whsec_[0-9A-Za-z]{32,})${END}`, 'g'),
    entropy: 3.5,
    severity: 'high',
    rotate: 'Stripe Dashboard → Developers → Webhooks → the endpoint: roll the signing secret (anyone holding it can forge events).',
  },
  {
    id: 'github-token',
    description: 'GitHub token',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    regex: new RegExp(`${START}(?<secret>(?:gh[pousr]_[0-9A-Za-z]{36}|github_pat_[0-9A-Za-z_]{82}))${END}`, 'g'),
    entropy: 3.5,
    severity: 'critical',
    rotate: 'GitHub → Settings → Developer settings → Personal access tokens (or the app\'s settings): revoke the token and create a new one with the least scope.',
  },
  {
    id: 'gitlab-token',
    description: 'GitLab token',
    // Every GitLab token kind has its own documented prefix (personal, pipeline trigger, runner, deploy, feed,
    // incoming mail, OAuth app secret, SCIM, agent, CI build, feature flags client, workspace, runner registration).
    keywords: ['glpat-', 'glptt-', 'glrt-', 'gldt-', 'glft-', 'glimt-', 'gloas-', 'glsoat-', 'glagent-', 'glcbt-', 'glffct-', 'glwt-', 'gr1348941', '_gitlab_session='],
    regex: new RegExp(`${START}(?<secret>(?:glpat|glptt|glrt|gldt|glft|glimt|glsoat|glagent|glcbt|glffct|glwt)-[0-9A-Za-z_.\\-]{20,}|gloas-[0-9A-Za-z_\\-]{64}|GR1348941[0-9A-Za-z_\\-]{20})${END}|_gitlab_session=(?<secret2>[0-9a-f]{32})${END}`, 'g'),
    entropy: 3.3,
    severity: 'critical',
    rotate: 'GitLab → Preferences → Access tokens (or the project/group/runner settings for that kind): revoke the token and create a new one.',
  },
  {
    id: 'slack-token',
    description: 'Slack token',
    keywords: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxo-', 'xoxe-', 'xoxe.', 'xapp-'],
    // Bot/user/workspace tokens carry numeric team and user ids; configuration tokens (xoxe.xoxp-1-) and their
    // refresh tokens (xoxe-1-) a long opaque body; legacy workspace tokens (xoxa-/xoxr-/xoxs-/xoxo-) a short one.
    regex: new RegExp(`${START}(?<secret>xoxe\\.xox[bp]-\\d-[0-9A-Za-z]{140,}|xoxe-\\d-[0-9A-Za-z]{140,}|xox[bpe]-\\d{8,14}-[0-9A-Za-z\\-]{10,}|xox[arso]-(?:\\d+-)?[0-9A-Za-z][0-9A-Za-z\\-]{7,}|xapp-\\d-[A-Z0-9]+-\\d+-[a-z0-9]{32,})${END}`, 'g'),
    entropy: 3,
    severity: 'critical',
    rotate: 'api.slack.com/apps → the app → OAuth & Permissions: revoke the token (or reinstall the app) and issue a new one.',
  },
  {
    id: 'slack-webhook',
    description: 'Slack incoming webhook URL',
    keywords: ['hooks.slack.com'],
    regex: /hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<secret>[A-Za-z0-9+_/-]{40,})/g,
    entropy: 3,
    severity: 'high',
    rotate: 'api.slack.com/apps → the app → Incoming Webhooks: remove this webhook and add a new one (anyone with the URL can post to the channel).',
  },
  {
    id: 'twilio-api-key',
    description: 'Twilio API key SID',
    keywords: ['twilio'],
    regex: new RegExp(`${START}(?<secret>SK[0-9a-f]{32})${END}`, 'g'),
    entropy: 3,
    severity: 'high',
    rotate: 'Twilio Console → Account → API keys & tokens: delete this key and create a new one.',
  },
  {
    id: 'twilio-auth-token',
    description: 'Twilio auth token',
    keywords: ['twilio'],
    regex: new RegExp(`twilio[A-Za-z0-9_.\\-]{0,20}?(?:auth|token|secret)[A-Za-z0-9_.\\-]{0,20}${ASSIGN}(?<secret>[0-9a-f]{32})${END}`, 'gi'),
    entropy: 3,
    severity: 'critical',
    rotate: 'Twilio Console → Account → API keys & tokens: rotate the auth token (promote the secondary token), then update your servers.',
  },
  {
    id: 'sendgrid-api-key',
    description: 'SendGrid API key',
    keywords: ['sg.'],
    regex: new RegExp(`${START}(?<secret>SG\\.[0-9A-Za-z_\\-]{22}\\.[0-9A-Za-z_\\-]{43})${END}`, 'g'),
    entropy: 3.5,
    severity: 'critical',
    rotate: 'SendGrid → Settings → API Keys: delete this key and create a new one with the least permissions (a leaked key sends phishing from your domain).',
  },
  {
    id: 'mailgun-api-key',
    description: 'Mailgun API key',
    keywords: ['key-', 'mailgun'],
    regex: new RegExp(`${START}(?<secret>key-[0-9a-f]{32}|(?<=mailgun[\\s\\S]{0,40})[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})${END}`, 'gi'),
    entropy: 3,
    severity: 'critical',
    rotate: 'Mailgun → Settings → API Security: delete this key and create a new one.',
  },
  {
    id: 'postmark-server-token',
    description: 'Postmark server token',
    keywords: ['postmark'],
    regex: new RegExp(`postmark[A-Za-z0-9_.\\-]{0,30}${ASSIGN}(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})${END}`, 'gi'),
    entropy: 3,
    severity: 'critical',
    rotate: 'Postmark → the server → API Tokens: regenerate the server token.',
  },
  {
    id: 'anthropic-api-key',
    description: 'Anthropic API key',
    keywords: ['sk-ant-'],
    // Anthropic keys are a 93-character body followed by `AA`.
    regex: new RegExp(`${START}(?<secret>sk-ant-(?:api|admin)\\d\\d-[0-9A-Za-z_\\-]{93}AA)${END}`, 'g'),
    entropy: 4,
    severity: 'critical',
    rotate: 'console.anthropic.com → Settings → API keys: disable and delete the key, create a new one, and check usage for calls you did not make.',
  },
  {
    id: 'openai-api-key',
    description: 'OpenAI API key',
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 't3blbkfj'],
    regex: new RegExp(`${START}(?<secret>sk-(?:proj|svcacct|admin)-[0-9A-Za-z_\\-]{40,200}|sk-[0-9A-Za-z]{20}T3BlbkFJ[0-9A-Za-z]{20})${END}`, 'g'),
    entropy: 4,
    severity: 'critical',
    rotate: 'platform.openai.com → API keys: revoke the key, create a new one, and check usage for calls you did not make.',
  },
  {
    id: 'supabase-service-role-key',
    description: 'Supabase service-role key (bypasses row-level security)',
    keywords: ['eyj', 'sb_secret_'],
    regex: new RegExp(`${START}(?<secret>eyJ[0-9A-Za-z_\\-]{10,}\\.eyJ[0-9A-Za-z_\\-]{20,}\\.[0-9A-Za-z_\\-]{20,}|sb_secret_[0-9A-Za-z_\\-]{20,})${END}`, 'g'),
    entropy: 3.5,
    severity: 'critical',
    rotate: 'Supabase dashboard → Project settings → API: rotate the JWT secret / service-role key (it bypasses every row-level security policy), then redeploy your servers.',
    verify: (s) => s.startsWith('sb_secret_') || jwtClaims(s)?.role === 'service_role',
  },
  ...[
    prefixed('huggingface-token', 'Hugging Face access token', ['hf_', 'api_org_'], '(?:hf_|api_org_)[A-Za-z]{34}', 'critical',
      'huggingface.co → Settings → Access Tokens: invalidate and refresh the token (or the organization API token).'),
    prefixed('doppler-token', 'Doppler token', ['dp.pt.', 'dp.st.', 'dp.ct.', 'dp.sa.', 'dp.scim.', 'dp.audit.'], 'dp\\.(?:pt|st|ct|sa|scim|audit)\\.[A-Za-z0-9]{40,44}', 'critical',
      'Doppler dashboard → the project → Access: revoke the token and issue a new one.'),
    prefixed('shopify-token', 'Shopify app token or shared secret', ['shpat_', 'shpca_', 'shppa_', 'shpss_'], 'shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}', 'critical',
      'Shopify admin → Apps → the app → API credentials: rotate the access token or shared secret.'),
    prefixed('heroku-api-key', 'Heroku API key', ['hrku-'], 'HRKU-AA[0-9A-Za-z_\\-]{58}', 'critical',
      'Heroku Dashboard → Account settings → Applications / API key: revoke the authorization and create a new one.'),
    prefixed('flyio-token', 'Fly.io access token', ['fo1_', 'fm1a_', 'fm1r_', 'fm2_'], '(?:fo1_[A-Za-z0-9_\\-]{43}|fm1[ar]_[A-Za-z0-9+/=_\\-]{100,}|fm2_[A-Za-z0-9+/=_\\-]{100,})', 'critical',
      'fly.io dashboard → Tokens (or `fly tokens revoke`): revoke the token and create a new one with the least scope.'),
    prefixed('pulumi-token', 'Pulumi access token', ['pul-'], 'pul-[a-f0-9]{40}', 'critical',
      'app.pulumi.com → Settings → Access Tokens: delete the token and create a new one.'),
    prefixed('vault-token', 'HashiCorp Vault token', ['hvs.', 'hvb.', 'hvr.'], '(?:hvs\\.[A-Za-z0-9_\\-]{24,}|hvb\\.[A-Za-z0-9_\\-]{100,}|hvr\\.[A-Za-z0-9_\\-]{24,})', 'critical',
      'Vault: `vault token revoke` the token (and its children), then issue a new one with a short TTL.'),
    prefixed('terraform-cloud-token', 'Terraform Cloud / HCP API token', ['.atlasv1.'], '[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=\\-]{60,70}', 'critical',
      'app.terraform.io → User settings → Tokens: delete the token and create a new one.'),
    prefixed('sentry-token', 'Sentry auth token', ['sntrys_', 'sntryu_'], '(?:sntrys_eyJ[A-Za-z0-9+/=]{30,}_[A-Za-z0-9+/]{43}|sntryu_[a-f0-9]{64})', 'critical',
      'sentry.io → Settings → Auth Tokens (or the organization\'s tokens): revoke the token and create a new one.'),
    prefixed('digitalocean-token', 'DigitalOcean token', ['doo_v1_', 'dop_v1_', 'dor_v1_'], 'do[opr]_v1_[a-f0-9]{64}', 'critical',
      'DigitalOcean control panel → API → Tokens: delete the token and generate a new one.'),
    prefixed('databricks-token', 'Databricks personal access token', ['dapi'], 'dapi[a-f0-9]{32}(?:-\\d)?', 'critical',
      'Databricks workspace → User settings → Developer → Access tokens: revoke the token and create a new one.'),
    prefixed('linear-api-key', 'Linear API key', ['lin_api_'], 'lin_api_[A-Za-z0-9]{40}', 'high',
      'Linear → Settings → API: revoke the key and create a new one.'),
    prefixed('resend-api-key', 'Resend API key', ['re_'], 're_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}', 'critical',
      'resend.com → API Keys: delete the key and create a new one (a leaked key sends mail as your domain).'),
    prefixed('age-secret-key', 'age encryption secret key', ['age-secret-key-1'], 'AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}', 'critical',
      'Generate a new age identity, re-encrypt what the old one protected to the new recipient, and delete the old key.', { entropy: 0 }),
    prefixed('atlassian-api-token', 'Atlassian API token', ['atatt'], 'ATATT3[A-Za-z0-9_\\-=]{186}', 'critical',
      'id.atlassian.com → Security → API tokens: revoke the token and create a new one.'),
    prefixed('grafana-token', 'Grafana Cloud or service account token', ['glc_', 'glsa_'], '(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})', 'critical',
      'Grafana → Administration → Service accounts (or Grafana Cloud → Access Policies): delete the token and create a new one.'),
    prefixed('newrelic-key', 'New Relic API or ingest key', ['nrak-', 'nrii-', 'nrjs-'], '(?:NRAK-[A-Z0-9]{27}|NRII-[A-Za-z0-9\\-]{32}|NRJS-[a-f0-9]{19})', 'high',
      'New Relic → API keys: delete the key and create a new one.'),
    prefixed('planetscale-token', 'PlanetScale password or token', ['pscale_'], 'pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.=\\-]{32,64}', 'critical',
      'PlanetScale → the database → Settings → Passwords (or Organization → Service tokens): delete it and create a new one.'),
    prefixed('1password-token', '1Password service account token or secret key', ['ops_eyj', 'a3-'], '(?:ops_eyJ[A-Za-z0-9+/=]{250,}|A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})', 'critical',
      '1Password → Developer → Service accounts: revoke the token (or, for a Secret Key, sign in and regenerate it) and review vault access.'),
    prefixed('perplexity-api-key', 'Perplexity API key', ['pplx-'], 'pplx-[A-Za-z0-9]{48}', 'high',
      'perplexity.ai → Settings → API: revoke the key and create a new one.'),
    prefixed('square-access-token', 'Square access token', ['eaaa', 'sq0atp-', 'sq0csp-'], '(?:EAAA[A-Za-z0-9_\\-]{60}|sq0atp-[0-9A-Za-z_\\-]{22}|sq0csp-[0-9A-Za-z_\\-]{43})', 'critical',
      'Square Developer Dashboard → the application → Credentials: replace the access token or application secret.'),
    prefixed('facebook-access-token', 'Facebook (Meta) access token', ['eaa'], 'EAA[A-Za-z0-9]{100,}', 'high',
      'Meta for Developers → the app → Settings / Access tokens: invalidate the token (change the app secret for app tokens).'),
    prefixed('dropbox-token', 'Dropbox access token', ['sl.'], 'sl\\.[A-Za-z0-9_\\-]{130,160}', 'high',
      'Dropbox App Console → the app: revoke the token (sign-out of the linked app) and issue a new one.'),
    prefixed('mapbox-secret-token', 'Mapbox secret token', ['sk.eyj'], 'sk\\.eyJ[A-Za-z0-9_\\-]{20,}\\.[A-Za-z0-9_\\-]{20,}', 'high',
      'account.mapbox.com → Access tokens: delete the secret token and create a new one.'),
    prefixed('airtable-pat', 'Airtable personal access token', ['pat'], 'pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}', 'high',
      'airtable.com/create/tokens: regenerate or delete the token.'),
    prefixed('cloudflare-origin-ca-key', 'Cloudflare Origin CA key', ['v1.0-'], 'v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}', 'high',
      'Cloudflare dashboard → My Profile → API Tokens → Origin CA Key: view and change the key.'),
    prefixed('npm-token', 'npm access token', ['npm_'], 'npm_[A-Za-z0-9]{36}', 'critical',
      'npmjs.com → Access Tokens: delete the token and create a granular one; check the packages it could publish.', { verify: base62Crc32Ok }),
    prefixed('pypi-token', 'PyPI upload token', ['pypi-ageichlwas5vcmc'], 'pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\\-]{50,}', 'critical',
      'pypi.org → Account settings → API tokens: remove the token and create one scoped to a single project.'),
    prefixed('discord-bot-token', 'Discord bot token', ['discord'], '[MNO][A-Za-z\\d]{23,25}\\.[\\w\\-]{6}\\.[\\w\\-]{27,38}', 'critical',
      'discord.com/developers → the application → Bot: reset the token.'),
  ],
  {
    id: 'azure-sas-token',
    description: 'Azure shared access signature (SAS) URL',
    keywords: ['sig='],
    // A SAS URL: service version, permissions and the signature; the signature is what grants access.
    regex: /[?&]sv=\d{4}-\d\d-\d\d[^\s"'<>]*?[?&]sig=(?<secret>[A-Za-z0-9%+/]{30,}(?:%3D|=){0,2})/gi,
    severity: 'critical',
    rotate: 'Azure portal → the storage account → Access keys: rotate the key the SAS was signed with (or revoke the stored access policy), then issue short-lived SAS URLs from the server.',
  },
  {
    id: 'authorization-header',
    description: 'Credentials in an HTTP Authorization header',
    keywords: ['authorization', 'api-key:', 'apikey:'],
    // `-H "Authorization: Bearer …"`, `--header 'Authorization: Basic …'`, `-H "X-…-ApiKey: …"` in scripts and logs.
    regex: /(?:authorization|x-[\w-]*api-?key|api-key)["']?[ \t]*:[ \t]*["']?(?:(?:basic|bearer|token|apikey)[ \t]+)?(?<secret>[A-Za-z0-9+/=_.~@-]{12,})(?=["'\s,;)}\\]|$)/gi,
    entropy: 3,
    severity: 'high',
    quietInTests: true,
    quietInDocs: true,
    rotate: 'Rotate the credential at the service that issued it, and read it from the environment in scripts.',
    // A variable or a member chain (`authToken`, `config.auth.header`) is a reference, not a credential.
    verify: (s) => !(/^[A-Za-z_$][\w$]*(?:\.[\w$]+)*$/.test(s) && (!/\d/.test(s) || s.includes('.'))) && (!/^eyJ[\w-]*\.eyJ/.test(s) || isRealJwt(s)),
  },
  {
    id: 'curl-user-password',
    description: 'Credentials on a curl command line (-u user:password)',
    keywords: ['-u ', '--user '],
    // The whole `user:password` pair is the value: either half alone may be the secret part (`-u ":pass"`).
    regex: /(?:^|\s)(?:-u|--user)[ \t]*(?<q>["']?)(?<secret>[^\s:"']*:(?:'[^\s']+'|"[^\s"]+"|[^\s"']*))\k<q>(?=\s|$)/g,
    entropy: 2.5,
    severity: 'high',
    quietInTests: true,
    quietInDocs: true,
    // `-u 1000:1000` is a uid:gid, `-u user:$PASS` reads the environment.
    // `-u user:token`, `-u neo4j:[PASSWORD]` are documentation; the secret half must look random.
    verify: (s) => {
      if (s.length < 8 || /^\d+:\d+$/.test(s) || /\$[A-Za-z_{(]|[[\]<>]/.test(s)) return false;
      const [user = '', ...rest] = s.split(':');
      const pass = rest.join(':').replace(/^["']|["']$/g, '') || user;
      return /[^A-Za-z]/.test(pass) || (/[a-z]/.test(pass) && /[A-Z]/.test(pass) && pass.length >= 10);
    },
    rotate: 'Change the password at the service, and pass credentials to curl from a netrc file or the environment.',
  },
  {
    id: 'jwt',
    description: 'JSON Web Token',
    keywords: ['eyj'],
    regex: new RegExp(`${START}(?<secret>eyJ[0-9A-Za-z_\\-]{8,}\\.eyJ[0-9A-Za-z_\\-]{8,}\\.[0-9A-Za-z_\\-]*)${END}`, 'g'),
    severity: 'medium',
    quietInTests: true,
    quietInDocs: true,
    verify: isRealJwt,
    severityFor: (s) => jwtSeverity(s),
    rotate: 'Revoke the token at its issuer (or rotate the signing key so it stops verifying), give the client a short-lived token at run time instead, and check what it was used for.',
  },
  {
    id: 'database-url',
    description: 'Database URL with a password',
    keywords: ['://'],
    quietInTests: true,
    regex: /(?<![A-Za-z0-9+])(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|cockroachdb):\/\/[^:\s/'"@`]*:(?<secret>[^@\s'"/`]{3,})@(?<host>[^\s/'"`:?,]+)/gi,
    severity: 'critical',
    rotate: 'Change the database user\'s password (or create a new user and drop this one), update the connection string in your secret store, and restrict network access to the database.',
  },
  {
    id: 'generic-secret',
    description: 'Secret-looking value assigned to a secret-like name',
    keywords: GENERIC_KEYWORDS,
    // One rule for the assignment syntaxes of every language and config format: `=`, `:=`, `::=`/`:::=`/`?=`
    // (Makefile), `.=` (PHP), `+=`, `=>`, `:`, a typed Go/TS declaration (`var x string = "…"`), and a call that
    // pairs a name with a value (`System.setProperty("X_TOKEN", "…")`). The value is quoted (also with escaped
    // quotes, inside a JSON string) or runs to the end of the line, a `#` comment or an escaped `\n` (a config
    // file embedded in a JSON string), so `token = getToken()` is not one. Starts at the keyword (not at a name
    // prefix) so the regex engine can skip ahead to keyword positions.
    regex: /(?<name>(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|apikey|private[_-]?key|access[_-]?key|auth[_-]?key|signing[_-]?key|credential|creds)[A-Za-z0-9_.-]*)(?:\\?["'])?(?:[ \t]*:?[ \t]*(?:string|String|str)\b)?[ \t]*(?:(?::{1,3}=|\?=|\.=|\+=|=>|=|:)[ \t]*(?:(?<q>\\?["'`])(?<secret>[^\s"'`]{8,200})\k<q>|(?<secret2>[^\s"'`;,(){}[\]\\]{8,200})(?=[ \t]*(?:\r?\n|$|\\[nrt]|#)))|,[ \t]*(?<q3>["'])(?<secret3>[^\s"'`]{8,200})\k<q3>)/gi,
    entropy: 3.3,
    severity: 'high',
    generic: true,
    quietInTests: true,
    rotate: 'Rotate this credential where it was issued, move it to your secret store or the deployment environment, and read it from the environment in code.',
  },
  {
    id: 'generic-secret-xml',
    description: 'Secret-looking value in an XML element named like a secret',
    keywords: GENERIC_KEYWORDS,
    // `<apiToken>…</apiToken>`, also with the value on its own line (Spring contexts, .NET configs, Maven settings).
    regex: /<(?<name>[A-Za-z_][\w.-]*?(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|apikey|credential)[\w.-]*)(?:[ \t][^<>]*)?>\s*(?<secret>[^\s<>"']{8,200})\s*<\/\k<name>>/gi,
    entropy: 3.3,
    severity: 'high',
    generic: true,
    quietInTests: true,
    rotate: 'Rotate this credential where it was issued, move it to your secret store or the deployment environment, and read it from the environment in code.',
  },
];

export function ruleById(id: string): SecretRule | undefined {
  return SECRET_RULES.find((r) => r.id === id);
}
