// Takeover facts: for each surface whose DNS points at a known service, what that service answered over HTTP(S).

export interface TakeoverResponse {
  url: string;
  /** Every hop's status, in order (a redirect's status can itself be the sign). Empty when the request failed. */
  statuses: number[];
  /** The final answer's body when textual (HTML, XML, JSON, plain text, or untyped), cut to a cap. */
  body?: string;
  error?: { kind: string; message: string };
}

export interface TakeoverProbe {
  host: string;
  /** The CNAME target (or the address) that names the service. */
  target: string;
  /** The host's CNAME chain, from the host. */
  chain: string[];
  responses: TakeoverResponse[];
}
