// Environment collector: resolves every environment's hosts through the run's resolver and, for non-production
// environments, peeks at / and /robots.txt over HTTPS (small, capped, one request each) to see if search engines
// are kept out.
import { bothFailed, chainTargets, hostAddresses } from '../../derive/dns.js';
import type { EnvironmentFacts, HttpPeek } from '../../facts/deploy.js';
import type { TargetFacts } from '../../facts/index.js';
import { isProductionEnvironment } from '../../config/target.js';
import type { CollectContext } from '../context.js';
import { httpFetch, isFetchFailure } from '../http/fetch.js';

const BODY_CAP = 16 * 1024;
const HEADER_CAP = 512;

export interface EnvironmentSpec {
  name: string;
  hosts: string[];
  owner?: string;
  production?: boolean;
}

async function peek(ctx: CollectContext, url: string, keepBody: boolean): Promise<HttpPeek> {
  // The root's status and headers are what count: its body is not read at all.
  const res = await httpFetch(ctx, { url, read: { maxBytes: keepBody ? BODY_CAP : 0 }, headerValueCap: HEADER_CAP });
  if (isFetchFailure(res)) return { error: res.error.message };
  return { status: res.status, headers: res.headers, ...(keepBody ? { body: res.body.toString('utf8') } : {}) };
}

export async function collectEnvironments(ctx: CollectContext, target: TargetFacts & { environments?: EnvironmentSpec[] }): Promise<EnvironmentFacts[]> {
  return Promise.all((target.environments ?? []).map(async (env): Promise<EnvironmentFacts> => {
    const production = isProductionEnvironment(env);
    const hosts = await Promise.all(env.hosts.map(async (raw) => {
      const name = raw.toLowerCase().replace(/\.$/, '');
      const [a, aaaa] = await Promise.all([ctx.resolver.resolveAddresses(name, 'A'), ctx.resolver.resolveAddresses(name, 'AAAA')]);
      const addresses = hostAddresses({ a, aaaa });
      const chain = chainTargets({ a, aaaa }).map((t) => t.toLowerCase());
      const dnsError = addresses.length === 0 && bothFailed({ a, aaaa }) ? `A ${a.status}, AAAA ${aaaa.status}` : undefined;
      if (production || addresses.length === 0) return { name, addresses, chain, ...(dnsError ? { dnsError } : {}) };
      const [root, robots] = await Promise.all([peek(ctx, `https://${name}/`, false), peek(ctx, `https://${name}/robots.txt`, true)]);
      return { name, addresses, chain, root, robots };
    }));
    return { name: env.name, production, ...(env.owner ? { owner: env.owner } : {}), hosts };
  }));
}
