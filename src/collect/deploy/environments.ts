// Environment collector: resolves every environment's hosts through the run's resolver and, for non-production
// environments, peeks at / and /robots.txt over HTTPS (small, capped, one request each) to see if search engines
// are kept out.
import { request } from 'undici';
import { bothFailed, chainTargets, hostAddresses } from '../../derive/dns.js';
import type { EnvironmentFacts, HttpPeek } from '../../facts/deploy.js';
import type { TargetFacts } from '../../facts/index.js';
import { isProductionEnvironment } from '../../config/target.js';
import type { CollectContext } from '../context.js';

const BODY_CAP = 16 * 1024;
const HEADER_CAP = 512;

export interface EnvironmentSpec {
  name: string;
  hosts: string[];
  owner?: string;
  production?: boolean;
}

async function peek(ctx: CollectContext, url: string, keepBody: boolean): Promise<HttpPeek> {
  if (!ctx.agent) return { error: 'no HTTP agent in this run' };
  try {
    const res = await request(url, {
      dispatcher: await ctx.agent(),
      method: 'GET',
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]),
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) headers[k.toLowerCase()] = (Array.isArray(v) ? v.join(', ') : String(v ?? '')).slice(0, HEADER_CAP);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      if (!keepBody) break;
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= BODY_CAP) break;
    }
    res.body.destroy();
    return { status: res.statusCode, headers, ...(keepBody ? { body: Buffer.concat(chunks).subarray(0, BODY_CAP).toString('utf8') } : {}) };
  } catch (err) {
    const e = err as Error & { code?: string };
    return { error: e.code ?? e.message };
  }
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
