// MTA-STS policy fetch (RFC 8461 3.3): one HTTPS GET, no redirects, size-capped, and the certificate judged the way
// sending MTAs judge it (a policy behind an invalid certificate is not used). Destinations come from the run's
// resolver and --connect-to rules through the shared fetch, never from the system resolver.
import type { MtaStsPolicy } from '../../facts/email.js';
import type { CollectContext } from '../context.js';
import { createHttpClient, httpFetch, isFetchFailure } from '../http/fetch.js';

/** RFC 8461 3.3: senders should not accept policies larger than 64 KiB. */
export const MAX_POLICY_BYTES = 64 * 1024;

export async function fetchMtaStsPolicy(ctx: CollectContext, url: string): Promise<MtaStsPolicy> {
  // A pool of its own: its one connection is opened by this request, so the certificate verdict is this host's. An
  // invalid certificate is a finding to report, not a fetch failure.
  const client = createHttpClient(ctx, { certificates: 'judge', connections: 1 });
  try {
    const res = await httpFetch(ctx, { url, headers: { accept: 'text/plain' }, read: { maxBytes: MAX_POLICY_BYTES }, client });
    const cert = res.certificate ? { certificate: res.certificate } : {};
    if (isFetchFailure(res)) return { status: 'error', url, reason: res.error.message, ...cert };
    if (res.truncated) return { status: 'error', url, httpStatus: res.status, reason: `the policy is larger than ${MAX_POLICY_BYTES} bytes`, ...cert };
    // Redirects are not followed (RFC 8461 3.3): a 3xx is a failed fetch like any other non-200.
    if (res.status !== 200) return { status: 'error', url, httpStatus: res.status, reason: `HTTP ${res.status}`, ...cert };
    return { status: 'fetched', url, httpStatus: 200, text: res.body.toString('utf8'), ...(res.headers['content-type'] !== undefined ? { contentType: res.headers['content-type'] } : {}), ...cert };
  } finally {
    await client.destroy().catch(() => {});
  }
}
