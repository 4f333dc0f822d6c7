// The mobile estimate: from the measured server time and the connection's round trips, what a phone on a named
// network would wait. An estimate, not a measurement: the formula is shown wherever the figures are.
import type { EndpointLatency } from '../facts/latency.js';

export interface NetworkProfile {
  id: string;
  label: string;
  /** Round-trip time between the phone and the server, ms. */
  rttMs: number;
  /** Downlink bandwidth, kbit/s. */
  downKbps: number;
}

/**
 * WebPageTest's connectivity profiles (the ones its mobile tests use): LTE 70 ms RTT / 12 Mbit/s, 4G 170 ms RTT /
 * 9 Mbit/s, 3G 300 ms RTT / 1.6 Mbit/s. Real networks vary more than this; these are common reference points.
 */
export const NETWORK_PROFILES: readonly NetworkProfile[] = [
  { id: 'good-4g', label: 'good 4G', rttMs: 70, downKbps: 12_000 },
  { id: 'average-4g', label: 'average 4G', rttMs: 170, downKbps: 9_000 },
  { id: '3g', label: '3G', rttMs: 300, downKbps: 1_600 },
];

/** What a core screen may take on a phone. */
export const MOBILE_LIMIT_MS = 2000;

/** TCP's initial congestion window (10 segments of 1460 bytes, RFC 6928): larger bodies need more round trips. */
const INITIAL_WINDOW_BYTES = 14_600;

export const MOBILE_FORMULA =
  'server = p95 − measured TCP connect (≈ our RTT to the server); transfer = bytes × 8 / bandwidth; ' +
  'slow-start = extra round trips while TCP\'s window (14.6 kB, doubling) grows; ' +
  'cold = (DNS 1 + TCP 1 + TLS 1 [TLS 1.3; TLS 1.2 adds 1] + request 1 + slow-start) × RTT + server + transfer; ' +
  'warm = 1 × RTT + server + transfer';

export interface MobileEstimate {
  profile: string;
  coldMs: number;
  warmMs: number;
}

export function slowStartRounds(bytes: number): number {
  if (bytes <= INITIAL_WINDOW_BYTES) return 0;
  return Math.ceil(Math.log2(bytes / INITIAL_WINDOW_BYTES + 1)) - 1;
}

/** Server time as the phone would see it: our p95 minus our own round trip to the server (never below 0). */
export function serverMs(e: EndpointLatency): number {
  return Math.max(0, (e.p95Ms ?? 0) - (e.cold?.connectMs ?? 0));
}

export function estimate(e: EndpointLatency, p: NetworkProfile): MobileEstimate {
  const https = e.url.startsWith('https:');
  const transfer = (e.responseBytes * 8) / p.downKbps;
  const server = serverMs(e);
  const coldRtts = 1 + 1 + (https ? 1 : 0) + 1 + slowStartRounds(e.responseBytes);
  return {
    profile: p.id,
    coldMs: Math.round(coldRtts * p.rttMs + server + transfer),
    warmMs: Math.round(p.rttMs + server + transfer),
  };
}

/** Bodies at or under this are not worth compressing (headers and framing dominate). */
export const COMPRESSION_MIN_BYTES = 1024;

/** Text formats gzip/brotli shrink several-fold: JSON, HTML, JS, CSS, SVG, XML, plain text. Images and video are already compressed. */
export function isCompressible(contentType: string | undefined): boolean {
  if (!contentType) return false;
  return /^text\//.test(contentType) || /[/+](?:json|javascript|ecmascript|xml|svg\+xml|x-ndjson|graphql-response\+json)$/.test(contentType) || /\/(?:json|javascript|svg\+xml|xml|xhtml\+xml|wasm)$/.test(contentType);
}

/** Transfer time of `bytes` on a profile's downlink, ms. */
export function transferMs(bytes: number, p: NetworkProfile): number {
  return (bytes * 8) / p.downKbps;
}

/** A core response's size budget, compressed: about 0.5 s of transfer on 3G. */
export const PAYLOAD_BUDGET_BYTES = 100 * 1024;

export interface EstimateBreakdown {
  /** Connection setup and the request's own round trip (DNS, TCP, TLS, request). */
  roundTripsMs: number;
  /** Transfer time plus the round trips slow-start adds for a large body. */
  sizeMs: number;
  serverMs: number;
  /** The largest of the three. */
  cause: 'round trips' | 'size' | 'server time';
}

/** The cold estimate split into what the user waits on, so a finding can name the part worth cutting. */
export function breakdown(e: EndpointLatency, p: NetworkProfile): EstimateBreakdown {
  const https = e.url.startsWith('https:');
  const roundTripsMs = Math.round((3 + (https ? 1 : 0)) * p.rttMs);
  const sizeMs = Math.round(slowStartRounds(e.responseBytes) * p.rttMs + transferMs(e.responseBytes, p));
  const server = Math.round(serverMs(e));
  const cause = sizeMs >= roundTripsMs && sizeMs >= server ? 'size' : server >= roundTripsMs ? 'server time' : 'round trips';
  return { roundTripsMs, sizeMs, serverMs: server, cause };
}
