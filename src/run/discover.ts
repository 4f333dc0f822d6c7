// Discovery's settings for a run, from the flags and the config's `discover` section: on by default, off with
// --no-discover or discover.enabled: false. Online sources only with --discover-online or discover.online: true.
import { dirname, resolve } from 'node:path';
import { ctUrlProblem, DEFAULT_CT_URL } from '../collect/discover/online.js';
import { readWordlist } from '../collect/discover/user-wordlist.js';
import { UsageError } from '../errors.js';
import type { LoadedConfig } from '../config/load.js';
import type { DiscoverOptions } from '../facts/discover.js';
import type { DiscoverFlags } from './flags.js';

export const DISCOVER_DEFAULTS = { maxHosts: 200, maxQueries: 5000, budgetMs: 30_000 } as const;

export async function discoverOptions(flags: DiscoverFlags, loaded: LoadedConfig, cwd: string): Promise<DiscoverOptions | undefined> {
  const d = loaded.config.discover;
  if (flags.discover === false || d?.enabled === false) return undefined;
  // --wordlist is relative to where the command runs; discover.wordlist to the config file.
  const labels = [
    ...(d?.wordlist ? await readWordlist(resolve(loaded.file ? dirname(resolve(cwd, loaded.file)) : cwd, d.wordlist), 'discover.wordlist') : []),
    ...(flags.wordlist ? await readWordlist(resolve(cwd, flags.wordlist), '--wordlist') : []),
  ];
  // Online sources tell a third party which domain is audited: only when asked for, by the flag or the config.
  const ctUrl = d?.ctUrl ?? DEFAULT_CT_URL;
  const problem = ctUrlProblem(ctUrl);
  if (problem) throw new UsageError(`discover.ctUrl ${ctUrl.slice(0, 200)} ${problem}`);
  const online = flags.discoverOnline === true || d?.online === true;
  return {
    builtin: d?.builtin ?? true,
    labels: [...new Set(labels)],
    maxHosts: d?.maxHosts ?? DISCOVER_DEFAULTS.maxHosts,
    maxQueries: d?.maxQueries ?? DISCOVER_DEFAULTS.maxQueries,
    timeMs: d?.budgetMs ?? DISCOVER_DEFAULTS.budgetMs,
    axfr: d?.axfr ?? true,
    ...(d?.pages === false ? { pages: false } : {}),
    ...(d?.repository === false ? { repository: false } : {}),
    ...(online ? { online: { ctUrl } } : {}),
  };
}
