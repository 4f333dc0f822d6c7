// The one Cache-Control parser (RFC 9111 5.2), for every check that reads caching headers. Header values are
// untrusted: they are cut to a bounded length before parsing, whatever the collector already did.

/** Parsing stops here: a longer value is a hostile or broken header, and its tail is not read. */
export const MAX_CACHE_CONTROL = 2048;

/** Directive name (lower-case) to value ('' for a bare directive); a later duplicate wins. */
export function parseCacheControl(value: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!value) return out;
  for (const part of value.slice(0, MAX_CACHE_CONTROL).split(',')) {
    const m = /^\s*([a-z0-9-]+)\s*(?:=\s*"?([^",]*)"?)?\s*$/i.exec(part);
    if (m) out.set(m[1]!.toLowerCase(), m[2] ?? '');
  }
  return out;
}

/** A directive's delta-seconds (its leading digits), or undefined when absent or not a number. */
export function deltaSeconds(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : undefined;
}

export interface CacheDirectives {
  public: boolean;
  private: boolean;
  noStore: boolean;
  noCache: boolean;
  maxAge?: number;
  sMaxAge?: number;
}

/** The directives the cache checks judge, as flags and numbers. */
export function cacheDirectives(value: string | undefined): CacheDirectives {
  const cc = parseCacheControl(value);
  const maxAge = deltaSeconds(cc.get('max-age'));
  const sMaxAge = deltaSeconds(cc.get('s-maxage'));
  return {
    public: cc.has('public'), private: cc.has('private'), noStore: cc.has('no-store'), noCache: cc.has('no-cache'),
    ...(maxAge !== undefined ? { maxAge } : {}), ...(sMaxAge !== undefined ? { sMaxAge } : {}),
  };
}
