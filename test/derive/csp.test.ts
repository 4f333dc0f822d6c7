// The Content-Security-Policy parser and the inline-script rule.
import { describe, expect, it } from 'vitest';
import { allowsInlineScript, MAX_CSP, parseCsp } from '../../src/derive/csp.js';

describe('parseCsp', () => {
  it('maps directives (lower-case, first one wins) to their sources', () => {
    const csp = parseCsp("Default-Src 'self'; script-src 'self' https://cdn.test; script-src 'unsafe-inline'; frame-ancestors 'none'");
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'", 'https://cdn.test']);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('does not read past the cap', () => {
    const policy = `default-src 'self'; ${'img-src x; '.repeat(500)}frame-ancestors 'none'`;
    expect(policy.length).toBeGreaterThan(MAX_CSP);
    expect(parseCsp(policy).has('frame-ancestors')).toBe(false);
  });

  it("'unsafe-inline' counts unless a nonce, a hash or strict-dynamic overrides it", () => {
    expect(allowsInlineScript(parseCsp("script-src 'self' 'unsafe-inline'"))).toBe(true);
    expect(allowsInlineScript(parseCsp("script-src 'unsafe-inline' 'nonce-abc'"))).toBe(false);
    expect(allowsInlineScript(parseCsp("default-src 'unsafe-inline' 'sha256-xyz'"))).toBe(false);
    expect(allowsInlineScript(parseCsp("script-src-elem 'self'; script-src 'unsafe-inline'"))).toBe(false);
    expect(allowsInlineScript(parseCsp("img-src 'self'"))).toBe(true);
  });
});
