// Edge-safety facts: the extra requests the headers area makes beyond the redirect chains — a cross-origin request
// per surface and endpoint (CORS), a random path (catch-all baseline, error page), well-known exposed files, served
// assets, the source maps of the same-site scripts, every configured endpoint's response, and the opt-in auth
// rate-limit probes.

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
  | 'phpinfo' | 'actuator' | 'debug-page' | 'admin-page';

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
  /**
   * Each same-site script of the home page (bounded; an http:// one fetched over https) and what its source map
   * turned out to be. Absent in facts recorded before source maps were collected.
   */
  sourceMaps?: ScriptSourceMap[];
  error?: string;
}

export interface ScriptSourceMap {
  /** The script's URL as fetched (https:// for an http:// reference on the same site). */
  script: string;
  /** Where the map's location came from; 'guess' is the conventional <script>.map tried when nothing names one. */
  via: MapVia;
  /** The map's URL; for an inline (data:) map the script's URL. */
  url: string;
  inline: boolean;
  /**
   * map: a real source map (see map). not-found: the map request answered non-2xx. html: a page (an SPA's fallback
   * 200) where the map should be. not-json / not-a-map: something else. no-script: the script itself could not be
   * fetched. other-site: the map lives on another site and was not fetched. error: the map request failed.
   */
  outcome: 'map' | 'not-found' | 'html' | 'not-json' | 'not-a-map' | 'no-script' | 'other-site' | 'error';
  /** Status of the map request (or of the script's, for no-script). */
  status?: number;
  error?: string;
  /** Bytes of the map read, and whether it went on past the size cap. */
  bytes?: number;
  truncated?: boolean;
  map?: SourceMapInfo;
  /** Secrets the secrets rules found in the map's original sources (masked; dependencies' sources not scanned). */
  secrets: SourceMapSecret[];
}

/** Where a script's map location came from: the SourceMap header, the legacy X-SourceMap, the comment, a guess. */
export type MapVia = 'header' | 'x-header' | 'comment' | 'guess';

export interface SourceMapInfo {
  /** The `version` field (3 for every current tool); absent when the map has none. */
  version?: number;
  /** Original files the map names (all sections of an index map together). */
  sources: number;
  /** Of those, files whose full text is inside the map (non-empty `sourcesContent` entries). */
  withContent: number;
  /** A few source paths as written (e.g. webpack://app/src/api/admin.ts). */
  sample: string[];
  /** The map was cut at the size cap: counts are of the part read. */
  partial?: boolean;
}

export interface SourceMapSecret {
  /** The original file as the map names it. */
  source: string;
  line: number;
  ruleId: string;
  description: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  /** Short prefix and length. */
  masked: string;
  /** Stable hash of the value under its rule (the same value in a bundle has the same id). */
  secretId: string;
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
