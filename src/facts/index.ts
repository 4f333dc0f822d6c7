// The fact map: every kind of fact a collector can produce and a check can require, by key.
import type { DeployFacts, EnvironmentFacts } from './deploy.js';
import type { HostResolution, TargetHost, ZoneFacts } from './dns.js';
import type { EmailDomainFacts } from './email.js';
import type { HygieneFacts, RepoOptions } from './hygiene.js';
import type { SecretsFacts } from './secrets.js';
import type { HttpSurface } from './http.js';
import type { TlsEndpoint } from './tls.js';
import type { DatabaseFacts, DatabaseTarget } from './database.js';
import type { FlowRun, FlowsTarget } from './flows.js';
import type { AiRun, AiTarget } from './ai.js';
import type { EdgeFacts } from './edge.js';
import type { LatencyFacts, LatencyOptions, TargetEndpoint } from './latency.js';
import type { LoadFact, LoadOptions } from './load.js';
import type { TakeoverProbe } from './takeover.js';
import type { DiscoverOptions, DiscoveryFacts } from './discover.js';

export interface TargetDomain {
  name: string;
  canonical: 'apex' | 'www';
  hosts: TargetHost[];
  /** Other domains this one may redirect to (a redirect anywhere else is flagged). */
  redirectsTo?: string[];
}

export interface AcceptEntry {
  id: string;
  location?: string;
  reason: string;
  expires?: string;
}

/**
 * The one expiry rule for accepted risks: an acceptance holds through its expiry day (UTC, the run's date) and
 * lapses the day after. `today` is the run's YYYY-MM-DD; ISO dates compare as strings.
 */
export function acceptanceExpired(entry: Pick<AcceptEntry, 'expires'>, today: string): boolean {
  return entry.expires !== undefined && entry.expires < today;
}

/** Always present: what the user asked to audit, and the run's clock (checks never read the clock themselves). */
export interface TargetFacts {
  domains: TargetDomain[];
  /** ISO timestamp of the run's start. */
  now: string;
  configFile?: string;
  accept: AcceptEntry[];
  /** The config's email section: mail domains (default: the audited domains), DKIM selectors, sending IPs. */
  email?: { domains?: string[]; dkimSelectors?: string[]; sendingIps?: string[]; spfIncludes?: string[] };
  /** YYYY-MM-DD from the config: certificate expiry is also measured against it. */
  launchDate?: string;
  /** The git repository to scan (--repo, config repo.path, or the enclosing repository). */
  repo?: string;
  /** The config's repository options (production API URL, staging hosts). */
  repoOptions?: RepoOptions;
  /** The config's deploy-readiness options: critical paths and the coverage they need. */
  deploy?: { coverage?: { critical: string[]; min: number; report?: string } };
  /** The config's environments (production, staging...) and their hosts. */
  environments?: { name: string; hosts: string[]; owner?: string; production?: boolean }[];
  /** The config's database section: thresholds, and the URL under a symbol key (never serialized). */
  database?: DatabaseTarget;
  /** The config's flows (auth scenarios); specs with credentials under a symbol key. */
  flows?: FlowsTarget;
  /** The config's AI endpoints for red-team cases; specs with credentials under a symbol key. */
  ai?: AiTarget;
  /** The config's endpoints (budgets resolved; headers and body under a symbol key), and the latency sampling options. */
  endpoints?: TargetEndpoint[];
  latency?: LatencyOptions;
  /** The config's third-party dependencies, probed for latency beside the endpoints. */
  dependencies?: { name: string; url: string }[];
  /** Set only when the audit was asked to load-test (--load). */
  load?: LoadOptions;
  /** Non-loopback hosts the config confirms may be load-tested (load.confirm): also gates the rate-limit and retry probes. */
  loadConfirm?: string[];
  /** Names of the endpoints whose config opts in to the auth rate-limit probe (rateLimitProbe: true). */
  rateLimitProbes?: string[];
  /** Names of the write endpoints whose config opts in to the retry probe (idempotencyProbe: true). */
  idempotencyProbes?: string[];
  /** Set when discovery is on: it runs before the other collectors and adds the hosts it finds to `domains`. */
  discover?: DiscoverOptions;
}

export interface FactMap {
  target: TargetFacts;
  'dns.hosts': HostResolution[];
  'dns.zones': ZoneFacts[];
  'email.domains': EmailDomainFacts[];
  'secrets.scan': SecretsFacts;
  'hygiene.repo': HygieneFacts;
  'tls.endpoints': TlsEndpoint[];
  'http.surfaces': HttpSurface[];
  'deploy.repo': DeployFacts;
  'deploy.environments': EnvironmentFacts[];
  'database.postgres': DatabaseFacts;
  'flows.runs': FlowRun[];
  'ai.runs': AiRun[];
  'latency.endpoints': LatencyFacts;
  'load.ramp': LoadFact;
  'edge.http': EdgeFacts;
  'dns.takeover': TakeoverProbe[];
  'dns.discovery': DiscoveryFacts;
}

export type FactKey = keyof FactMap;

/** A collector that failed as a whole yields this instead of its fact. */
export interface FactError {
  factError: { key: FactKey; message: string };
}

export function isFactError(v: unknown): v is FactError {
  return typeof v === 'object' && v !== null && 'factError' in v;
}
