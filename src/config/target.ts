// Turns the config and the command line into the audit target: every surface of every domain, with expectations.
import type { TargetDomain, TargetFacts } from '../facts/index.js';
import type { TargetHost } from '../facts/dns.js';
import { DEFAULT_HOSTS, type Config } from './schema.js';

/** The apex and www are always real surfaces (people type both); the other defaults may legitimately not exist. */
const ALWAYS_DECLARED = new Set(['@', 'www']);

function normalizeDomain(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
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
    return { name, canonical: d?.canonical ?? 'apex', hosts };
  });
  return {
    domains,
    now: now.toISOString(),
    ...(configFile ? { configFile } : {}),
    accept: config.accept.map((a) => ({ id: a.id, reason: a.reason, ...(a.location ? { location: a.location } : {}), ...(a.expires ? { expires: a.expires } : {}) })),
  };
}
