// The watch state machine: per probe, consecutive failures decide when a target is down (alert after K) and when
// it is back (recovery). Pure: results in, events out; memory is one small record per probe, whatever the uptime.

export interface ProbeResult {
  /** Stable id, e.g. `http:health`, `dns:example.com`, `tls:api.example.com`. */
  id: string;
  ok: boolean;
  /** What was seen: "200 in 84 ms", "503", "certificate expires in 9 days", "NXDOMAIN"... */
  detail: string;
}

/** What a monitor watches. */
export type MonitorKind = 'http' | 'dns' | 'tls';

/** Where a failure came from: the founder's "is it auth, the database or an external service?" starts here. */
export type FailureClass = 'dns' | 'tls' | 'connect' | 'http' | 'timeout' | 'budget';

/** A probe's result as the monitors produce it: enough for the history and the error budget. */
export interface MonitorResult extends ProbeResult {
  kind: MonitorKind;
  /** The URL (redacted when written anywhere) or the host. */
  target: string;
  latencyMs?: number;
  /** Set when the probe failed. */
  cause?: FailureClass;
  /** The HTTP status, when there was an answer. */
  status?: number;
}

export type ProbeState = 'unknown' | 'up' | 'failing' | 'down';

interface Track {
  state: ProbeState;
  failures: number;
  since: number;
}

export type WatchEvent =
  | { type: 'first'; id: string; ok: boolean; detail: string; at: number }
  | { type: 'failing'; id: string; failures: number; detail: string; at: number }
  | { type: 'down'; id: string; failures: number; detail: string; at: number }
  | { type: 'recovered'; id: string; downForMs: number; detail: string; at: number }
  | { type: 'ok-again'; id: string; detail: string; at: number };

export class WatchEngine {
  private readonly tracks = new Map<string, Track>();

  /** @param failuresBeforeAlert consecutive failures that make a probe `down` (and send the alert) */
  constructor(private readonly failuresBeforeAlert: number) {
    if (!Number.isInteger(failuresBeforeAlert) || failuresBeforeAlert < 1) throw new RangeError('failuresBeforeAlert must be a positive integer');
  }

  state(id: string): ProbeState {
    return this.tracks.get(id)?.state ?? 'unknown';
  }

  /** Feeds one round of results; returns the status changes worth printing or alerting on. */
  observe(results: readonly ProbeResult[], at: number): WatchEvent[] {
    const events: WatchEvent[] = [];
    const seen = new Set<string>();
    for (const r of results) {
      seen.add(r.id);
      const t = this.tracks.get(r.id);
      if (!t) {
        const failures = r.ok ? 0 : 1;
        const state: ProbeState = r.ok ? 'up' : failures >= this.failuresBeforeAlert ? 'down' : 'failing';
        this.tracks.set(r.id, { state, failures, since: at });
        events.push({ type: 'first', id: r.id, ok: r.ok, detail: r.detail, at });
        if (state === 'down') events.push({ type: 'down', id: r.id, failures, detail: r.detail, at });
        continue;
      }
      if (r.ok) {
        if (t.state === 'down') events.push({ type: 'recovered', id: r.id, downForMs: at - t.since, detail: r.detail, at });
        else if (t.state === 'failing') events.push({ type: 'ok-again', id: r.id, detail: r.detail, at });
        if (t.state !== 'up') { t.state = 'up'; t.since = at; }
        t.failures = 0;
        continue;
      }
      t.failures++;
      if (t.state === 'up') { t.state = 'failing'; t.since = at; events.push({ type: 'failing', id: r.id, failures: t.failures, detail: r.detail, at }); }
      if (t.state === 'failing' && t.failures >= this.failuresBeforeAlert) {
        t.state = 'down';
        events.push({ type: 'down', id: r.id, failures: t.failures, detail: r.detail, at });
      }
    }
    // Probes removed from the config stop being tracked: memory follows the config, not the uptime.
    for (const id of [...this.tracks.keys()]) if (!seen.has(id)) this.tracks.delete(id);
    return events;
  }
}

export function describeEvent(e: WatchEvent): string {
  const time = new Date(e.at).toISOString();
  switch (e.type) {
    case 'first': return `${time} ${e.ok ? 'UP  ' : 'FAIL'} ${e.id}: ${e.detail}`;
    case 'failing': return `${time} FAIL ${e.id}: ${e.detail}`;
    // Whether the alert reached anyone is said by its own line, once delivery is over.
    case 'down': return `${time} DOWN ${e.id}: ${e.detail} (${e.failures} checks in a row)`;
    case 'recovered': return `${time} UP   ${e.id}: ${e.detail} (recovered after ${Math.round(e.downForMs / 1000)} s)`;
    case 'ok-again': return `${time} UP   ${e.id}: ${e.detail}`;
  }
}
