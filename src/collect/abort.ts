// Waiting on the run's signal without one 'abort' listener per operation: a round of watch or an audit has dozens of
// DNS questions and handshakes in flight on one signal, and a listener each trips Node's leak detector (and keeps
// every waiter reachable from a signal that may live for days). One listener per signal fans out to the waiters.
const waiters = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `fn` once when `signal` aborts (on the next microtask when it already has); the returned function stops
 * waiting and must be called when the operation ends, so nothing outlives it.
 */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    let live = true;
    queueMicrotask(() => { if (live) fn(); });
    return () => { live = false; };
  }
  let set = waiters.get(signal);
  if (!set) {
    const created = new Set<() => void>();
    waiters.set(signal, (set = created));
    signal.addEventListener('abort', () => {
      waiters.delete(signal);
      for (const f of [...created]) f();
      created.clear();
    }, { once: true });
  }
  // A wrapper of our own: the same function may wait twice, and each stop removes only its own wait.
  const entry = () => fn();
  const own = set;
  own.add(entry);
  return () => { own.delete(entry); };
}

/** Operations waiting on `signal` right now (tests prove waits end with their operation). */
export function waitingOn(signal: AbortSignal): number {
  return waiters.get(signal)?.size ?? 0;
}
