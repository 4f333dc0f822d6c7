// One DNS question to one server over UDP (TCP when truncated), with every failure returned as a DnsAnswer value.
import dgram from 'node:dgram';
import net from 'node:net';
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import dnsPacket from 'dns-packet';
import type { DnsAnswer, DnsRecord, DnsRecordType } from '../../facts/dns.js';
import { onAbort } from '../abort.js';
import type { NetPolicy } from '../net.js';

export interface ExchangeOptions {
  /** `address` is an IP literal (connect-to mapping already applied); `name` only labels the answer. */
  server: { address: string; port: number; name?: string };
  /** Label bytes are sent as given (':' and spaces included); only '.' separates labels. */
  name: string;
  type: DnsRecordType;
  /** Deadline for each attempt, UDP and TCP alike. */
  timeoutMs: number;
  /** Extra UDP attempts after a timeout (0 = one attempt). */
  retries: number;
  /** Default true. */
  recursionDesired?: boolean;
  policy: NetPolicy;
  /** Largest TCP response accepted (default 65535); anything larger is an error, never silently cut. */
  maxResponseBytes?: number;
  /** Aborting resolves quickly with status 'timeout'. */
  signal?: AbortSignal;
}

const TYPE_CODES: Record<DnsRecordType, number> = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, DNAME: 39, CAA: 257,
};

const RCODE_NAMES: Record<number, string> = {
  0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED', 6: 'YXDOMAIN', 7: 'YXRRSET',
  8: 'NXRRSET', 9: 'NOTAUTH', 10: 'NOTZONE', 16: 'BADVERS', 23: 'BADCOOKIE',
};

const EDNS_PAYLOAD = 1232; // the DNS flag day 2020 size: avoids IP fragmentation on nearly every path
const FLAG_QR = 0x8000;
const FLAG_TC = 0x0200;
const FLAG_RD = 0x0100;

/** Encodes a name label by label, refusing what cannot be sent rather than letting a codec mangle it. */
export function encodeName(name: string): Buffer {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  if (trimmed === '') return Buffer.from([0]);
  const parts: Buffer[] = [];
  for (const label of trimmed.split('.')) {
    const bytes = Buffer.from(label, 'utf8');
    if (bytes.length === 0) throw new Error(`empty label in "${name}"`);
    if (bytes.length > 63) throw new Error(`label "${label}" is ${bytes.length} bytes (max 63)`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  const wire = Buffer.concat(parts);
  if (wire.length > 255) throw new Error(`name is ${wire.length} bytes on the wire (max 255)`);
  return wire;
}

function buildQuery(id: number, question: Buffer, rd: boolean): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(rd ? FLAG_RD : 0, 2);
  header.writeUInt16BE(1, 4); // QDCOUNT
  header.writeUInt16BE(1, 10); // ARCOUNT: the OPT record
  const opt = Buffer.from([0, 0, 41, EDNS_PAYLOAD >> 8, EDNS_PAYLOAD & 0xff, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, question, opt]);
}

/** DNS names compare case-insensitively in ASCII only, so fold A-Z and nothing else. */
function sameQuestion(msg: Buffer, question: Buffer): boolean {
  // The first question cannot be compressed (a pointer must point backwards, and only the header precedes it),
  // so comparing raw bytes is exact even for labels holding '.', ':' or non-UTF-8 bytes.
  if (msg.length < 12 + question.length) return false;
  const nameLen = question.length - 4;
  for (let i = 0; i < question.length; i++) {
    let a = msg[12 + i]!;
    let b = question[i]!;
    if (i < nameLen) {
      if (a >= 0x41 && a <= 0x5a) a |= 0x20;
      if (b >= 0x41 && b <= 0x5a) b |= 0x20;
    }
    if (a !== b) return false;
  }
  return true;
}

type Outcome =
  | { kind: 'message'; msg: dnsPacket.DecodedPacket; rcode: number }
  | { kind: 'truncated' }
  | { kind: 'fail'; status: 'timeout' | 'error'; message: string };

type Classified = Outcome | { kind: 'ignore' };

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function classify(raw: Buffer, id: number, question: Buffer, overTcp: boolean): Classified {
  // Anything not carrying our id is a late reply to someone else or a spoof attempt; waiting on is the safe move.
  if (raw.length < 2 || raw.readUInt16BE(0) !== id) return { kind: 'ignore' };
  let msg: dnsPacket.DecodedPacket;
  try {
    msg = dnsPacket.decode(raw);
  } catch (e) {
    return { kind: 'fail', status: 'error', message: `malformed response: ${errorText(e)}` };
  }
  const flags = raw.readUInt16BE(2);
  if ((flags & FLAG_QR) === 0) return { kind: 'ignore' };
  let rcode = flags & 0x0f;
  const opt = (msg.additionals ?? []).find((a) => a.type === 'OPT') as dnsPacket.OptAnswer | undefined;
  if (opt) rcode |= opt.extendedRcode << 4;
  const qdcount = raw.readUInt16BE(4);
  // Error replies (FORMERR, NOTIMP) may legitimately omit the question; a success without it proves nothing.
  const matches = qdcount === 1 ? sameQuestion(raw, question) : qdcount === 0 && rcode !== 0;
  if (!matches) return { kind: 'ignore' };
  if (!overTcp && flags & FLAG_TC) return { kind: 'truncated' };
  return { kind: 'message', msg, rcode };
}

interface Attempt {
  address: string;
  port: number;
  id: number;
  query: Buffer;
  question: Buffer;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Shared shutdown for both transports: exactly one outcome, and every timer/listener/socket released with it. */
function settle(signal: AbortSignal | undefined, release: () => void, resolve: (o: Outcome) => void) {
  let done = false;
  const finish = (o: Outcome) => {
    if (done) return;
    done = true;
    stopWaiting();
    try {
      release();
    } catch {
      // Already closed by the peer or by an error path: nothing left to free.
    }
    resolve(o);
  };
  // onAbort also honours an abort that landed between the UDP and TCP legs (it fires no event).
  const stopWaiting = signal ? onAbort(signal, () => finish({ kind: 'fail', status: 'timeout', message: 'aborted' })) : () => {};
  return { finish, isDone: () => done };
}

function udpExchange(a: Attempt, attempts: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const family = net.isIP(a.address) === 6 ? 'udp6' : 'udp4';
    // The address is already an IP: a pass-through lookup keeps the system resolver out of the picture entirely.
    const socket = dgram.createSocket({
      type: family,
      lookup: (host, _opts, cb) => cb(null, host, net.isIP(host)),
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let sent = 0;
    let ignored = 0;
    const { finish, isDone } = settle(a.signal, () => {
      clearTimeout(timer);
      socket.close();
    }, resolve);

    socket.on('error', (e) => finish({ kind: 'fail', status: 'error', message: `UDP socket error: ${e.message}` }));
    socket.on('message', (raw) => {
      const c = classify(raw, a.id, a.question, false);
      if (c.kind === 'ignore') ignored++;
      else finish(c);
    });
    const send = () => {
      if (isDone()) return;
      sent++;
      socket.send(a.query, (err) => {
        if (err) finish({ kind: 'fail', status: 'error', message: `UDP send failed: ${err.message}` });
      });
      // One id across attempts on purpose: a slow answer to attempt 1 arriving during attempt 2 is still the answer.
      timer = setTimeout(() => {
        if (sent < attempts) return send();
        const noise = ignored ? `; ignored ${ignored} non-matching datagram(s)` : '';
        finish({
          kind: 'fail',
          status: 'timeout',
          message: `no answer after ${sent} UDP attempt(s) of ${a.timeoutMs} ms each${noise}`,
        });
      }, a.timeoutMs);
    };
    // Connecting filters out datagrams from any other source before they reach us.
    // On failure Node hands the error to this callback instead of emitting 'error'.
    socket.connect(a.port, a.address, (err?: Error) => {
      if (err) finish({ kind: 'fail', status: 'error', message: `UDP connect failed: ${err.message}` });
      else send();
    });
  });
}

function tcpExchange(a: Attempt, maxBytes: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: a.address, port: a.port });
    const timer = setTimeout(
      () => finish({ kind: 'fail', status: 'timeout', message: `no answer over TCP within ${a.timeoutMs} ms` }),
      a.timeoutMs,
    );
    const { finish } = settle(a.signal, () => {
      clearTimeout(timer);
      socket.destroy();
    }, resolve);
    let pending: Buffer = Buffer.alloc(0);

    socket.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(a.query.length);
      socket.write(Buffer.concat([len, a.query]));
    });
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      // A chunk may hold part of a message or several messages: consume whole frames only.
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (len > maxBytes) {
          return finish({
            kind: 'fail',
            status: 'error',
            message: `TCP response of ${len} bytes exceeds the ${maxBytes}-byte cap`,
          });
        }
        if (pending.length < 2 + len) return;
        const raw = pending.subarray(2, 2 + len);
        pending = pending.subarray(2 + len);
        const c = classify(raw, a.id, a.question, true);
        if (c.kind !== 'ignore') return finish(c);
      }
    });
    socket.on('error', (e) => finish({ kind: 'fail', status: 'error', message: `TCP error: ${e.message}` }));
    socket.on('close', () =>
      finish({ kind: 'fail', status: 'error', message: 'TCP connection closed before a complete answer arrived' }),
    );
  });
}

function bare(name: string): string {
  return name.length > 1 && name.endsWith('.') ? name.slice(0, -1) : name;
}

function txtString(s: string | Buffer): string {
  return typeof s === 'string' ? s : s.toString('utf8');
}

/** Converts one dns-packet record; returns undefined for OPT, which is transport metadata, not data. */
export function toDnsRecord(rr: dnsPacket.Answer): DnsRecord | undefined {
  const name = bare(rr.name);
  const ttl = 'ttl' in rr && typeof rr.ttl === 'number' ? rr.ttl : 0;
  switch (rr.type) {
    case 'OPT':
      return undefined;
    case 'A':
    case 'AAAA':
      return { name, type: rr.type, ttl, address: rr.data };
    case 'CNAME':
    case 'NS':
    case 'PTR':
    case 'DNAME':
      return { name, type: rr.type, ttl, target: bare(rr.data) };
    case 'SOA':
      return {
        name, type: 'SOA', ttl,
        mname: bare(rr.data.mname), rname: bare(rr.data.rname),
        serial: rr.data.serial ?? 0, refresh: rr.data.refresh ?? 0, retry: rr.data.retry ?? 0,
        expire: rr.data.expire ?? 0, minimum: rr.data.minimum ?? 0,
      };
    case 'CAA':
      return { name, type: 'CAA', ttl, flags: rr.data.flags ?? 0, tag: rr.data.tag, value: rr.data.value };
    case 'TXT': {
      const strings = (Array.isArray(rr.data) ? rr.data : [rr.data]).map(txtString);
      return { name, type: 'TXT', ttl, strings, text: strings.join('') };
    }
    case 'MX':
      return { name, type: 'MX', ttl, preference: rr.data.preference ?? 0, exchange: bare(rr.data.exchange) };
    case 'SRV':
      return {
        name, type: 'SRV', ttl,
        priority: rr.data.priority ?? 0, weight: rr.data.weight ?? 0, port: rr.data.port, target: bare(rr.data.target),
      };
    default: {
      // dns-packet names unknown types UNKNOWN_<n>; RFC 3597 spells them TYPE<n>.
      const t = String(rr.type);
      return { name, type: 'OTHER', rrtype: t.startsWith('UNKNOWN_') ? `TYPE${t.slice(8)}` : t, ttl };
    }
  }
}

function convert(list: dnsPacket.Answer[] | undefined): DnsRecord[] {
  const out: DnsRecord[] = [];
  for (const rr of list ?? []) {
    const r = toDnsRecord(rr);
    if (r) out.push(r);
  }
  return out;
}

export function serverLabel(server: { address: string; port: number; name?: string }): string {
  const addr = server.address.replace(/^\[|\]$/g, '');
  const hostPort = net.isIP(addr) === 6 ? `[${addr}]:${server.port}` : `${addr}:${server.port}`;
  return server.name ? `${hostPort} (${server.name})` : hostPort;
}

export async function exchange(opts: ExchangeOptions): Promise<DnsAnswer> {
  const started = performance.now();
  const base = () => ({
    name: opts.name,
    type: opts.type,
    server: serverLabel(opts.server),
    elapsedMs: Math.round((performance.now() - started) * 100) / 100,
  });
  const fail = (status: 'servfail' | 'refused' | 'timeout' | 'error', message: string): DnsAnswer => ({
    ...base(), status, message,
  });

  try {
    // The guard runs before any socket exists, so a forbidden destination never sees a packet.
    try {
      opts.policy.assertAllowed(opts.server.address);
    } catch (e) {
      return fail('error', errorText(e));
    }
    if (opts.signal?.aborted) return fail('timeout', 'aborted before sending');
    let question: Buffer;
    try {
      const qname = encodeName(opts.name);
      const tail = Buffer.alloc(4);
      tail.writeUInt16BE(TYPE_CODES[opts.type], 0);
      tail.writeUInt16BE(1, 2); // class IN
      question = Buffer.concat([qname, tail]);
    } catch (e) {
      return fail('error', `cannot encode query name: ${errorText(e)}`);
    }

    const attempt: Attempt = {
      address: opts.server.address.replace(/^\[|\]$/g, ''),
      port: opts.server.port,
      id: randomInt(0, 0x10000),
      query: Buffer.alloc(0),
      question,
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
    };
    attempt.query = buildQuery(attempt.id, question, opts.recursionDesired ?? true);
    let outcome = await udpExchange(attempt, Math.max(0, Math.floor(opts.retries)) + 1);
    let viaTcp = false;
    if (outcome.kind === 'truncated') {
      viaTcp = true;
      attempt.id = randomInt(0, 0x10000);
      attempt.query = buildQuery(attempt.id, question, opts.recursionDesired ?? true);
      outcome = await tcpExchange(attempt, opts.maxResponseBytes ?? 65535);
    }

    if (outcome.kind === 'fail') {
      const msg = outcome.message === 'aborted'
        ? `aborted after ${Math.round(performance.now() - started)} ms`
        : outcome.message;
      return fail(outcome.status, msg);
    }
    if (outcome.kind === 'truncated') return fail('error', 'truncated answer over TCP'); // unreachable: TCP never yields it

    const { msg, rcode } = outcome;
    const authoritative = msg.flag_aa;
    const authority = convert(msg.authorities);
    const records = convert(msg.answers);
    switch (rcode) {
      case 0: {
        const relevant = records.some((r) => r.type === opts.type || r.type === 'CNAME' || r.type === 'DNAME');
        if (relevant) return { ...base(), status: 'ok', authoritative, records, authority, viaTcp };
        return { ...base(), status: 'nodata', authoritative, records, authority, viaTcp };
      }
      case 3:
        return { ...base(), status: 'nxdomain', authoritative, records, authority, viaTcp };
      case 2:
        return fail('servfail', 'server answered SERVFAIL');
      case 5:
        return fail('refused', 'server answered REFUSED');
      default:
        return fail('error', `server answered ${RCODE_NAMES[rcode] ?? `RCODE${rcode}`}`);
    }
  } catch (e) {
    return fail('error', `unexpected failure: ${errorText(e)}`);
  }
}
