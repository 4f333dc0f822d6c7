// The live progress line: the check count is known from the start, and it names at most three collectors at work.
import { describe, expect, it } from 'vitest';
import { progressText } from '../../src/cli/audit.js';
import type { RunEvent } from '../../src/run/audit.js';

function lineAfter(events: RunEvent[]): string {
  const state = { collecting: new Set<string>(), done: 0, total: 0 };
  return events.map((e) => progressText(e, state)).at(-1)!;
}

describe('progress line', () => {
  it('knows the number of checks before the first one finishes', () => {
    expect(lineAfter([{ type: 'plan', checks: 87 }, { type: 'collect-start', key: 'dns.hosts' }]))
      .toBe('launch-ready: 0/87 checks done · collecting dns.hosts');
  });

  it('names three collectors and counts the rest; finished ones leave the line', () => {
    const keys = ['dns.hosts', 'dns.zones', 'tls.endpoints', 'http.surfaces', 'email.domains'] as const;
    const events: RunEvent[] = [{ type: 'plan', checks: 10 }, ...keys.map((key) => ({ type: 'collect-start' as const, key }))];
    expect(lineAfter(events)).toBe('launch-ready: 0/10 checks done · collecting dns.hosts, dns.zones, tls.endpoints and 2 more');
    events.push({ type: 'collect-end', key: 'dns.zones', ok: true, durationMs: 5 }, { type: 'check-end', id: 'x', status: 'pass', done: 1, total: 10 });
    expect(lineAfter(events)).toBe('launch-ready: 1/10 checks done · collecting dns.hosts, tls.endpoints, http.surfaces and 1 more');
  });
});
