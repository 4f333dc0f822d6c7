// Turns the config and the command line into the audit target: every surface of every domain, with expectations.
import type { TargetDomain, TargetFacts } from '../facts/index.js';
import type { TargetHost } from '../facts/dns.js';
import { DEFAULT_HOSTS, type Config } from './schema.js';
import { DATABASE_URL, DEFAULT_DATABASE_OPTIONS, type DatabaseTarget } from '../facts/database.js';

/** The database section as the target carries it: the URL under a symbol key, so it is never serialized. */
function databaseTarget(db: NonNullable<Config['database']>): DatabaseTarget {
  const { url, ...rest } = db;
  return { ...DEFAULT_DATABASE_OPTIONS, ...rest, [DATABASE_URL]: url };
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

export function buildTarget(config: Config, cliDomains: readonly string[], now: Date, configFile?: string): TargetFacts {
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
    ...(config.coverage ? { deploy: { coverage: { ...config.coverage } } } : {}),
    ...(config.environments ? { environments: config.environments.map((e) => ({ ...e })) } : {}),
    accept: config.accept.map((a) => ({ id: a.id, reason: a.reason, ...(a.location ? { location: a.location } : {}), ...(a.expires ? { expires: a.expires } : {}) })),
  };
}
