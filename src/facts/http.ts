// HTTP facts: redirect chains walked hop by hop from http:// and https:// on every surface, with each hop's
// status, Location, headers and timing split, and the final HTML page (size-capped) for content checks.

export interface HopTiming {
  /** Milliseconds; 0 for the phases a reused connection skipped. */
  dns: number;
  connect: number;
  tls: number;
  ttfb: number;
  total: number;
  reused: boolean;
}

export interface Hop {
  url: string;
  /** Absent when the request failed (see error). */
  status?: number;
  /** Location as sent, and resolved against the hop's URL. */
  location?: string;
  locationUrl?: string;
  /** Lower-cased names; values truncated (untrusted input). Repeated headers joined with ", ". */
  headers: Record<string, string>;
  timing?: HopTiming;
  error?: { kind: 'no-address' | 'dns-failure' | 'refused' | 'timeout' | 'tls' | 'reset' | 'forbidden' | 'error'; message: string };
}

export interface RedirectChain {
  start: string;
  hops: Hop[];
  /**
   * final: ended on a non-redirect response. loop: a URL came back. too-many-hops: gave up after the hop limit.
   * error: a hop failed (its error says why). bad-location: a 3xx without a usable Location.
   */
  outcome: 'final' | 'loop' | 'too-many-hops' | 'error' | 'bad-location';
  finalUrl?: string;
  finalStatus?: number;
  /** The final page's body when it is HTML, up to the cap. */
  html?: string;
  htmlTruncated?: boolean;
}

export interface HttpSurface {
  host: string;
  domain: string;
  label: string;
  declared: boolean;
  /** The origin users should end on for this domain (from `canonical`). */
  canonicalOrigin: string;
  /** From http://host/. */
  http: RedirectChain;
  /** From https://host/. */
  https: RedirectChain;
  /** From http://host/<probe path>?<probe query>: shows whether redirects keep path and query. */
  probe: RedirectChain;
}

/** The path and query the probe chain starts with. */
export const PROBE_PATH = '/launch-ready/path-probe';
export const PROBE_QUERY = 'lr=1';
