// Response readings of the edge-safety checks: shared cacheability (RFC 9111) and Set-Cookie.
import { describe, expect, it } from 'vitest';
import { parseSetCookie, sharedCacheability, splitJoinedCookies } from '../../src/derive/responses.js';

describe('cache rules', () => {
  const r = (cc: string | undefined, extra: { status?: number; creds?: string[]; headers?: Record<string, string> } = {}) =>
    sharedCacheability({ status: extra.status ?? 200, headers: { ...(cc !== undefined ? { 'cache-control': cc } : {}), ...extra.headers }, sentCredentials: extra.creds ?? [] });
  it('private and no-store are never shared-cacheable', () => {
    expect(r('private, max-age=600').cacheable).toBe(false);
    expect(r('no-store').cacheable).toBe(false);
    expect(r('no-cache').cacheable).toBe(false);
    expect(r('max-age=0').cacheable).toBe(false);
  });
  it('public, s-maxage and max-age are explicit; nothing at all is cacheable by default for default-cacheable statuses', () => {
    expect(r('public')).toMatchObject({ cacheable: true, how: 'explicit' });
    expect(r('s-maxage=60')).toMatchObject({ cacheable: true, how: 'explicit' });
    expect(r('max-age=60')).toMatchObject({ cacheable: true, how: 'explicit' });
    expect(r(undefined)).toMatchObject({ cacheable: true, how: 'default' });
    expect(r(undefined, { status: 401 }).cacheable).toBe(false);
    expect(r(undefined, { headers: { expires: 'Thu, 01 Jan 1970 00:00:00 GMT' } }).cacheable).toBe(false);
  });
  it('an authorized request is stored only when the response explicitly allows it (RFC 9111 3.5)', () => {
    expect(r('max-age=60', { creds: ['authorization'] }).cacheable).toBe(false);
    expect(r(undefined, { creds: ['authorization'] }).cacheable).toBe(false);
    expect(r('s-maxage=60', { creds: ['authorization'] }).cacheable).toBe(true);
    expect(r('max-age=60, must-revalidate', { creds: ['authorization'] }).cacheable).toBe(true);
  });
  it('splits joined Set-Cookie headers without breaking Expires dates', () => {
    const joined = 'a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Secure, sid=2; HttpOnly';
    expect(splitJoinedCookies(joined).map((x) => parseSetCookie(x).name)).toEqual(['a', 'sid']);
    expect(parseSetCookie('sid=; Max-Age=0').deletion).toBe(true);
    expect(parseSetCookie('sid=x; secure; HTTPONLY; samesite=Strict')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'strict' });
  });
});
