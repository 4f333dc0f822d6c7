// The complete audit target: what the config describes, plus the repository to scan (--repo, the config, or the
// one the command runs in) and the load ramp's options when --load asks for it.
import { dirname, resolve } from 'node:path';
import { findGitRoot, repoPathProblem } from '../collect/git.js';
import type { LoadedConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { isProductionEnvironment, targetFromConfig } from '../config/target.js';
import type { TargetFacts } from '../facts/index.js';
import type { AuditFlags } from './flags.js';
import { loadOptions } from './load.js';
import { discoverOptions } from './discover.js';

export interface TargetContext {
  cwd: string;
  now: Date;
  /** Look for a git repository around cwd when neither --repo nor the config names one (not for the demo). */
  findRepo: boolean;
}

export async function buildTarget(
  loaded: LoadedConfig, domains: readonly string[], flags: Pick<AuditFlags, 'repo' | 'load' | 'confirmLoad' | 'maxConcurrency' | 'stepDuration' | 'discover' | 'wordlist' | 'discoverOnline'>, at: TargetContext,
): Promise<TargetFacts> {
  const { config } = loaded;
  const target = targetFromConfig(config, domains, at.now, loaded.file);
  // --load is opt-in: without it the load.ramp collector sends nothing.
  if (flags.load) target.load = await loadOptions(flags, config);
  const discover = target.domains.length ? await discoverOptions(flags, loaded, at.cwd) : undefined;
  if (discover) target.discover = discover;
  const repo = flags.repo ?? config.repo?.path ?? (at.findRepo ? findGitRoot(at.cwd) : undefined);
  if (repo) {
    // A relative --repo is from the working directory; a relative repo.path is from the config file.
    const base = flags.repo || !loaded.file ? at.cwd : dirname(resolve(at.cwd, loaded.file));
    target.repo = resolve(base, repo);
    const problem = repoPathProblem(target.repo);
    if (problem) {
      const flag = flags.repo ? `--repo ${flags.repo}` : `repo.path ${repo} in ${loaded.file ?? 'the config'}`;
      const why = { missing: 'no such folder', file: 'is a file, not a folder', bare: 'is a bare repository (no working tree to scan): clone it (`git clone <dir> <checkout>`) and point at the checkout' }[problem];
      throw new UsageError(`${flag}: ${why}`);
    }
    const { apiUrl } = config.repo ?? {};
    // Hosts of non-production environments count as staging hosts that production code must not point at.
    const stagingHosts = [...new Set([
      ...(config.repo?.stagingHosts ?? []),
      ...(config.environments ?? []).filter((e) => !isProductionEnvironment(e)).flatMap((e) => e.hosts),
    ])];
    if (apiUrl || stagingHosts.length) target.repoOptions = { ...(apiUrl ? { apiUrl } : {}), ...(stagingHosts.length ? { stagingHosts } : {}) };
  }
  return target;
}
