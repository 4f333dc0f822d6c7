// Shared by the repository-scan checks (secrets, hygiene): a scan that could not run makes the check not applicable.
import type { CheckContext } from './define.js';

/** The scan when it ran; otherwise marks the check not applicable with the scan's reason and returns undefined. */
export function scanOrSkip<T extends { available: true }>(facts: T | { available: false; reason: string }, ctx: CheckContext): T | undefined {
  if (!facts.available) {
    ctx.notApplicable(facts.reason);
    return undefined;
  }
  return facts as T;
}
