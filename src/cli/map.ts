// `launch-ready map`: the deployment map — domains, hosts, addresses and CNAME targets, the providers behind them,
// certificates, environments and owners — as text or JSON.
import { collectors } from '../collect/index.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { buildTarget } from '../config/target.js';
import { buildMap, mxList, renderMapText, type DeploymentMap } from '../map/build.js';
import { UsageError } from '../run.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { networkFor, type NetworkFlags } from './network.js';
import type { Streams } from './output.js';

export interface MapFlags extends NetworkFlags {
  config?: string;
  format: string;
}

/** Collects what the map needs (DNS, TLS, HTTP, MX) through one run's resolver and agent. */
export async function collectMap(loaded: LoadedConfig, domains: readonly string[], flags: MapFlags, cwd: string): Promise<DeploymentMap> {
  const { config } = loaded;
  const target = buildTarget(config, domains, new Date(), loaded.file);
  if (target.domains.length === 0) throw new UsageError('no domain to map: `launch-ready map example.com`, or list domains in the config');
  const net = await networkFor(flags, loaded, cwd, 64);
  const controller = new AbortController();
  const ctx = net.context(controller.signal);
  try {
    const [hosts, zones, tls, http, mx] = await Promise.all([
      collectors['dns.hosts']().then((c) => c(ctx, target)),
      collectors['dns.zones']().then((c) => c(ctx, target)),
      collectors['tls.endpoints']().then((c) => c(ctx, target)),
      collectors['http.surfaces']().then((c) => c(ctx, target)),
      Promise.all(target.domains.map(async (d) => [d.name, await ctx.resolver.query(d.name, 'MX')] as const)),
    ]);
    return buildMap({
      target, hosts, zones, tls, http,
      mx: Object.fromEntries(mx.map(([d, a]) => [d, mxList(a)])),
      ...(config.project ? { project: config.project } : {}),
      ...(config.environments ? { environments: config.environments } : {}),
    });
  } finally {
    controller.abort();
    if (ctx.agent) await (await ctx.agent()).close().catch(() => {});
  }
}

export async function mapCommand(domains: string[], flags: MapFlags, streams: Streams, cwd: string): Promise<number> {
  let loaded: LoadedConfig | undefined;
  try {
    loaded = await loadConfig({ ...(flags.config ? { file: flags.config } : {}), cwd, env: streams.env });
    const map = await collectMap(loaded, domains, flags, cwd);
    const text = flags.format === 'json' ? `${JSON.stringify(map, null, 2)}\n` : renderMapText(map);
    streams.stdout.write(loaded.redactor.redact(text));
    return EXIT.go;
  } catch (err) {
    return reportError(err, streams, loaded?.redactor);
  }
}
