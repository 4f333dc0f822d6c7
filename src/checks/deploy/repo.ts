// Shared by the repository-reading deploy checks: without a repository there is nothing to judge.
import type { DeployFacts } from '../../facts/deploy.js';
import type { TargetFacts } from '../../facts/index.js';
import type { CheckContext } from '../define.js';

/** The deploy facts, or undefined (the check is then not applicable) when the run has no repository. */
export function repoOrSkip(target: TargetFacts, facts: DeployFacts, ctx: CheckContext): DeployFacts | undefined {
  if (!target.repo) {
    ctx.notApplicable('no repository to read (use --repo or run inside one)');
    return undefined;
  }
  return facts;
}
