// Turns the config and the command line into the audit target: every surface of every domain, with expectations.
import type { AcceptEntry, TargetDomain, TargetFacts } from '../facts/index.js';
import type { TargetHost } from '../facts/dns.js';
import { DEFAULT_HOSTS, type Config } from './schema.js';
import { DATABASE_URL, DEFAULT_DATABASE_OPTIONS, type DatabaseTarget } from '../facts/database.js';
import { FLOW_SPECS } from '../facts/flows.js';
import { AI_SPECS } from '../facts/ai.js';
import { DEFAULT_LATENCY_OPTIONS, defaultBudget, ENDPOINT_REQUEST, type TargetEndpoint } from '../facts/latency.js';

/** The database section as the target carries it: the URL under a symbol key, so it is never serialized. */
export function databaseTarget(db: NonNullable<Config['database']>): DatabaseTarget {
  const { url, ...rest } = db;
  return { ...DEFAULT_DATABASE_OPTIONS, ...rest, [DATABASE_URL]: url };
}

/** An endpoint as the target carries it: budget resolved, headers and body (secrets) under a symbol key. */
export function targetEndpoint(e: Config['endpoints'][number]): TargetEndpoint {
  const headers = e.headers ?? {};
  const credentials = Object.keys(headers).some((h) => /^(authorization|cookie|x-api-key)$/i.test(h));
  return {
    name: e.name, url: e.url, method: e.method, kind: e.kind, budgetP95Ms: e.budgetP95Ms ?? defaultBudget(e.kind),
    critical: e.critical ?? false, cacheable: e.cacheable ?? false, authenticated: e.kind === 'auth' || credentials,
    [ENDPOINT_REQUEST]: { headers, ...(e.body !== undefined ? { body: e.body } : {}) },
  };
}

/** The apex and www are always real surfaces (people type both); the other defaults may legitimately not exist. */
const ALWAYS_DECLARED = new Set(['@', 'www']);

function normalizeDomain(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** An environment is production when it says so, or is named prod, production or live. */
export function isProductionEnvironment(e: { name: string; production?: boolean }): boolean {
  return e.production ?? /^(prod|production|live)$/i.test(e.name);
}

export function hostName(label: string, domain: string): string {
  return label === '@' ? domain : `${label.toLowerCase()}.${domain}`;
}

/** The config's accepted risks as the target carries them (a replay applies today's through the same function). */
export function acceptEntries(config: Config): AcceptEntry[] {
  return config.accept.map((a) => ({ id: a.id, reason: a.reason, ...(a.location ? { location: a.location } : {}), ...(a.expires ? { expires: a.expires } : {}) }));
}

/** The target the config describes: domains and their surfaces, endpoints, flows; the front door completes it. */
export function targetFromConfig(config: Config, cliDomains: readonly string[], now: Date, configFile?: string): TargetFacts {
  const byName = new Map<string, Config['domains'][number]>();
  for (const d of config.domains) byName.set(normalizeDomain(d.name), d);
  // Domains on the command line narrow the run to them (using their config entries when present).
  const names = cliDomains.length > 0 ? cliDomains.map(normalizeDomain) : [...byName.keys()];
  const domains: TargetDomain[] = [...new Set(names)].map((name) => {
    const d = byName.get(name);
    const explicit = d?.hosts;
    const labels = ['@', ...(explicit ?? DEFAULT_HOSTS), ...Object.keys(d?.expect ?? {})].map((l) => l.toLowerCase());
    const hosts: TargetHost[] = [...new Set(labels)].map((label) => {
      const expect = d?.expect?.[label] ?? (label === '@' ? undefined : d?.expect?.[hostName(label, name)]);
      return {
        name: hostName(label, name),
        domain: name,
        label,
        declared: ALWAYS_DECLARED.has(label) || Boolean(explicit?.includes(label)) || expect !== undefined,
        ...(expect ? { expect } : {}),
      };
    });
    return {
      name, canonical: d?.canonical ?? 'apex', hosts,
      ...(d?.redirectsTo ? { redirectsTo: d.redirectsTo.map(normalizeDomain) } : {}),
    };
  });
  return {
    domains,
    now: now.toISOString(),
    ...(configFile ? { configFile } : {}),
    ...(config.email ? { email: { ...config.email } } : {}),
    ...(config.launchDate ? { launchDate: config.launchDate } : {}),
    ...(config.database ? { database: databaseTarget(config.database) } : {}),
    // Flow and AI specs carry credentials from ${env:...}: symbol keys keep them out of every serialized target.
    ...(config.flows.length ? { flows: { names: config.flows.map((f) => ({ name: f.name, template: f.template ?? 'custom' })), [FLOW_SPECS]: config.flows } } : {}),
    ...(config.ai.length ? { ai: { names: config.ai.map((a) => a.name), [AI_SPECS]: config.ai } } : {}),
    ...(config.coverage ? { deploy: { coverage: { ...config.coverage } } } : {}),
    ...(config.load?.confirm ? { loadConfirm: config.load.confirm.map((h) => h.toLowerCase()) } : {}),
    ...(config.endpoints.some((e) => e.rateLimitProbe) ? { rateLimitProbes: config.endpoints.filter((e) => e.rateLimitProbe).map((e) => e.name) } : {}),
    ...(config.endpoints.some((e) => e.idempotencyProbe) ? { idempotencyProbes: config.endpoints.filter((e) => e.idempotencyProbe).map((e) => e.name) } : {}),
    ...(config.environments ? { environments: config.environments.map((e) => ({ ...e })) } : {}),
    ...(config.endpoints.length ? { endpoints: config.endpoints.map(targetEndpoint), latency: { ...DEFAULT_LATENCY_OPTIONS, ...config.latency } } : {}),
    ...(config.dependencies?.length ? { dependencies: config.dependencies.map((d) => ({ name: d.name, url: d.url })) } : {}),
    accept: acceptEntries(config),
  };
}
