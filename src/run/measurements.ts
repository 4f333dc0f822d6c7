// The report's typed measurements, computed from the run's facts by one small function per kind: what the checks
// looked at (every certificate, every endpoint's percentiles, every load step), whether or not anything failed.
import { isFactError, type FactKey, type FactMap } from '../facts/index.js';
import type { DiscoveryFacts } from '../facts/discover.js';
import type { LatencyFacts } from '../facts/latency.js';
import type { LoadFact } from '../facts/load.js';
import type { TlsEndpoint } from '../facts/tls.js';
import { daysUntil } from '../derive/tls.js';
import type { CertificateMeasurement, EndpointMeasurement, LoadStepMeasurement, Measurements } from '../types.js';


/** Every leaf certificate a TLS handshake saw, once per host and port. */
export function certificatesOf(endpoints: readonly TlsEndpoint[], now: string): CertificateMeasurement[] {
  const out = new Map<string, CertificateMeasurement>();
  for (const e of endpoints) {
    const leaf = e.chain[0];
    if (!leaf || out.has(`${e.host}:${e.port}`)) continue;
    out.set(`${e.host}:${e.port}`, {
      host: e.host,
      port: e.port,
      issuer: leaf.issuerCommonName ?? leaf.issuer,
      notAfter: leaf.notAfter,
      daysLeft: daysUntil(Date.parse(leaf.notAfter), Date.parse(now)),
      chain: e.trust?.status ?? 'unknown',
    });
  }
  return [...out.values()];
}

/** Each endpoint's percentiles; null where nothing was measured, so no reader mistakes it for 0 ms. */
export function endpointsOf(latency: LatencyFacts): EndpointMeasurement[] {
  return latency.endpoints.map((e) => ({
    name: e.name,
    method: e.method,
    url: e.url,
    p50Ms: e.p50Ms,
    p95Ms: e.p95Ms,
    p99Ms: e.p99Ms,
    maxMs: e.maxMs,
    budgetP95Ms: e.budgetP95Ms,
    attempted: e.attempted,
    errors: e.attempted - e.recorded,
    errorRate: e.errorRate,
  }));
}

export function loadStepsOf(load: LoadFact): LoadStepMeasurement[] {
  if (!load.requested) return [];
  return load.endpoints.flatMap((e) => e.steps.map((s) => ({
    endpoint: e.name, concurrency: s.concurrency, rps: s.rps, p95Ms: s.p95Ms, errorRate: s.errorRate, ok: s.ok,
  })));
}

/** One row per discovered host and way it was found (the hosts discovery added to the run, in name order). */
export function discoveredHostsOf(discovery: DiscoveryFacts): NonNullable<Measurements['discoveredHosts']> {
  return discovery.hosts.flatMap((h) => h.via.map((v) => ({ host: h.name, source: v.source, ...(v.from !== undefined ? { from: v.from } : {}) })));
}

/** The measurements of a run from whatever of its facts were collected (a failed fact measures nothing). */
export async function measure(facts: ReadonlyMap<FactKey, Promise<unknown>>, now: string): Promise<Measurements> {
  // The run's map holds each key's own fact type (or a FactError): the one place that type is restored.
  const get = async <K extends FactKey>(key: K): Promise<FactMap[K] | undefined> => {
    const v = await facts.get(key);
    return v === undefined || isFactError(v) ? undefined : (v as FactMap[K]);
  };
  const [tls, latency, load, discovery] = await Promise.all([get('tls.endpoints'), get('latency.endpoints'), get('load.ramp'), get('dns.discovery')]);
  return {
    certificates: tls ? certificatesOf(tls, now) : [],
    endpoints: latency ? endpointsOf(latency) : [],
    loadSteps: load ? loadStepsOf(load) : [],
    ...(discovery?.ran ? { discoveredHosts: discoveredHostsOf(discovery) } : {}),
  };
}
