// Edge-safety facts: the extra requests the headers area makes beyond the redirect chains — a cross-origin request
// per surface and endpoint (CORS), a random path (catch-all baseline, error page), well-known exposed files, served
// assets and their source maps, every configured endpoint's response, and the opt-in auth rate-limit probes.

export interface EdgeResponse {
  url: string;
  method: string;
  /** Absent when the request failed (see error). */
  status?: number;
  /** Lower-cased names; values truncated. Repeated headers joined with ", " (set-cookie: see cookies). */
  headers: Record<string, string>;
  /** Each Set-Cookie header as sent (truncated). */
  cookies: string[];
  /** The start of the body (text, capped): enough to recognise a file, a stack trace or a version string. */
  body?: string;
  /** Bytes read (up to the cap) and whether the body went on past it. */
  bodyBytes: number;
  bodyTruncated: boolean;
  /** sha256 (hex, 16 chars) of the bytes read: tells a catch-all page from a real file. */
  bodyHash?: string;
  /** The first bytes in hex: file signatures (.DS_Store, zip, gzip) are binary. */
  magic?: string;
  ms?: number;
  /** Request headers that carried credentials (names only): a shared cache must not store such answers. */
  sentCredentials?: string[];
  error?: string;
}

export interface ExposedProbe {
  path: string;
  /** What a real file at this path looks like; the check compares it with the body. */
  kind: ExposedKind;
  response: EdgeResponse;
}

export type ExposedKind =
  | 'env' | 'git-config' | 'git-head' | 'ds-store' | 'config-json' | 'sql-dump' | 'archive' | 'server-status'
  | 'phpinfo' | 'actuator' | 'debug-page' | 'admin-page' | 'source-map';

export interface EdgeSurface {
  host: string;
  /** The origin probed (https:// when the surface answers HTTPS, else http://); absent when it answered neither. */
  origin?: string;
  /** Whether this looks like an API surface (api.* host, JSON answer): CORS matters most there. */
  api: boolean;
  /** GET / with a foreign Origin header. */
  cors?: EdgeResponse;
  /** On API surfaces: an OPTIONS preflight from the foreign Origin asking for a credentialed POST. */
  preflight?: EdgeResponse;
  /** The foreign origin sent. */
  corsOrigin: string;
  /** GET of a random path that cannot exist: the catch-all baseline and the error page. */
  notFound?: EdgeResponse;
  exposed: ExposedProbe[];
  /** Same-origin scripts and stylesheets the home page loads (bounded), fetched with their headers. */
  assets: EdgeResponse[];
  /** Secrets found in the served scripts by the secrets rules (masked: the raw value never leaves the collector). */
  bundleSecrets: BundleSecret[];
  error?: string;
}

export interface BundleSecret {
  url: string;
  ruleId: string;
  description: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  /** Short prefix and length. */
  masked: string;
  /** Stable hash of the value under its rule: the finding's identity across runs. */
  secretId: string;
  line: number;
  /** The line with the secret masked, cut short. */
  evidence: string;
}

export interface RateLimitProbe {
  /** Requests sent (stops at the first limited answer). */
  sent: number;
  max: number;
  /** 1-based number of the first limited answer, or null when none was. */
  limitedAt: number | null;
  /** What showed the limit: '429', 'retry-after', 'ratelimit-remaining: 0'. */
  signal?: string;
  /** A limit the server advertised (RateLimit-Limit / X-RateLimit-Limit) even when not reached. */
  advertisedLimit?: number;
  statuses: number[];
  /** Why the probe was not run (unconfirmed non-loopback host, request failure). */
  skipped?: string;
  error?: string;
}

export interface EdgeEndpoint {
  name: string;
  url: string;
  method: string;
  kind: 'read' | 'auth' | 'write';
  budgetP95Ms?: number;
  cacheable?: boolean;
  health: boolean;
  /** The endpoint as configured (GET/HEAD only: writes are never replayed outside the opt-in probe). */
  response?: EdgeResponse;
  /** The same request with a foreign Origin header. */
  cors?: EdgeResponse;
  /** An OPTIONS preflight from the foreign Origin for the endpoint's method with an Authorization header. */
  preflight?: EdgeResponse;
  corsOrigin: string;
  rateLimit?: RateLimitProbe;
}

export interface EdgeFacts {
  surfaces: EdgeSurface[];
  endpoints: EdgeEndpoint[];
}
