// One day count for every command: audit ("expired N days ago"), map and measurements ("daysLeft") agree.
import { describe, expect, it } from 'vitest';
import { DAY_MS, daysUntil } from '../../src/derive/tls.js';
import { certificatesOf } from '../../src/run/measurements.js';
import type { TlsEndpoint } from '../../src/facts/tls.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');

describe('daysUntil', () => {
  it.each([
    [10.5 * DAY_MS, 10],
    [10 * DAY_MS, 10],
    [0.4 * DAY_MS, 0],
    [-0.4 * DAY_MS, 0],
    [-10.5 * DAY_MS, -10],
    [-11 * DAY_MS, -11],
  ])('%d ms ahead is %d whole days', (ahead, days) => {
    expect(daysUntil(NOW + ahead, NOW)).toBe(days);
  });

  it('never gives -0', () => {
    expect(Object.is(daysUntil(NOW - 1000, NOW), 0)).toBe(true);
  });

  it('the report measurements count expired days as the audit words them', () => {
    const notAfter = new Date(NOW - 10.5 * DAY_MS).toISOString();
    const endpoint = { host: 'old.shop.test', port: 443, status: 'ok', chain: [{ notAfter, issuer: 'CN=Test CA' }] } as unknown as TlsEndpoint;
    const [cert] = certificatesOf([endpoint], new Date(NOW).toISOString());
    expect(cert!.daysLeft).toBe(-10);
  });
});
