// The mobile estimate: slow-start rounds and the documented formula.
import { describe, expect, it } from 'vitest';
import { estimate, NETWORK_PROFILES, slowStartRounds } from '../../src/derive/mobile.js';
import { endpoint } from '../helpers/latency-facts.js';

describe('mobile estimate', () => {
  it('estimates with the documented formula', () => {
    expect(slowStartRounds(14_600)).toBe(0);
    expect(slowStartRounds(14_601)).toBe(1);
    expect(slowStartRounds(2_000_000)).toBe(7);
    const e = endpoint({ url: 'http://api.shop.test/x', p95Ms: 110, cold: { dnsMs: 0, connectMs: 10, tlsMs: 0, ttfbMs: 0, downloadMs: 0, totalMs: 0 }, responseBytes: 12_000 });
    // Plain HTTP: no TLS round trip. server 100 ms; 3G transfer 12,000 × 8 / 1600 = 60 ms.
    expect(estimate(e, NETWORK_PROFILES.find((p) => p.id === '3g')!)).toEqual({ profile: '3g', coldMs: 3 * 300 + 100 + 60, warmMs: 300 + 100 + 60 });
  });
});
