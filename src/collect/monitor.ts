// Watch probes and alert delivery: an HTTP check per endpoint, a DNS check per domain and a certificate check per
// host, all through the run's resolver and HTTP client; alerts go to a Slack-compatible webhook and/or a command.
// A probe says what a browser would: a certificate the audit calls untrusted, misnamed or expired is down here too.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { hostAddresses } from '../derive/dns.js';
import { browserRejection, daysUntil } from '../derive/tls.js';
import type { TargetHost } from '../facts/dns.js';
import type { TlsEndpoint } from '../facts/tls.js';
import type { FailureClass, MonitorResult } from '../watch/engine.js';
import type { CollectContext } from './context.js';
import { httpFetch, isFetchFailure, type FetchErrorKind, type HttpClient } from './http/fetch.js';
import { probeEndpoint, TLS_PORT } from './tls/index.js';

export interface HttpProbeSpec {
  name: string;
  url: string;
  method: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  /** A slower answer counts as a failure of class 'budget' (only when the config sets the endpoint's budget). */
  budgetMs?: number;
}

const BODY_CAP = 64 * 1024;

const FETCH_CLASS: Record<FetchErrorKind, FailureClass> = {
  'invalid-url': 'connect', 'no-address': 'dns', 'dns-failure': 'dns', forbidden: 'connect', refused: 'connect',
  reset: 'connect', timeout: 'timeout', aborted: 'timeout', tls: 'tls', 'too-many-redirects': 'http', error: 'connect',
};

/**
 * `client` should judge certificates (createHttpClient with certificates: 'audit'): an HTTPS endpoint whose
 * certificate the audit rejects (trust with --ca, names, dates) is down, as it is for every browser. `verdicts`
 * remembers each origin's verdict for the round, since a request over a kept-alive connection carries none.
 */
export async function probeHttp(
  ctx: CollectContext, spec: HttpProbeSpec, client?: HttpClient, verdicts: Map<string, string | null> = new Map(),
): Promise<MonitorResult> {
  const base = { id: `http:${spec.name}`, kind: 'http' as const, target: spec.url };
  const res = await httpFetch(ctx, {
    url: spec.url, method: spec.method, headers: spec.headers ?? {}, read: { maxBytes: BODY_CAP, keep: false }, ...(client ? { client } : {}),
  });
  const origin = URL.canParse(spec.url) ? new URL(spec.url).origin : spec.url;
  if (res.certificate) verdicts.set(origin, res.certificate.valid ? null : res.certificate.error ?? 'not trusted');
  const latencyMs = Math.round(isFetchFailure(res) ? res.elapsedMs : res.timing.total);
  if (isFetchFailure(res)) return { ...base, ok: false, detail: res.error.message, latencyMs, cause: FETCH_CLASS[res.error.kind] };
  const untrusted = client ? verdicts.get(origin) : null;
  if (untrusted) return { ...base, ok: false, detail: `certificate rejected: ${untrusted}`, latencyMs, cause: 'tls', status: res.status };
  const seen = `${res.status} in ${latencyMs} ms`;
  if (res.status >= 400) return { ...base, ok: false, detail: seen, latencyMs, cause: 'http', status: res.status };
  if (spec.budgetMs !== undefined && latencyMs > spec.budgetMs) {
    return { ...base, ok: false, detail: `${seen}, over its ${spec.budgetMs} ms budget`, latencyMs, cause: 'budget', status: res.status };
  }
  return { ...base, ok: true, detail: seen, latencyMs, status: res.status };
}

export async function probeDns(ctx: CollectContext, host: string): Promise<MonitorResult> {
  const started = performance.now();
  const [a, aaaa] = await Promise.all([ctx.resolver.resolveAddresses(host, 'A'), ctx.resolver.resolveAddresses(host, 'AAAA')]);
  const addresses = hostAddresses({ a, aaaa });
  const base = { id: `dns:${host}`, kind: 'dns' as const, target: host, latencyMs: Math.round(performance.now() - started) };
  return addresses.length
    ? { ...base, ok: true, detail: `resolves to ${addresses.join(', ')}` }
    : { ...base, ok: false, detail: `does not resolve (A: ${a.status}, AAAA: ${aaaa.status})`, cause: 'dns' };
}

const TLS_CLASS: Record<Exclude<TlsEndpoint['status'], 'ok'>, FailureClass> = {
  'no-address': 'dns', 'dns-failure': 'dns', refused: 'connect', timeout: 'timeout', reset: 'connect', 'handshake-failed': 'tls', error: 'connect',
};

/** What a browser says of the certificate: the audit's trust (with --ca), name and validity rules, then expiry room. */
export function judgeCertificate(ep: TlsEndpoint, now: number, warnDays: number): { ok: boolean; detail: string; cause?: FailureClass } {
  if (ep.status !== 'ok') return { ok: false, detail: `TLS ${ep.status}${ep.message ? `: ${ep.message}` : ''}`, cause: TLS_CLASS[ep.status] };
  const rejected = browserRejection(ep.host, ep.chain, ep.trust, now);
  if (rejected) return { ok: false, detail: rejected, cause: 'tls' };
  const days = daysUntil(Date.parse(ep.chain[0]!.notAfter), now);
  return days >= warnDays ? { ok: true, detail: `certificate expires in ${days} days` } : { ok: false, detail: `certificate expires in ${days} days`, cause: 'tls' };
}

export async function probeCertificate(ctx: CollectContext, host: TargetHost, now: number, warnDays: number): Promise<MonitorResult> {
  // Trust, names and expiry only: the audit's TLS 1.0/1.1 probes would be two more handshakes per host every round.
  const ep = await probeEndpoint(ctx, host, TLS_PORT, { legacy: false });
  return { id: `tls:${host.name}`, kind: 'tls', target: host.name, latencyMs: ep.elapsedMs, ...judgeCertificate(ep, now, warnDays) };
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

/**
 * Why the alert command cannot run, or undefined: its first word must be a shell builtin or an executable (asked of
 * the same /bin/sh that runs it, so PATH and builtins count as they will). A command that is found but fails later
 * is a failed delivery, reported then.
 */
export function checkAlertCommand(command: string): Promise<string | undefined> {
  const first = /^\s*(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*("[^"]*"|'[^']*'|[^\s;&|<>()]+)/.exec(command)?.[1]?.replace(/^["']|["']$/g, '');
  if (!first) return Promise.resolve('the alert command is empty');
  // dash's `command -v` accepts any existing path, executable or not: a path is checked here instead.
  if (first.includes('/')) {
    return access(first, constants.X_OK).then(() => stat(first)).then(
      (st) => (st.isFile() ? undefined : `the alert command "${first}" is not a file`),
      (err: NodeJS.ErrnoException) => `the alert command "${first}" cannot run (${err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'not executable' : err.code ?? err.message})`,
    );
  }
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', 'command -v -- "$1" >/dev/null 2>&1', 'sh', first], { stdio: 'ignore' });
    child.on('error', (err) => resolve(`cannot start /bin/sh to check the alert command: ${err.message}`));
    child.on('exit', (code) => resolve(code === 0 ? undefined : `the alert command "${first}" is neither a shell builtin nor an executable on PATH`));
  });
}
