// Alert delivery that never claims more than happened: each channel (webhook, command) is tried a few times with a
// growing pause, "sent" is said only after a channel accepted it, a failure is reported with its reason, and what
// could not be delivered is kept (bounded) and retried each round, which says alerts are not reaching anyone.
import type { AlertPayload } from '../collect/monitor.js';

export type Channel = 'webhook' | 'command';
/** Delivers on one channel; resolves to an error message, or undefined when it was accepted. */
export type Deliver = (payload: AlertPayload) => Promise<string | undefined>;

export interface AlertSenderOptions {
  channels: Partial<Record<Channel, Deliver>>;
  /** Attempts per channel for a new alert (the first included). */
  attempts: number;
  /** Pause before the second attempt; each later one waits twice as long. */
  backoffMs: number;
  sleep: (ms: number) => Promise<void>;
  say: (line: string) => void;
  now?: () => number;
  /** Undelivered alerts kept for later rounds; older ones are dropped (and counted). */
  maxPending?: number;
}

interface Pending {
  payload: AlertPayload;
  at: number;
  channels: Channel[];
  error: string;
}

const LABEL: Record<Channel, string> = { webhook: 'the webhook', command: 'the command' };
const joinAnd = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);

export class AlertSender {
  private pending: Pending[] = [];
  private dropped = 0;
  private readonly now: () => number;

  constructor(private readonly opts: AlertSenderOptions) {
    this.now = opts.now ?? Date.now;
  }

  get channels(): Channel[] {
    return (Object.keys(this.opts.channels) as Channel[]).filter((c) => this.opts.channels[c]);
  }

  /** Alerts still waiting for a channel that refused them. */
  get undelivered(): number {
    return this.pending.length;
  }

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }

  private async tryChannel(c: Channel, payload: AlertPayload, attempts: number): Promise<{ error?: string; tries: number }> {
    let error: string | undefined;
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await this.opts.sleep(this.opts.backoffMs * 2 ** (i - 1));
      error = await this.opts.channels[c]!(payload);
      if (error === undefined) return { tries: i + 1 };
    }
    return { error, tries: attempts };
  }

  /** A new alert: every channel, with retries; one line says where it went and where it did not. */
  async send(payload: AlertPayload): Promise<void> {
    const channels = this.channels;
    if (channels.length === 0) return;
    const results = await Promise.all(channels.map(async (c) => ({ c, ...(await this.tryChannel(c, payload, this.opts.attempts)) })));
    const ok = results.filter((r) => r.error === undefined).map((r) => LABEL[r.c]);
    const failed = results.filter((r) => r.error !== undefined);
    const what = `${payload.probe} ${payload.status}`;
    if (ok.length) this.opts.say(`${this.stamp()} ALERT ${what}: sent to ${joinAnd(ok)}`);
    if (failed.length) {
      const why = failed.map((r) => `${LABEL[r.c]}: ${r.error} (${r.tries} attempt${r.tries === 1 ? '' : 's'})`).join('; ');
      this.opts.say(`${this.stamp()} ALERT ${what}: NOT delivered to ${joinAnd(failed.map((r) => LABEL[r.c]))} — ${why}; retried next round`);
      this.keep({ payload, at: this.now(), channels: failed.map((r) => r.c), error: why });
    }
  }

  /** Once per round: one more attempt for each undelivered alert, then the truth about those still stuck. */
  async retryPending(): Promise<void> {
    if (this.pending.length === 0) return;
    const still: Pending[] = [];
    for (const p of this.pending) {
      const results = await Promise.all(p.channels.map(async (c) => ({ c, ...(await this.tryChannel(c, p.payload, 1)) })));
      const ok = results.filter((r) => r.error === undefined).map((r) => LABEL[r.c]);
      const failed = results.filter((r) => r.error !== undefined);
      if (ok.length) this.opts.say(`${this.stamp()} ALERT ${p.payload.probe} ${p.payload.status}: sent late to ${joinAnd(ok)} (from ${new Date(p.at).toISOString()})`);
      if (failed.length) still.push({ ...p, channels: failed.map((r) => r.c), error: failed.map((r) => `${LABEL[r.c]}: ${r.error}`).join('; ') });
    }
    this.pending = still;
    if (still.length === 0) return;
    const stuck = new Set(still.flatMap((p) => p.channels));
    const nobody = this.channels.every((c) => stuck.has(c));
    const oldest = new Date(still[0]!.at).toISOString();
    const n = still.length + this.dropped;
    this.opts.say(
      `${this.stamp()} WARN alerts are not reaching ${nobody ? 'anyone' : joinAnd([...stuck].map((c) => LABEL[c]))}: ` +
      `${n} alert${n === 1 ? '' : 's'} undelivered since ${oldest}${this.dropped ? ` (${this.dropped} oldest dropped)` : ''} — ${still.at(-1)!.error}`,
    );
  }

  private keep(p: Pending): void {
    this.pending.push(p);
    const max = this.opts.maxPending ?? 50;
    while (this.pending.length > max) {
      this.pending.shift();
      this.dropped++;
    }
  }
}
