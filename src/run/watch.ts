// The front door of `watch`: every round, probes the GET endpoints, each domain's DNS and the declared hosts'
// certificates through a fresh resolver and agent, appends each result to the history, feeds the engine, and sends
// alerts and recoveries, saying only what was delivered. The command line only parses flags, handles Ctrl-C and prints.
import { dirname, join, resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { targetFromConfig } from '../config/target.js';
import { onAbort } from '../collect/abort.js';
import { UsageError } from '../errors.js';
import { describeEvent, WatchEngine, type MonitorResult, type WatchEvent } from '../watch/engine.js';
import { toRecord } from '../watch/history.js';
import { AlertSender, type Channel, type Deliver } from './alerts.js';
import type { WatchFlags } from './flags.js';
import { networkFor } from './network.js';

export interface WatchRequest {
  loaded: LoadedConfig;
  domains: readonly string[];
  flags: WatchFlags;
  cwd: string;
  /** Resolves when the watch should stop. */
  stop: Promise<void>;
  /** A status line (a change, an alert): the watch's output. */
  say: (line: string) => void;
  /** A log line for a person (start, skipped endpoints, history trouble). */
  warn: (line: string) => void;
  /** Called after each round (tests sample memory here). */
  onRound?: (round: number) => void | Promise<void>;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** Attempts per channel for a new alert; the pause before each retry doubles from a tenth of the interval (≤ 1 s). */
const ALERT_ATTEMPTS = 3;

/**
 * Waits ms, or less when the watch stops. Not Promise.race with the stop promise: each race leaves a reaction on a
 * promise that stays pending for days, one more per round.
 */
function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => { clearTimeout(timer); stopWaiting(); resolve(); };
    const timer = setTimeout(done, ms);
    const stopWaiting = onAbort(stop, done);
  });
}

/** The default history lives with the project it watches: next to the config, else where the command runs. */
export function defaultHistoryFile(loaded: LoadedConfig, cwd: string): string {
  return join(loaded.file ? dirname(loaded.file) : cwd, '.launch-ready', 'history.jsonl');
}

function checkWebhook(url: string): void {
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    // The URL is a secret (a Slack hook carries its token): it is never repeated.
  }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) throw new UsageError('the alert webhook is not an http(s) URL (check --webhook or monitor.webhook)');
}

export async function runWatch(req: WatchRequest): Promise<void> {
  const { loaded, flags, say, warn } = req;
  const { config } = loaded;
  const m = config.monitor ?? {};
  const intervalMs = Math.round((flags.interval ?? m.intervalSec ?? 60) * 1000);
  const failures = flags.failures ?? m.failuresBeforeAlert ?? 3;
  const webhook = flags.webhook ?? m.webhook;
  const command = flags.exec ?? m.command;
  const warnDays = flags.certWarnDays ?? m.certWarnDays ?? 14;
  const target = targetFromConfig(config, req.domains, new Date(), loaded.file);
  const endpoints = config.endpoints.filter((e) => e.method === 'GET' || e.method === 'HEAD');
  const skipped = config.endpoints.filter((e) => e.method !== 'GET' && e.method !== 'HEAD').map((e) => e.name);
  if (target.domains.length === 0 && endpoints.length === 0) {
    throw new UsageError('nothing to watch: give a domain (`launch-ready watch example.com`) or GET endpoints in the config');
  }
  const monitor = await import('../collect/monitor.js');
  // A watch that cannot alert must say so before it starts, not at 3 a.m. when the first alert is lost.
  if (webhook !== undefined) checkWebhook(webhook);
  if (command !== undefined) {
    const problem = await monitor.checkAlertCommand(command);
    if (problem) throw new UsageError(`${problem} (check --exec or monitor.command)`);
  }
  const net = await networkFor(flags, loaded, req.cwd, 16);
  const { createHttpClient } = await import('../collect/http/fetch.js');
  const { HistoryWriter } = await import('../collect/history.js');
  const historyFile = flags.history === false ? undefined : flags.history ? resolve(req.cwd, flags.history) : defaultHistoryFile(loaded, req.cwd);
  const history = historyFile ? new HistoryWriter(historyFile) : undefined;
  let historyTrouble: string | undefined;
  const stopping = new AbortController();
  void req.stop.then(() => stopping.abort());
  const stopped = () => stopping.signal.aborted;
  const hosts = target.domains.flatMap((d) => d.hosts.filter((h) => h.declared));
  warn(`launch-ready watch: ${plural(endpoints.length, 'endpoint')}, ${plural(target.domains.length, 'domain')}, ${plural(hosts.length, 'certificate')} every ${intervalMs / 1000} s; alert after ${failures} failures in a row${webhook ? ' to the webhook' : ''}${command ? ' by running the command' : ''}${historyFile ? `; history in ${historyFile}` : ''}. Ctrl-C stops.`);
  if (!webhook && !command) warn('no alert channel (--webhook, --exec or the config\'s monitor section): status lines only.');
  if (skipped.length) warn(`not watched (not GET/HEAD, so not safe to repeat): ${skipped.join(', ')}`);
  const engine = new WatchEngine(failures);
  // The round's context carries the signal deliveries use: set before each round's alerts go out.
  let roundCtx: ReturnType<typeof net.context> | undefined;
  const channels: Partial<Record<Channel, Deliver>> = {
    ...(webhook ? { webhook: (p) => monitor.sendWebhook(roundCtx!, webhook, p) } : {}),
    ...(command ? { command: (p) => monitor.runAlertCommand(command, p) } : {}),
  };
  const alerts = new AlertSender({
    channels, attempts: ALERT_ATTEMPTS, backoffMs: Math.min(1000, Math.max(10, intervalMs / 10)),
    sleep: (ms) => sleep(ms, stopping.signal), say,
  });
  for (let round = 1; !stopped() && (flags.rounds === undefined || round <= flags.rounds); round++) {
    const controller = new AbortController();
    const ctx = (roundCtx = net.context(controller.signal));
    // Endpoints are judged as the audit judges a certificate (trust with --ca, names, dates): one a browser rejects
    // is down, with the same words as the certificate monitor, whether or not its host is also one.
    const judged = createHttpClient(ctx, { certificates: 'audit' });
    const verdicts = new Map<string, string | null>();
    const now = Date.now();
    // A fresh resolver and agent per round: answers are never stale, and memory does not grow over days.
    const results: MonitorResult[] = await Promise.all([
      ...endpoints.map((e) => monitor.probeHttp(ctx, {
        name: e.name, url: e.url, method: e.method as 'GET' | 'HEAD',
        ...(e.headers ? { headers: e.headers } : {}), ...(e.budgetP95Ms ? { budgetMs: e.budgetP95Ms } : {}),
      }, judged, verdicts)),
      ...target.domains.map((d) => monitor.probeDns(ctx, d.name)),
      ...hosts.map((h) => monitor.probeCertificate(ctx, h, now, warnDays)),
    ]);
    await judged.close().catch(() => {});
    if (history) {
      try {
        await history.append(results.map((r) => toRecord(r, now, (s) => loaded.redactor.redact(s))));
        historyTrouble = undefined;
      } catch (err) {
        const why = `history not written to ${history.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
        // Once per kind of trouble: a full disk must not flood the log, nor stop the alerts.
        if (why !== historyTrouble) warn(why);
        historyTrouble = why;
      }
    }
    const events = engine.observe(results, Date.now());
    for (const e of events) say(describeEvent(e));
    await alerts.retryPending();
    for (const e of events.filter((x): x is Extract<WatchEvent, { type: 'down' | 'recovered' }> => x.type === 'down' || x.type === 'recovered')) {
      const status = e.type === 'down' ? 'down' : 'recovered';
      const text = e.type === 'down' ? `:red_circle: ${e.id} is DOWN: ${e.detail} (${e.failures} checks in a row)` : `:large_green_circle: ${e.id} recovered: ${e.detail}`;
      await alerts.send({ text: loaded.redactor.redact(text), status, probe: e.id, detail: loaded.redactor.redact(e.detail) });
    }
    controller.abort();
    if (ctx.agent && (endpoints.length > 0 || webhook || hosts.length > 0)) await (await ctx.agent()).close().catch(() => {});
    roundCtx = undefined;
    await req.onRound?.(round);
    if (!stopped() && (flags.rounds === undefined || round < flags.rounds)) await sleep(intervalMs, stopping.signal);
  }
  warn('launch-ready watch: stopped.');
}
