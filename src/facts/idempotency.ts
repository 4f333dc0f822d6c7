// Retry facts of write endpoints (POST/PUT/PATCH of kind write): what the audit's own requests showed about
// Idempotency-Key support, and the opt-in replay probe's two answers. Bodies are never kept: only their size, a
// short hash, and hashes of the resource id and Location they named.

/** How an endpoint showed that it knows Idempotency-Key, without any extra write of ours. */
export type KeySignalKind =
  /** A CORS preflight answer lists Idempotency-Key in Access-Control-Allow-Headers (a list, not a reflection). */
  | 'preflight-allows'
  /** An answer lists Idempotency-Key or Idempotent-Replayed in Access-Control-Expose-Headers. */
  | 'exposes-header'
  /** An answer carries an Idempotency-Key header. */
  | 'echoes-key'
  /** An answer carries an Idempotent-Replayed header. */
  | 'replayed-header'
  /** A request without a key was refused (4xx) with a body naming the Idempotency-Key (the IETF draft's answer). */
  | 'key-required';

export interface KeySignal {
  kind: KeySignalKind;
  /** What showed it, cut: the header value, or the refusal's status. */
  detail: string;
}

/** The OPTIONS preflight sent for the endpoint's method, asking for Idempotency-Key and a made-up header. */
export interface RetryPreflight {
  status?: number;
  /** Access-Control-Allow-Headers as answered, cut. */
  allowHeaders?: string;
  /** The answer also allowed our made-up header: it reflects whatever is asked, so it documents nothing. */
  reflects: boolean;
  error?: string;
}

/** One answer of the replay probe. */
export interface ReplayAnswer {
  status: number;
  bodyBytes: number;
  /** sha256 (hex, 16 chars) of the body bytes read. */
  bodyHash: string;
  /** The JSON field that named the created resource (id, _id, uuid, data.id...), and a hash of its value. */
  idField?: string;
  idHash?: string;
  /** The Location header without query or fragment (cut), and a hash of it whole. */
  location?: string;
  locationHash?: string;
  /** Idempotent-Replayed as answered. */
  replayed?: string;
  /** The body names the idempotency key (a conflict or a refusal about the key). */
  namesKey: boolean;
}

/** The opt-in probe: the configured request sent twice, one after the other, with one generated Idempotency-Key. */
export interface ReplayProbe {
  /** Requests sent: 0 when refused or failed before the first answer. */
  sent: number;
  answers: ReplayAnswer[];
  /** Why the probe was not run (an unconfirmed non-loopback host). */
  skipped?: string;
  error?: string;
}

export interface WriteRetries {
  /** Status of the first answer to the audit's own request (the latency sampling), when one came. */
  answerStatus?: number;
  /** Signals seen on the audit's own requests: its answers and the preflight. */
  signals: KeySignal[];
  preflight?: RetryPreflight;
  /** Set only for endpoints with idempotencyProbe: true. */
  probe?: ReplayProbe;
}
