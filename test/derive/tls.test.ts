// TLS readings: certificate name matching.
import { describe, expect, it } from 'vitest';
import { nameMatches } from '../../src/derive/tls.js';

describe('nameMatches', () => {
  it('wildcards follow RFC 6125', () => {
    expect(nameMatches('*.shop.test', 'a.shop.test')).toBe(true);
    expect(nameMatches('*.shop.test', 'a.b.shop.test')).toBe(false);
    expect(nameMatches('*.shop.test', 'shop.test')).toBe(false);
    expect(nameMatches('*.test', 'shop.test')).toBe(false);
    expect(nameMatches('a*.shop.test', 'ab.shop.test')).toBe(false);
    expect(nameMatches('*.*.test', 'a.b.test')).toBe(false);
    expect(nameMatches('shop.test.', 'SHOP.test')).toBe(true);
  });
});
