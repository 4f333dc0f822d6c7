// MTA-STS policy fetch (RFC 8461 3.3): one HTTPS GET, no redirects, size-capped, and the certificate judged the way
// sending MTAs judge it (a policy behind an invalid certificate is not used). Destinations come from the run's
// resolver and --connect-to rules (resolveDestination), never from the system resolver.
import tls from 'node:tls';
import { Agent, request } from 'undici';
import type { MtaStsPolicy } from '../../facts/email.js';
import type { CollectContext } from '../context.js';
import { forbiddenLookup, isDestinationError, resolveDestination } from '../http/destination.js';

/** RFC 8461 3.3: senders should not accept policies larger than 64 KiB. */
export const MAX_POLICY_BYTES = 64 * 1024;

export async function fetchMtaStsPolicy(ctx: CollectContext, url: string): Promise<MtaStsPolicy> {
  const { hostname } = new URL(url);
  let certificate: MtaStsPolicy['certificate'];
  const agent = new Agent({
    connections: 1,
    headersTimeout: ctx.timeoutMs,
    bodyTimeout: ctx.timeoutMs,
    connect: (opts, cb) => {
      // An error after the handshake (a reset mid-body) must not report the connection a second time.
      let called = false;
      const callback: typeof cb = (err, sock) => { if (!called) { called = true; cb(err, sock as never); } };
      resolveDestination(ctx, opts.hostname, Number(opts.port) || 443).then((dest) => {
        if (isDestinationError(dest)) return callback(new Error(dest.message), null);
        // Verified by hand after the handshake: an invalid certificate is a finding to report, not a fetch failure.
        const socket = tls.connect({
          host: dest.address, port: dest.port, servername: hostname, rejectUnauthorized: false,
          ca: [...tls.rootCertificates, ...(ctx.extraCa ?? [])], ALPNProtocols: ['http/1.1'], lookup: forbiddenLookup as unknown as tls.ConnectionOptions['lookup'],
          timeout: ctx.timeoutMs,
        });
        socket.once('secureConnect', () => {
          const error = socket.authorizationError;
          certificate = socket.authorized ? { valid: true } : { valid: false, error: String(error ?? 'not trusted') };
          callback(null, socket);
        });
        socket.once('timeout', () => socket.destroy(new Error(`TLS connection to ${hostname} timed out`)));
        socket.once('error', (e) => callback(e, null));
      }, (e: unknown) => callback(e instanceof Error ? e : new Error(String(e)), null));
    },
  });
  try {
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]);
    const res = await request(url, { dispatcher: agent, signal, headers: { accept: 'text/plain' } });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_POLICY_BYTES) {
        res.body.destroy();
        return { status: 'error', url, httpStatus: res.statusCode, reason: `the policy is larger than ${MAX_POLICY_BYTES} bytes`, ...(certificate ? { certificate } : {}) };
      }
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const cert = certificate ? { certificate } : {};
    // Redirects are not followed (RFC 8461 3.3): a 3xx is a failed fetch like any other non-200.
    if (res.statusCode !== 200) return { status: 'error', url, httpStatus: res.statusCode, reason: `HTTP ${res.statusCode}`, ...cert };
    return { status: 'fetched', url, httpStatus: 200, text, ...(res.headers['content-type'] !== undefined ? { contentType: String(res.headers['content-type']) } : {}), ...cert };
  } catch (e) {
    return { status: 'error', url, reason: e instanceof Error ? e.message : String(e), ...(certificate ? { certificate } : {}) };
  } finally {
    await agent.destroy().catch(() => {});
  }
}
