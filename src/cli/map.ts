// `launch-ready map`: the deployment map — domains, hosts, addresses and CNAME targets, the providers behind them,
// certificates, environments and owners — as text or JSON.
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { MapFlags } from '../run/flags.js';
import { collectMap, renderMapText } from '../run/map.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

export type { MapFlags };

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
