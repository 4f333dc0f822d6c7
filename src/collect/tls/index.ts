// The TLS collector: one handshake per surface on port 443 with SNI, through the run's resolver and --connect-to,
// recording the presented chain, its trust, the negotiated protocol and cipher, plus probes for TLS 1.0 and 1.1.
import { isIP } from 'node:net';
import tls from 'node:tls';
import type { TargetFacts } from '../../facts/index.js';
import type { CertInfo, LegacyProbe, TlsEndpoint } from '../../facts/tls.js';
import { onAbort } from '../abort.js';
import type { CollectContext } from '../context.js';
import { forbiddenLookup, isDestinationError, resolveDestination, type Destination } from '../http/destination.js';
import { presentedChain, safeParse } from './parse.js';
import { judgeChain } from './trust.js';

export const TLS_PORT = 443;

// Our client must be able to speak what it probes for: OpenSSL 3 refuses TLS 1.0/1.1 and weak keys at its default
// security level, which would make old servers look modern.
const PERMISSIVE_CIPHERS = 'DEFAULT@SECLEVEL=0';

interface HandshakeResult {
  ok: boolean;
  socket?: tls.TLSSocket;
  code?: string;
  message?: string;
}

type Version = 'default' | 'TLSv1' | 'TLSv1.1';
const contexts = new WeakMap<CollectContext, Map<Version, tls.SecureContext>>();

/**
 * One secure context per run and protocol range. None carries --ca: trust is judged by judgeChain, and a context
 * built with `ca` re-parses the whole root store (100 ms and more) for nothing.
 */
function secureContext(ctx: CollectContext, version: Version): tls.SecureContext {
  let byVersion = contexts.get(ctx);
  if (!byVersion) contexts.set(ctx, (byVersion = new Map()));
  let sc = byVersion.get(version);
  if (!sc) {
    sc = tls.createSecureContext({
      ciphers: PERMISSIVE_CIPHERS,
      ...(version === 'default' ? {} : { minVersion: version, maxVersion: version }),
    });
    byVersion.set(version, sc);
  }
  return sc;
}

function handshake(ctx: CollectContext, dest: Destination, host: string, version: Version): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = tls.connect({
      host: dest.address,
      port: dest.port,
      // SNI carries names only (RFC 6066).
      ...(isIP(host) ? {} : { servername: host }),
      rejectUnauthorized: false,
      secureContext: secureContext(ctx, version),
      lookup: forbiddenLookup as unknown as tls.ConnectionOptions['lookup'],
      // The main handshake offers h2 as a phone's HTTP stack does, so the answer tells whether the host speaks it.
      ALPNProtocols: version === 'default' ? ['h2', 'http/1.1'] : ['http/1.1'],
    });
    const finish = (r: HandshakeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopWaiting();
      if (!r.ok) socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ ok: false, code: 'ETIMEDOUT', message: `no handshake within ${ctx.timeoutMs} ms` }), ctx.timeoutMs);
    const stopWaiting = onAbort(ctx.signal, () => finish({ ok: false, code: 'ETIMEDOUT', message: 'run deadline passed' }));
    socket.once('secureConnect', () => finish({ ok: true, socket }));
    socket.once('error', (err: NodeJS.ErrnoException) => finish({ ok: false, code: err.code ?? 'ERROR', message: sslReason(err.message) }));
    socket.once('close', () => finish({ ok: false, code: 'ECONNRESET', message: 'connection closed during the handshake' }));
  });
}

/** OpenSSL's "80AC...:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../deps/..." → the reason. */
export function sslReason(message: string): string {
  const m = /error:[0-9A-F]+:[^:]+:[^:]*:([^:]+)/.exec(message);
  return (m?.[1] ?? message.split('\n')[0] ?? message).trim();
}

function failureStatus(code: string | undefined): TlsEndpoint['status'] {
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  if (code?.startsWith('ERR_SSL') || code?.startsWith('ERR_TLS')) return 'handshake-failed';
  return 'error';
}

/** Our side could not offer the version: the server was never asked. */
const LOCAL_REFUSALS = /NO_PROTOCOLS_AVAILABLE|NO_CIPHERS_AVAILABLE|UNSUPPORTED_PROTOCOL_VERSION|NO_SUITABLE/;

async function probeLegacy(ctx: CollectContext, dest: Destination, host: string, version: 'TLSv1' | 'TLSv1.1'): Promise<LegacyProbe> {
  const r = await handshake(ctx, dest, host, version);
  if (r.ok) {
    const negotiated = r.socket!.getProtocol();
    r.socket!.destroy();
    return negotiated === version ? { version, status: 'accepted' } : { version, status: 'rejected', message: `negotiated ${negotiated}` };
  }
  if (LOCAL_REFUSALS.test(r.code ?? '') || /no protocols available/i.test(r.message ?? '')) {
    return { version, status: 'untestable', message: `this machine's TLS library cannot offer ${version}: ${r.message}` };
  }
  if (r.code === 'ETIMEDOUT' || r.code === 'ECONNREFUSED') return { version, status: 'error', message: r.message ?? r.code };
  // An alert, a reset or a "wrong version" reply: the server said no.
  return { version, status: 'rejected', message: r.message ?? r.code ?? 'refused' };
}

export interface ProbeOptions {
  /**
   * Also try TLS 1.0 and 1.1 (default true): the audit's legacy-tls check needs them; a watch round, which judges only
   * trust, names and expiry, skips them and costs one handshake per host instead of three.
   */
  legacy?: boolean;
}

export async function probeEndpoint(
  ctx: CollectContext,
  host: { name: string; domain: string; label: string; declared: boolean },
  port = TLS_PORT,
  opts: ProbeOptions = {},
): Promise<TlsEndpoint> {
  const started = performance.now();
  const base = { host: host.name, domain: host.domain, label: host.label, declared: host.declared, port, legacy: [] as LegacyProbe[], chain: [] as CertInfo[] };
  const elapsed = () => Math.round(performance.now() - started);
  const dest = await resolveDestination(ctx, host.name, port);
  if (isDestinationError(dest)) {
    const status = dest.kind === 'no-address' ? 'no-address' : dest.kind === 'dns-failure' ? 'dns-failure' : 'error';
    return { ...base, addresses: dest.hostAddresses, status, message: dest.message, elapsedMs: elapsed() };
  }
  const connectedTo = `${dest.address.includes(':') ? `[${dest.address}]` : dest.address}:${dest.port}`;
  // The legacy probes run beside the main handshake: a host costs one round of handshakes, not three.
  // Only the handshakes hold a limiter slot: DNS above takes its own, and nesting them could deadlock.
  const [main, legacy] = await Promise.all([
    ctx.limiter.run(() => handshake(ctx, dest, host.name, 'default')),
    opts.legacy === false ? [] : Promise.all([
      ctx.limiter.run(() => probeLegacy(ctx, dest, host.name, 'TLSv1')),
      ctx.limiter.run(() => probeLegacy(ctx, dest, host.name, 'TLSv1.1')),
    ]),
  ]);
  const common = { ...base, addresses: dest.hostAddresses, connectedTo, legacy };
  if (!main.ok) {
    return { ...common, status: failureStatus(main.code), message: `${main.code}: ${main.message}`, elapsedMs: elapsed() };
  }
  const socket = main.socket!;
  try {
    const ders = presentedChain(socket);
    const authError = socket.authorizationError as unknown as Error | string | null;
    // OpenSSL's verdict uses Node's store only: with --ca it would blame the private root, so it is left out.
    const nodeVerifyError = authError && !ctx.extraCa?.length ? String((authError as NodeJS.ErrnoException).code ?? authError) : undefined;
    return {
      ...common,
      status: 'ok',
      protocol: socket.getProtocol() ?? undefined,
      cipher: socket.getCipher()?.name,
      alpn: socket.alpnProtocol || null,
      chain: ders.flatMap(safeParse),
      trust: judgeChain(ders, ctx.extraCa ?? []),
      ...(nodeVerifyError ? { nodeVerifyError } : {}),
      elapsedMs: elapsed(),
    } as TlsEndpoint;
  } finally {
    socket.destroy();
  }
}

const probes = new WeakMap<CollectContext, Map<string, Promise<TlsEndpoint>>>();

/** probeEndpoint at most once per host and port in a run: discovery reads certificates the TLS collector then reuses. */
export function probeOnce(ctx: CollectContext, host: { name: string; domain: string; label: string; declared: boolean }, port = TLS_PORT): Promise<TlsEndpoint> {
  let byHost = probes.get(ctx);
  if (!byHost) probes.set(ctx, (byHost = new Map()));
  const key = `${host.name}:${port}`;
  let p = byHost.get(key);
  if (!p) byHost.set(key, (p = probeEndpoint(ctx, host, port)));
  return p;
}

/** Every surface of every domain with a web port (DNS-only discovered hosts are left out), within the run's limiter. */
export async function collectTls(ctx: CollectContext, target: TargetFacts): Promise<TlsEndpoint[]> {
  const hosts = target.domains.flatMap((d) => d.hosts).filter((h) => !h.dnsOnly);
  return Promise.all(hosts.map(async (h) => ({
    ...(await probeOnce(ctx, h)),
    domain: h.domain, label: h.label, declared: h.declared,
    ...(h.discoveredVia ? { discovered: true } : {}),
  })));
}
