// The front door of `watch`: every round, probes the GET endpoints, each domain's DNS and the declared hosts'
// certificates through a fresh resolver and agent, feeds the results to the watch engine, and sends alerts and
// recoveries. The command line only parses flags, handles Ctrl-C and prints.
import type { LoadedConfig } from '../config/load.js';
import { targetFromConfig } from '../config/target.js';
import { UsageError } from '../errors.js';
import { describeEvent, WatchEngine, type ProbeResult, type WatchEvent } from '../watch/engine.js';
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
  /** A log line for a person (start, skipped endpoints, failed deliveries). */
  warn: (line: string) => void;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function sleep(ms: number, stop: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([new Promise<void>((r) => { timer = setTimeout(r, ms); }), stop]).finally(() => clearTimeout(timer));
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
  const net = await networkFor(flags, loaded, req.cwd, 16);
  const { probeCertificate, probeDns, probeHttp, runAlertCommand, sendWebhook } = await import('../collect/monitor.js');
  let stopped = false;
  void req.stop.then(() => { stopped = true; });
  const hosts = target.domains.flatMap((d) => d.hosts.filter((h) => h.declared));
  warn(`launch-ready watch: ${plural(endpoints.length, 'endpoint')}, ${plural(target.domains.length, 'domain')}, ${plural(hosts.length, 'certificate')} every ${intervalMs / 1000} s; alert after ${failures} failures in a row${webhook ? ' to the webhook' : ''}${command ? ' by running the command' : ''}. Ctrl-C stops.`);
  if (skipped.length) warn(`not watched (not GET/HEAD, so not safe to repeat): ${skipped.join(', ')}`);
  const engine = new WatchEngine(failures);
  for (let round = 1; !stopped && (flags.rounds === undefined || round <= flags.rounds); round++) {
    const controller = new AbortController();
    const ctx = net.context(controller.signal);
    const now = Date.now();
    // A fresh resolver and agent per round: answers are never stale, and memory does not grow over days.
    const results: ProbeResult[] = await Promise.all([
      ...endpoints.map((e) => probeHttp(ctx, { name: e.name, url: e.url, method: e.method as 'GET' | 'HEAD', ...(e.headers ? { headers: e.headers } : {}) })),
      ...target.domains.map((d) => probeDns(ctx, d.name)),
      ...hosts.map((h) => probeCertificate(ctx, h, now, warnDays)),
    ]);
    const events = engine.observe(results, Date.now());
    for (const e of events) say(describeEvent(e));
    for (const e of events.filter((x): x is Extract<WatchEvent, { type: 'down' | 'recovered' }> => x.type === 'down' || x.type === 'recovered')) {
      const status = e.type === 'down' ? 'down' : 'recovered';
      const payload = {
        text: e.type === 'down' ? `:red_circle: ${e.id} is DOWN: ${e.detail} (${e.failures} checks in a row)` : `:large_green_circle: ${e.id} recovered: ${e.detail}`,
        status, probe: e.id, detail: e.detail,
      } as const;
      const safe = { ...payload, text: loaded.redactor.redact(payload.text), detail: loaded.redactor.redact(payload.detail) };
      if (webhook) { const err = await sendWebhook(ctx, webhook, safe); if (err) warn(`alert for ${e.id} not delivered: ${err}`); }
      if (command) { const err = await runAlertCommand(command, safe); if (err) warn(`alert for ${e.id}: ${err}`); }
    }
    controller.abort();
    if (ctx.agent && (endpoints.length > 0 || webhook || hosts.length > 0)) await (await ctx.agent()).close().catch(() => {});
    if (!stopped && (flags.rounds === undefined || round < flags.rounds)) await sleep(intervalMs, req.stop);
  }
  warn('launch-ready watch: stopped.');
}
