// The config file's zod schema (strict: an unknown key is an error, not silently ignored).
import { z } from 'zod';
import { AREAS, SEVERITIES } from '../types.js';
import { AiListSchema, FlowListSchema } from '../flows/schema.js';

export const DEFAULT_HOSTS = ['www', 'api', 'admin', 'app'] as const;

const hostLabel = /^(?:@|\*|[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*)$/i;
/** A DNS name of at least two labels (the config and the command line share it). */
export const domainName = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}\.?$/i;

const Ipv4 = z.ipv4({ error: 'expected an IPv4 address such as 203.0.113.10' });
const Ipv6 = z.ipv6({ error: 'expected an IPv6 address such as 2001:db8::10' });

export const HostExpectSchema = z.strictObject({
  A: z.array(Ipv4).optional().describe('The IPv4 addresses this host must resolve to (order does not matter)'),
  AAAA: z.array(Ipv6).optional().describe('The IPv6 addresses this host must resolve to'),
  CNAME: z.string().regex(domainName, 'expected a host name such as myapp.herokudns.com').optional()
    .describe('The name this host must be a CNAME to (first hop)'),
});

export const DomainSchema = z.strictObject({
  name: z.string().regex(domainName, 'expected a domain name such as example.com').describe('Registrable domain (the apex)'),
  hosts: z.array(z.string().regex(hostLabel, 'expected a host label such as "www" or "api.eu" (no dots at the ends)'))
    .optional()
    .describe('Host labels under the domain to audit besides the apex. Default: www, api, admin, app'),
  canonical: z.enum(['apex', 'www']).default('apex').describe('Which origin users should end up on'),
  expect: z.record(z.string().regex(hostLabel, 'expected a host label, or "@" for the apex'), HostExpectSchema).optional()
    .describe('Expected records per host label ("@" for the apex)'),
  redirectsTo: z.array(z.string().regex(domainName, 'expected a domain name such as example-login.com')).optional()
    .describe('Other domains this domain may redirect to (e.g. a hosted login page); any other off-domain redirect is flagged'),
});

export const EndpointSchema = z.strictObject({
  name: z.string().min(1),
  url: z.url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL such as https://api.example.com/health' }),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
  kind: z.enum(['read', 'auth', 'write']).default('read').describe('read: simple read; auth/write: heavier authenticated action'),
  budgetP95Ms: z.number().int().positive().optional().describe('p95 budget in ms. Default: 300 for read, 700 for auth and write'),
  headers: z.record(z.string(), z.string()).optional().describe('Request headers; use ${env:NAME} for secrets'),
  body: z.string().optional(),
  critical: z.boolean().optional().describe('Part of a critical flow: included in load tests'),
  cacheable: z.boolean().optional(),
  rateLimitProbe: z.boolean().optional(),
  idempotencyProbe: z.boolean().optional()
    .describe('Send this write twice with one generated Idempotency-Key to see whether the retry is deduplicated (a POST, PUT or PATCH of kind write; loopback or load.confirm hosts only)'),
}).superRefine((e, ctx) => {
  // A probe that would silently never run is a config error: say what it needs.
  if (e.idempotencyProbe && (e.kind !== 'write' || !['POST', 'PUT', 'PATCH'].includes(e.method))) {
    ctx.addIssue({ code: 'custom', path: ['idempotencyProbe'], message: `the retry probe sends a write twice: it needs "kind": "write" and method POST, PUT or PATCH (this endpoint is ${e.method}, kind ${e.kind})` });
  }
});

const severity = z.enum(SEVERITIES);

export const ConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  project: z.string().optional().describe('Product name, shown in reports'),
  launchDate: z.iso.date({ error: 'expected a date as YYYY-MM-DD' }).optional(),
  failOn: severity.optional().describe('Lowest severity that makes the verdict NO-GO. Default: high'),
  domains: z.array(DomainSchema).default([]),
  email: z.strictObject({
    domains: z.array(z.string().regex(domainName, 'expected a domain name')).optional(),
    dkimSelectors: z.array(z.string().min(1)).optional(),
    sendingIps: z.array(z.union([Ipv4, Ipv6])).optional(),
    spfIncludes: z.array(z.string().regex(domainName, 'expected a domain name such as _spf.google.com')).optional()
      .describe('SPF includes of the mail providers you send through (e.g. _spf.google.com, sendgrid.net): each must be reachable from the SPF policy'),
  }).optional(),
  endpoints: z.array(EndpointSchema).default([]),
  repo: z.strictObject({
    path: z.string().min(1).optional().describe('The git repository to scan (relative to this file). Default: the repository the command runs in'),
    apiUrl: z.string().min(1).optional()
      .describe('The production API base URL (or host) the mobile app must use, e.g. https://api.example.com'),
    stagingHosts: z.array(z.string().min(1)).optional().describe('Staging/dev host names that must not ship in production code'),
  }).optional().describe('Repository checks: secrets in the tree and the whole git history, dev URLs, API base URL, env vars'),
  database: z.strictObject({
    // The URL is a secret: its issue carries no input, so the message never quotes the value.
    url: z.string().min(1).superRefine((u, ctx) => {
      if (!/^postgres(?:ql)?:\/\//i.test(u)) ctx.addIssue({ code: 'custom', message: 'expected a postgres:// or postgresql:// URL, normally "${env:DATABASE_URL}"', input: null });
    })
      .describe('PostgreSQL connection URL, normally "${env:DATABASE_URL}" (a secret: never printed). Use a read-only role with pg_read_all_stats'),
    statementTimeoutMs: z.number().int().positive().max(60_000).optional().describe('Server-side statement_timeout of the audit session. Default: the run\'s --timeout'),
    longRunningQueryMs: z.number().int().positive().optional().describe('Report active queries running longer than this. Default: 300000 (5 minutes)'),
    idleInTransactionMs: z.number().int().positive().optional().describe('Report sessions idle inside a transaction longer than this. Default: 60000'),
    minTableRows: z.number().int().positive().optional().describe('Tables with fewer rows are never flagged for sequential scans. Default: 10000'),
  }).optional().describe('Database checks (PostgreSQL): read-only, catalog and statistics views plus EXPLAIN without ANALYZE'),
  latency: z.strictObject({
    samples: z.number().int().min(1).max(1000).optional().describe('Measured sequential requests per endpoint (default 30)'),
    warmup: z.number().int().min(0).max(50).optional().describe('Unrecorded warm-up requests per endpoint after the cold one (default 2)'),
  }).optional().describe('Endpoint latency sampling'),
  dependencies: z.array(z.strictObject({
    name: z.string().min(1).max(64),
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
  })).optional().describe('Third-party services your endpoints call (payments, auth, search): probed for latency beside the endpoints, so a slow endpoint can name the one it waits for'),
  load: z.strictObject({
    maxConcurrency: z.number().int().positive().max(10_000).optional(),
    stepDurationSec: z.number().positive().max(600).optional(),
    confirm: z.array(z.string()).optional().describe('Non-loopback hosts you confirm may be load-tested'),
  }).optional(),
  network: z.strictObject({
    resolver: z.string().optional().describe('DNS server for every query: ip or ip:port'),
    connectTo: z.array(z.string()).optional().describe('curl-style HOST1:PORT1:HOST2:PORT2 overrides'),
    timeoutMs: z.number().int().positive().max(120_000).optional().describe('Deadline for each network step'),
    ca: z.string().min(1).optional().describe('PEM file of extra trusted CA certificates (a private CA), added to Node\'s trust store'),
  }).optional(),
  coverage: z.strictObject({
    critical: z.array(z.string().min(1)).default([]).describe('Globs of the critical backend paths, e.g. src/auth/**, src/billing/**'),
    min: z.number().min(0).max(100).default(80).describe('Minimum line coverage (percent) for each critical glob'),
    report: z.string().min(1).optional().describe('Coverage report path in the repo (default: found automatically)'),
  }).optional().describe('Test coverage of critical paths, read from lcov, istanbul or Cobertura reports'),
  environments: z.array(z.strictObject({
    name: z.string().min(1).describe('production, staging, preview, ...'),
    hosts: z.array(z.string().min(1)).describe('Host names of this environment'),
    owner: z.string().optional().describe('Who is responsible for it'),
    production: z.boolean().optional().describe('Default: true when the name is prod, production or live'),
  })).optional().describe('Environments and their hosts: for the deployment map, the handover, and the staging checks'),
  monitor: z.strictObject({
    intervalSec: z.number().min(0.05).max(86_400).optional().describe('Seconds between checks (default 60)'),
    failuresBeforeAlert: z.number().int().min(1).max(100).optional().describe('Failures in a row before an alert (default 3)'),
    webhook: z.string().url().optional().describe('Slack-compatible webhook for alerts; use ${env:NAME}, it is a secret'),
    command: z.string().min(1).optional().describe('Command run on alert and recovery, with LR_WATCH_STATUS/PROBE/DETAIL/TEXT set'),
    certWarnDays: z.number().int().min(0).max(365).optional().describe('A certificate closer to expiry than this counts as failing (default 14)'),
  }).optional().describe('`launch-ready watch` settings'),
  flows: FlowListSchema.default([])
    .describe('Auth flows to run: custom steps, or the built-in templates session, password-reset and callbacks. Credentials only via ${env:NAME}'),
  ai: AiListSchema.default([])
    .describe('Chatbot/assistant endpoints to run the ~20 built-in red-team cases (and your own) against'),
  discover: z.strictObject({
    enabled: z.boolean().optional().describe('Look for hosts beyond the listed ones before auditing (default true; --no-discover turns it off)'),
    wordlist: z.string().min(1).optional().describe('File of extra host labels, one a line (relative to the config file)'),
    builtin: z.boolean().optional().describe('Use the built-in wordlist of ~1,100 common labels (default true)'),
    maxHosts: z.number().int().min(0).max(10_000).optional().describe('Discovered hosts added at most (default 200); the rest are counted'),
    maxQueries: z.number().int().positive().max(1_000_000).optional().describe('DNS queries discovery may send (default 5000)'),
    budgetMs: z.number().int().positive().max(600_000).optional().describe('Time discovery may take, ms (default 30000)'),
    axfr: z.boolean().optional().describe('Try a zone transfer (AXFR) from each nameserver (default true)'),
    pages: z.boolean().optional().describe("Read the audited hosts' start pages and redirects for hosts they link to or load (default true)"),
    repository: z.boolean().optional().describe("Read the run's repository (deploy configs, Terraform DNS records, ingress hosts, env and config files) for host names (default true)"),
    online: z.boolean().optional().describe('Ask online sources (certificate transparency search) too; off by default, as --discover-online: it tells a third party which domain you audit'),
    ctUrl: z.string().min(1).optional().describe('The certificate transparency search, a crt.sh-shaped JSON URL with a {domain} placeholder (default https://crt.sh/?q=%25.{domain}&output=json)'),
  }).optional().describe('Subdomain discovery: wordlist, zone data, certificates, pages, repository, zone transfer, online sources (opt-in)'),
  only: z.array(z.string()).optional().describe('Areas or check ids to run'),
  skip: z.array(z.string()).optional().describe('Areas or check ids to skip'),
  accept: z.array(z.strictObject({
    id: z.string().min(1).describe('Finding id (area.check-id.code) or check id (area.check-id) to accept'),
    location: z.string().optional().describe('Only where the finding location contains this (host, file, record...)'),
    reason: z.string().min(1).describe('Why this risk is accepted, and by whom'),
    expires: z.iso.date({ error: 'expected a date as YYYY-MM-DD' }).optional(),
  })).default([]),
});

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export const AREA_NAMES: readonly string[] = AREAS;
