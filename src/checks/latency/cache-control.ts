// Cache-Control parsing for the cache checks (values are untrusted and already truncated by the collector).

export interface CacheDirectives {
  public: boolean;
  private: boolean;
  noStore: boolean;
  noCache: boolean;
  maxAge?: number;
  sMaxAge?: number;
}

export function parseCacheControl(value: string | undefined): CacheDirectives {
  const d: CacheDirectives = { public: false, private: false, noStore: false, noCache: false };
  for (const part of (value ?? '').toLowerCase().split(',')) {
    const [k, v] = part.trim().split('=').map((s) => s.trim().replace(/^"|"$/g, ''));
    if (k === 'public') d.public = true;
    else if (k === 'private') d.private = true;
    else if (k === 'no-store') d.noStore = true;
    else if (k === 'no-cache') d.noCache = true;
    else if (k === 'max-age' && v && /^\d+$/.test(v)) d.maxAge = Number(v);
    else if (k === 's-maxage' && v && /^\d+$/.test(v)) d.sMaxAge = Number(v);
  }
  return d;
}
