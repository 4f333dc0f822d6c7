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

// A value boundary: the secret must not continue into more token characters.
const END = '(?![A-Za-z0-9_\\-])';
const START = '(?<![A-Za-z0-9_\\-])';
// Quote, `=`, `:` or whitespace between a name and its value (`KEY="v"`, `key: v`, `"key": "v"`).
const ASSIGN = `["'\\x60]?\\s*(?:=|:=|:|=>|,)\\s*["'\\x60]?`;

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
    regex: new RegExp(`${START}(?<secret>[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.\\-]{31,34})${END}`, 'g'),
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
    description: 'GitLab personal access token',
    keywords: ['glpat-'],
    regex: new RegExp(`${START}(?<secret>glpat-[0-9A-Za-z_\\-]{20,})${END}`, 'g'),
    entropy: 3.5,
    severity: 'critical',
    rotate: 'GitLab → Preferences → Access tokens: revoke the token and create a new one.',
  },
  {
    id: 'slack-token',
    description: 'Slack token',
    keywords: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xapp-'],
    regex: new RegExp(`${START}(?<secret>(?:xox[bpars]-[0-9]{8,14}-[0-9A-Za-z\\-]{10,}|xapp-\\d-[A-Z0-9]+-\\d+-[a-z0-9]{32,}))${END}`, 'g'),
    entropy: 3,
    severity: 'critical',
    rotate: 'api.slack.com/apps → the app → OAuth & Permissions: revoke the token (or reinstall the app) and issue a new one.',
  },
  {
    id: 'slack-webhook',
    description: 'Slack incoming webhook URL',
    keywords: ['hooks.slack.com'],
    regex: /hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<secret>T[A-Z0-9]{6,}\/[A-Z0-9]{6,}\/[A-Za-z0-9]{20,})/g,
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
    regex: new RegExp(`${START}(?<secret>sk-ant-(?:api|admin)\\d\\d-[0-9A-Za-z_\\-]{80,120})${END}`, 'g'),
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
    keywords: ['secret', 'token', 'passw', 'pwd', 'api_key', 'apikey', 'api-key', '_key', 'signing', 'credential', 'auth'],
    // The value is either quoted or runs to the end of the line (env/yaml style), so `token = getToken()` is not one.
    // Starts at the keyword (not at a name prefix) so the regex engine can skip ahead to keyword positions.
    regex: /(?<name>(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|apikey|private[_-]?key|access[_-]?key|auth[_-]?key|signing[_-]?key|credential)[A-Za-z0-9_.-]*)["']?[ \t]*(?:=|:=|:|=>)[ \t]*(?:(?<q>["'`])(?<secret>[^\s"'`]{8,200})\k<q>|(?<secret2>[^\s"'`;,(){}[\]]{8,200})[ \t]*(?=\r?\n|$))/gi,
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
