// Watch probes and alert delivery: an HTTP check per endpoint, a DNS check per domain and a certificate check per
// host, all through the run's resolver and HTTP client; alerts go to a Slack-compatible webhook and/or a command.
import { spawn } from 'node:child_process';
import { hostAddresses } from '../derive/dns.js';
import type { TargetHost } from '../facts/dns.js';
import type { ProbeResult } from '../watch/engine.js';
import type { CollectContext } from './context.js';
import { httpFetch, isFetchFailure } from './http/fetch.js';
import { probeEndpoint } from './tls/index.js';

export interface HttpProbeSpec {
  name: string;
  url: string;
  method: 'GET' | 'HEAD';
  headers?: Record<string, string>;
}

const BODY_CAP = 64 * 1024;

export async function probeHttp(ctx: CollectContext, spec: HttpProbeSpec): Promise<ProbeResult> {
  const id = `http:${spec.name}`;
  const res = await httpFetch(ctx, { url: spec.url, method: spec.method, headers: spec.headers ?? {}, read: { maxBytes: BODY_CAP, keep: false } });
  if (isFetchFailure(res)) return { id, ok: false, detail: res.error.message };
  return { id, ok: res.status < 400, detail: `${res.status} in ${Math.round(res.timing.total)} ms` };
}

export async function probeDns(ctx: CollectContext, host: string): Promise<ProbeResult> {
  const [a, aaaa] = await Promise.all([ctx.resolver.resolveAddresses(host, 'A'), ctx.resolver.resolveAddresses(host, 'AAAA')]);
  const addresses = hostAddresses({ a, aaaa });
  return addresses.length
    ? { id: `dns:${host}`, ok: true, detail: `resolves to ${addresses.join(', ')}` }
    : { id: `dns:${host}`, ok: false, detail: `does not resolve (A: ${a.status}, AAAA: ${aaaa.status})` };
}

export async function probeCertificate(ctx: CollectContext, host: TargetHost, now: number, warnDays: number): Promise<ProbeResult> {
  const id = `tls:${host.name}`;
  const ep = await probeEndpoint(ctx, host);
  if (ep.status !== 'ok') return { id, ok: false, detail: `TLS ${ep.status}${ep.message ? `: ${ep.message}` : ''}` };
  const leaf = ep.chain[0];
  if (!leaf) return { id, ok: false, detail: 'no certificate presented' };
  const notAfter = Date.parse(leaf.notAfter);
  const days = Math.floor((notAfter - now) / 86_400_000);
  // Whole days since expiry, counted as the audit's cert-expiry check counts them (10.5 days ago is 10).
  if (notAfter <= now) return { id, ok: false, detail: `certificate expired ${Math.floor((now - notAfter) / 86_400_000)} days ago` };
  return { id, ok: days >= warnDays, detail: `certificate expires in ${days} days` };
}

export interface AlertPayload {
  text: string;
  status: 'down' | 'recovered';
  probe: string;
  detail: string;
}

/** Posts Slack-compatible JSON ({text, ...}); returns an error message instead of throwing. */
export async function sendWebhook(ctx: CollectContext, url: string, payload: AlertPayload): Promise<string | undefined> {
  const res = await httpFetch(ctx, {
    url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload),
    read: { maxBytes: BODY_CAP, keep: false },
  });
  if (isFetchFailure(res)) return `webhook failed: ${res.error.message}`;
  return res.status < 300 ? undefined : `webhook answered ${res.status}`;
}

/** Runs the alert command with the event in LR_WATCH_* variables; bounded in time, output discarded. */
export function runAlertCommand(command: string, payload: AlertPayload, timeoutMs = 30_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], {
      stdio: 'ignore',
      env: { ...process.env, LR_WATCH_STATUS: payload.status, LR_WATCH_PROBE: payload.probe, LR_WATCH_DETAIL: payload.detail, LR_WATCH_TEXT: payload.text },
    });
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(`alert command did not finish within ${timeoutMs} ms`); }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); resolve(`alert command failed: ${err.message}`); });
    child.on('exit', (code) => { clearTimeout(timer); resolve(code === 0 ? undefined : `alert command exited ${code}`); });
  });
}
