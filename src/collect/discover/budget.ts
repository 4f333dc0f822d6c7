// Discovery's bounds: a time budget and a query budget over the run's resolver (cache hits cost nothing).
import type { DnsResolver } from '../dns/resolver.js';

export class Budget {
  private readonly sentAtStart: number;
  private readonly endsAt: number;
  exhausted: 'time' | 'queries' | undefined;
  /** Queries set aside for steps that run beside the wordlist (counted again once sent: the budget errs low). */
  private reserved = 0;

  constructor(private readonly resolver: DnsResolver, private readonly maxQueries: number, timeMs: number, private readonly signal: AbortSignal) {
    this.sentAtStart = resolver.stats.sent;
    this.endsAt = Date.now() + timeMs;
  }

  get queries(): number {
    return this.resolver.stats.sent - this.sentAtStart;
  }

  /** Whether another step may start; `cost` is the queries it may send at most. */
  allows(cost = 1): boolean {
    if (this.exhausted) return false;
    if (this.signal.aborted || Date.now() >= this.endsAt) this.exhausted = 'time';
    else if (this.queries + this.reserved + cost > this.maxQueries) this.exhausted = 'queries';
    return !this.exhausted;
  }

  /** Sets `cost` queries aside for a step that sends them without asking again; false when they do not fit. */
  reserve(cost: number): boolean {
    if (!this.allows(cost)) return false;
    this.reserved += cost;
    return true;
  }

  /** Milliseconds left, for steps that take a deadline of their own. */
  get remainingMs(): number {
    return Math.max(0, this.endsAt - Date.now());
  }
}

/** Runs `task` over items with at most `width` in flight, stopping (not starting more) once `go` says no. */
export async function pool<T>(items: readonly T[], width: number, go: () => boolean, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && go()) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker));
}
