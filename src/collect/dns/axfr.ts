// A zone transfer request (AXFR, RFC 5936) over TCP to one nameserver: the zone's records when the server allows it,
// a refusal or an error value otherwise. Bounded by a deadline, the run's signal, and byte and record caps.
import net from 'node:net';
import { randomInt } from 'node:crypto';
import dnsPacket from 'dns-packet';
import type { DnsRecord } from '../../facts/dns.js';
import type { NetPolicy } from '../net.js';
import { onAbort } from '../abort.js';
import { forbiddenLookup } from '../http/destination.js';
import { toDnsRecord } from './wire.js';

/** A transfer past these is cut: discovery needs names, not a mirror of a huge zone. */
export const AXFR_MAX_BYTES = 8 * 1024 * 1024;
export const AXFR_MAX_RECORDS = 50_000;

export type AxfrResult =
  | { status: 'allowed'; records: DnsRecord[]; truncated: boolean }
  | { status: 'refused' | 'error'; message: string };

export interface AxfrOptions {
  /** An IP literal (connect-to already applied). */
  address: string;
  port: number;
  zone: string;
  timeoutMs: number;
  policy: NetPolicy;
  signal?: AbortSignal;
}

const RCODES: Record<number, string> = { 2: 'server failure', 4: 'not implemented', 5: 'refused', 9: 'not authoritative' };

export function requestAxfr(opts: AxfrOptions): Promise<AxfrResult> {
  return new Promise((resolve) => {
    try {
      opts.policy.assertAllowed(opts.address);
    } catch (err) {
      return resolve({ status: 'error', message: (err as Error).message });
    }
    const id = randomInt(0, 65536);
    const query = dnsPacket.encode({ type: 'query', id, flags: 0, questions: [{ type: 'AXFR', name: opts.zone, class: 'IN' }] });
    const framed = Buffer.concat([Buffer.from([query.length >> 8, query.length & 0xff]), query]);
    const records: DnsRecord[] = [];
    let soaSeen = 0;
    let received = 0;
    let pending = Buffer.alloc(0);
    let settled = false;
    const socket = net.connect({ host: opts.address, port: opts.port, lookup: forbiddenLookup as unknown as net.LookupFunction });
    const finish = (r: AxfrResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopWaiting();
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ status: 'error', message: `no complete transfer within ${opts.timeoutMs} ms` }), opts.timeoutMs);
    const stopWaiting = opts.signal ? onAbort(opts.signal, () => finish({ status: 'error', message: 'run deadline passed' })) : () => {};
    socket.once('connect', () => socket.write(framed));
    socket.on('error', (err: NodeJS.ErrnoException) => finish({ status: 'error', message: err.code ?? err.message }));
    socket.once('close', () => finish(soaSeen > 0 ? { status: 'allowed', records, truncated: true } : { status: 'error', message: 'connection closed before any answer' }));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > AXFR_MAX_BYTES) return finish({ status: 'allowed', records, truncated: true });
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (pending.length < 2 + len) break;
        const msg = pending.subarray(2, 2 + len);
        pending = pending.subarray(2 + len);
        let packet: dnsPacket.DecodedPacket;
        try {
          packet = dnsPacket.decode(msg);
        } catch (err) {
          return finish({ status: 'error', message: `undecodable answer: ${(err as Error).message}` });
        }
        if (packet.id !== id) continue;
        const rcode = msg.readUInt16BE(2) & 0xf;
        if (rcode !== 0) return finish({ status: 'refused', message: RCODES[rcode] ?? `rcode ${rcode}` });
        const answers = packet.answers ?? [];
        if (records.length === 0 && soaSeen === 0 && (answers.length === 0 || answers[0]!.type !== 'SOA')) {
          return finish({ status: 'refused', message: 'the answer does not start a zone transfer' });
        }
        for (const rr of answers) {
          if (rr.type === 'SOA' && ++soaSeen === 2) return finish({ status: 'allowed', records, truncated: false });
          const rec = toDnsRecord(rr);
          if (rec) records.push(rec);
          if (records.length >= AXFR_MAX_RECORDS) return finish({ status: 'allowed', records, truncated: true });
        }
      }
    });
  });
}
