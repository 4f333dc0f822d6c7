// `launch-ready watch`: checks endpoints, DNS and certificates every N seconds, prints status changes, alerts after
// K failures in a row (webhook and/or command) and announces recovery. Ctrl-C stops cleanly.
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { buildTarget } from '../config/target.js';
import { UsageError } from '../run.js';
import { describeEvent, WatchEngine, type ProbeResult, type WatchEvent } from '../watch/engine.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { networkFor, type NetworkFlags } from './network.js';
import type { Streams } from './output.js';

export interface WatchFlags extends NetworkFlags {
  config?: string;
  interval?: number;
  failures?: number;
  webhook?: string;
  exec?: string;
  rounds?: number;
  certWarnDays?: number;
  quiet?: boolean;
}

export interface WatchHooks {
  /** Resolves when the watch should stop (SIGINT by default). */
  stop?: Promise<void>;
}

function sleep(ms: number, stop: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([new Promise<void>((r) => { timer = setTimeout(r, ms); }), stop]).finally(() => clearTimeout(timer));
}

export async function watchCommand(domains: string[], flags: WatchFlags, streams: Streams, cwd: string, hooks: WatchHooks = {}): Promise<number> {
  let loaded: LoadedConfig | undefined;
  let onSigint: (() => void) | undefined;
  try {
    loaded = await loadConfig({ ...(flags.config ? { file: flags.config } : {}), cwd, env: streams.env });
    const { config } = loaded;
    const m = config.monitor ?? {};
    const intervalMs = Math.round((flags.interval ?? m.intervalSec ?? 60) * 1000);
    const failures = flags.failures ?? m.failuresBeforeAlert ?? 3;
    const webhook = flags.webhook ?? m.webhook;
    const command = flags.exec ?? m.command;
    const warnDays = flags.certWarnDays ?? m.certWarnDays ?? 14;
    const target = buildTarget(config, domains, new Date(), loaded.file);
    const endpoints = config.endpoints.filter((e) => e.method === 'GET' || e.method === 'HEAD');
    const skipped = config.endpoints.filter((e) => e.method !== 'GET' && e.method !== 'HEAD').map((e) => e.name);
    if (target.domains.length === 0 && endpoints.length === 0) {
      throw new UsageError('nothing to watch: give a domain (`launch-ready watch example.com`) or GET endpoints in the config');
    }
    const net = await networkFor(flags, loaded, cwd, 16);
    const { probeCertificate, probeDns, probeHttp, runAlertCommand, sendWebhook } = await import('../collect/monitor.js');
    const say = (line: string) => streams.stdout.write(`${loaded!.redactor.redact(line)}\n`);
    const warn = (line: string) => { if (!flags.quiet) streams.stderr.write(`${loaded!.redactor.redact(line)}\n`); };
    const stop = hooks.stop ?? new Promise<void>((resolve) => { onSigint = () => resolve(); process.once('SIGINT', onSigint); });
    let stopped = false;
    void stop.then(() => { stopped = true; });
    const hosts = target.domains.flatMap((d) => d.hosts.filter((h) => h.declared));
    warn(`launch-ready watch: ${endpoints.length} endpoints, ${target.domains.length} domains, ${hosts.length} certificates every ${intervalMs / 1000} s; alert after ${failures} failures in a row${webhook ? ' to the webhook' : ''}${command ? ' by running the command' : ''}. Ctrl-C stops.`);
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
      if (!stopped && (flags.rounds === undefined || round < flags.rounds)) await sleep(intervalMs, stop);
    }
    warn('launch-ready watch: stopped.');
    return EXIT.go;
  } catch (err) {
    return reportError(err, streams, loaded?.redactor);
  } finally {
    if (onSigint) process.removeListener('SIGINT', onSigint);
  }
}
