// The watch state machine: alert after K failures in a row, one alert per outage, recovery announced, flapping
// below K is reported but never alerts, and memory follows the configured probes.
import { describe, expect, it } from 'vitest';
import { describeEvent, WatchEngine } from '../../src/watch/engine.js';

const r = (ok: boolean, id = 'http:health') => ({ id, ok, detail: ok ? '200 in 12 ms' : '503 in 3 ms' });

function run(k: number, sequence: boolean[]) {
  const e = new WatchEngine(k);
  return sequence.map((ok, i) => e.observe([r(ok)], i * 1000).map((ev) => ev.type));
}

describe('WatchEngine', () => {
  it('alerts once after K failures in a row, then announces recovery', () => {
    expect(run(3, [true, false, false, false, false, true, true])).toEqual([
      ['first'], ['failing'], [], ['down'], [], ['recovered'], [],
    ]);
  });

  it('a failure streak shorter than K never alerts', () => {
    expect(run(3, [true, false, false, true, false, true])).toEqual([['first'], ['failing'], [], ['ok-again'], ['failing'], ['ok-again']]);
  });

  it('K = 1 alerts on the first failure, also when the very first check fails', () => {
    expect(run(1, [false, false, true])).toEqual([['first', 'down'], [], ['recovered']]);
  });

  it('reports how long a probe was down', () => {
    const e = new WatchEngine(2);
    e.observe([r(true)], 0);
    e.observe([r(false)], 60_000);
    e.observe([r(false)], 120_000);
    const [rec] = e.observe([r(true)], 300_000);
    expect(rec).toMatchObject({ type: 'recovered', downForMs: 240_000 });
    expect(describeEvent(rec!)).toMatch(/UP {3}http:health: 200 in 12 ms \(recovered after 240 s\)/);
  });

  it('forgets probes that are no longer configured', () => {
    const e = new WatchEngine(2);
    e.observe([r(false, 'a'), r(true, 'b')], 0);
    e.observe([r(true, 'b')], 1);
    expect(e.state('a')).toBe('unknown');
    expect(e.state('b')).toBe('up');
  });
});
