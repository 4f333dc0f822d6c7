// The one Cache-Control parser. Two copies used to disagree (the latency checks' and the edge-safety checks'); the
// cases below are where they did, and what the kept parser (cut before parsing) answers.
import { describe, expect, it } from 'vitest';
import { cacheDirectives, deltaSeconds, MAX_CACHE_CONTROL, parseCacheControl } from '../../src/derive/cache-control.js';

describe('parseCacheControl', () => {
  it('reads directives case-insensitively, quoted values unquoted, a later duplicate winning', () => {
    expect([...parseCacheControl('Public, MAX-AGE="60", s-maxage = 30, max-age=90')]).toEqual([['public', ''], ['max-age', '90'], ['s-maxage', '30']]);
    expect(parseCacheControl(undefined).size).toBe(0);
    expect(parseCacheControl('private="set-cookie"').has('private')).toBe(true);
  });

  it('skips malformed parts instead of guessing', () => {
    expect([...parseCacheControl('no-store garbage, public;max-age=5, =7, max-age=60')]).toEqual([['max-age', '60']]);
  });

  it('disagreement 1: a directive past the cap is not read (the latency copy read the whole value)', () => {
    const padded = `max-age=60, ${'x-pad=1, '.repeat(300)}private`;
    expect(padded.length).toBeGreaterThan(MAX_CACHE_CONTROL);
    expect(parseCacheControl(padded).has('private')).toBe(false);
    expect(cacheDirectives(padded)).toMatchObject({ private: false, maxAge: 60 });
  });

  it('disagreement 2: delta-seconds are the leading digits (the latency copy dropped "60abc" and "60 private")', () => {
    expect(cacheDirectives('max-age=60abc').maxAge).toBe(60);
    expect(cacheDirectives('max-age=60 private')).toMatchObject({ maxAge: 60, private: false });
    expect(deltaSeconds('abc')).toBeUndefined();
    expect(deltaSeconds(undefined)).toBeUndefined();
  });

  it('the flags the cache checks judge', () => {
    expect(cacheDirectives('public, no-cache, no-store, s-maxage=0')).toEqual({ public: true, private: false, noStore: true, noCache: true, sMaxAge: 0 });
    expect(cacheDirectives(undefined)).toEqual({ public: false, private: false, noStore: false, noCache: false });
  });
});
