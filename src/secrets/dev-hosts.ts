// Which hosts are not the public internet: loopback, private ranges, local names, tunnels to a laptop, and the
// staging hosts the config names. Pure: the hygiene collector filters with it and the checks classify with it.

export type DevHostKind = 'loopback' | 'private' | 'local-domain' | 'tunnel' | 'staging';

const TUNNEL_SUFFIXES = ['ngrok.io', 'ngrok-free.app', 'ngrok.app', 'ngrok-free.dev', 'ngrok.dev', 'loca.lt', 'localtunnel.me', 'trycloudflare.com', 'serveo.net', 'localhost.run', 'lhr.life', 'pagekite.me', 'telebit.io', 'tunnelmole.net', 'devtunnels.ms', 'pinggy.link', 'expo.direct', 'exp.direct'];
const LOCAL_SUFFIXES = ['local', 'lan', 'internal', 'localdomain', 'home.arpa', 'intranet', 'corp'];

function endsWith(host: string, suffix: string): boolean {
  return host === suffix || host.endsWith(`.${suffix}`);
}

export function devHostKind(rawHost: string, stagingHosts: readonly string[] = []): DevHostKind | undefined {
  const host = rawHost.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0.0.0.0' || /^127\.\d+\.\d+\.\d+$/.test(host)) return 'loopback';
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (v4) {
    const a = Number(v4[1]);
    const b = Number(v4[2]);
    if (a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127)) return 'private';
    return undefined;
  }
  if (/^f[cd][0-9a-f]{2}:/.test(host) || host.startsWith('fe80:')) return 'private';
  if (TUNNEL_SUFFIXES.some((s) => endsWith(host, s))) return 'tunnel';
  if (stagingHosts.some((s) => endsWith(host, s.toLowerCase().replace(/\.$/, '')))) return 'staging';
  if (LOCAL_SUFFIXES.some((s) => endsWith(host, s)) || !host.includes('.') && /^[a-z][a-z0-9-]*$/.test(host) && host !== 'localhost') {
    // A bare single-label name (http://api:3000) only resolves inside a docker network or a LAN.
    return 'local-domain';
  }
  return undefined;
}

// Words that name a non-production environment; `development` and `testing` are their long spellings.
const NON_PROD_WORDS = ['staging', 'stage', 'stg', 'dev', 'development', 'test', 'testing', 'qa', 'uat', 'sandbox', 'preview'];
// Second-level labels under a country code (`co.uk`, `com.au`): part of the registrable suffix, not a subdomain.
const SLD = /^(?:co|com|net|org|ac|gov|edu|or|ne|go)$/;

/**
 * The subdomain label whose name says a non-production environment (`staging`, `api-dev`, `qa2`, `staging-api`),
 * or undefined. Only labels left of the registrable domain count: `myapp.dev` and `dev.to` are real production names.
 */
export function nonProductionLabel(rawHost: string): string | undefined {
  const host = rawHost.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (/^[\d.]+$/.test(host) || host.includes(':')) return undefined;
  const labels = host.split('.');
  const suffix = labels.length >= 3 && SLD.test(labels[labels.length - 2]!) && labels[labels.length - 1]!.length === 2 ? 3 : 2;
  for (const label of labels.slice(0, Math.max(0, labels.length - suffix))) {
    const parts = label.split('-');
    const ends = parts.length === 1 ? [parts[0]!] : [parts[0]!, parts[parts.length - 1]!];
    if (ends.some((p) => NON_PROD_WORDS.includes(p.replace(/\d+$/, '')))) return label;
  }
  return undefined;
}
