// The HTTP/1.1 response reader of the flow ramp's keep-alive client (./wire.ts): one response at a time on one
// connection, fed bytes as they arrive. Framing follows RFC 9112 §6.3 (no body for HEAD, 1xx, 204 and 304; chunked
// when the final transfer coding is chunked; otherwise Content-Length; otherwise until the server closes). Bounded:
// the head and the trailers have a size cap, a body is kept up to its cap and the connection is given up past it.
// Whatever does not parse is an error, never a guess.

export interface ParsedResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** The body was cut at the cap (when the rest was not read either, `keepAlive` is false). */
  truncated: boolean;
  /** Whether the connection may carry the next request. */
  keepAlive: boolean;
  /** The server's `Keep-Alive: timeout=N`, in milliseconds. */
  keepAliveMs?: number;
}

export class ResponseParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResponseParseError';
  }
}

export const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_LINE = 1024;

type Framing = { kind: 'none' } | { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'close' };
type ChunkState = 'size' | 'data' | 'data-end' | 'trailers';

const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: [^\r\n]*)?$/;
/** An RFC 9110 token: what a header name or a method may be. */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A chunk size line's size: 1 to 15 hex digits, then optional whitespace and `;extensions`. */
function chunkSize(line: Buffer): number {
  let size = 0;
  let i = 0;
  for (; i < line.length && i < 16; i++) {
    const c = line[i]!;
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d === -1) break;
    size = size * 16 + d;
  }
  let j = i;
  while (line[j] === 32 || line[j] === 9) j++;
  if (i === 0 || i > 15 || (j < line.length && line[j] !== 59)) {
    throw new ResponseParseError(`not a chunk size: ${JSON.stringify(line.toString('latin1', 0, 40))}`);
  }
  return size;
}

/** Index just past the blank line that ends a head (CRLF CRLF, or bare LFs), or -1. */
function headEnd(buf: Buffer, from: number): number {
  let i = buf.indexOf(10, from);
  while (i !== -1) {
    if (buf[i + 1] === 10) return i + 2;
    if (buf[i + 1] === 13 && buf[i + 2] === 10) return i + 3;
    i = buf.indexOf(10, i + 1);
  }
  return -1;
}

/** Reads `name: value` lines from `text` between `from` and `to` into `into`; folded lines joined with a space. */
function readHeaders(text: string, from: number, to: number, into: Record<string, string>): void {
  let last: string | undefined;
  let pos = from;
  while (pos < to) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1 || nl > to) nl = to;
    const end = text.charCodeAt(nl - 1) === 13 && nl - 1 >= pos ? nl - 1 : nl;
    if (end > pos) {
      const first = text.charCodeAt(pos);
      if (first === 32 || first === 9) {
        // obs-fold (RFC 9112 §5.2): a user agent replaces it with a space.
        if (last === undefined) throw new ResponseParseError('a folded header line with no header before it');
        into[last] = `${into[last]} ${text.slice(pos, end).trim()}`;
      } else {
        const colon = text.indexOf(':', pos);
        const name = colon > pos && colon < end ? text.slice(pos, colon) : '';
        if (!HTTP_TOKEN.test(name)) throw new ResponseParseError(`a header line that is not "name: value": ${JSON.stringify(text.slice(pos, Math.min(end, pos + 40)))}`);
        const key = name.toLowerCase();
        const value = text.slice(colon + 1, end).trim();
        const had = into[key];
        into[key] = had === undefined ? value : `${had}, ${value}`;
        last = key;
      }
    }
    pos = nl + 1;
  }
}

function hasToken(list: string | undefined, token: string): boolean {
  return list !== undefined && list.split(',').some((t) => t.trim().toLowerCase() === token);
}

/**
 * Reads the responses of one connection, one request at a time: `expect(method)` before each request, then `push`
 * every chunk received until it returns the response; `end()` when the server closes.
 */
export class ResponseParser {
  #buf: Buffer = Buffer.alloc(0);
  #method: string | undefined;
  #status = 0;
  #http10 = false;
  #headers: Record<string, string> = {};
  #framing: Framing | undefined;
  #chunk: ChunkState = 'size';
  #chunkLeft = 0;
  #trailerBytes = 0;
  #body: Buffer[] = [];
  #bodyBytes = 0;
  /** Body bytes were dropped at the cap. */
  #cut = false;

  constructor(readonly bodyCap: number, readonly maxHeadBytes = MAX_HEAD_BYTES) {}

  /** Whether a response is awaited. */
  get busy(): boolean {
    return this.#method !== undefined;
  }

  /** The next response answers a request with this method (a HEAD's has no body). */
  expect(method: string): void {
    if (this.#method !== undefined) throw new Error('a response is already awaited on this connection');
    this.#method = method.toUpperCase();
    this.#framing = undefined;
    this.#body = [];
    this.#bodyBytes = 0;
    this.#cut = false;
  }

  /** Feeds bytes; returns the response once complete. Throws ResponseParseError on bytes no response can be. */
  push(chunk: Buffer): ParsedResponse | undefined {
    if (this.#method === undefined) {
      if (chunk.length) throw new ResponseParseError('the server sent bytes with no request waiting for them');
      return undefined;
    }
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    for (;;) {
      if (this.#framing === undefined) {
        const end = headEnd(this.#buf, 0);
        if (end === -1) {
          if (this.#buf.length > this.maxHeadBytes) throw new ResponseParseError(`the response head is over ${this.maxHeadBytes} bytes`);
          return undefined;
        }
        if (end > this.maxHeadBytes) throw new ResponseParseError(`the response head is over ${this.maxHeadBytes} bytes`);
        const informational = this.#readHead(this.#buf.toString('latin1', 0, end));
        this.#buf = this.#buf.subarray(end);
        if (informational) continue;
      }
      const done = this.#readBody();
      if (done) return done;
      return undefined;
    }
  }

  /** The server closed the connection: completes a body that runs until the close, or says what was cut short. */
  end(): ParsedResponse {
    if (this.#method === undefined) throw new ResponseParseError('the connection closed with no request waiting');
    if (this.#framing?.kind === 'close') return this.#finish(false, false);
    throw new ResponseParseError(this.#framing === undefined ? 'the server closed the connection before a complete response head' : 'the server closed the connection in the middle of the response body');
  }

  /** Reads a head; true when it was an interim (1xx) response, which the final one follows. */
  #readHead(text: string): boolean {
    let start = 0;
    // A stray empty line before a status line is tolerated (RFC 9112 §2.2).
    while (text.charCodeAt(start) === 13 || text.charCodeAt(start) === 10) start++;
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = text.length;
    const line = text.slice(start, text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
    const m = STATUS_LINE.exec(line);
    if (!m) throw new ResponseParseError(`not an HTTP/1.x status line: ${JSON.stringify(line.slice(0, 40))}`);
    const status = Number(m[2]);
    if (status < 100) throw new ResponseParseError(`status ${m[2]} is not a valid status code`);
    if (status === 101) throw new ResponseParseError('the server switched protocols (101) although no upgrade was asked');
    if (status < 200) return true;
    this.#status = status;
    this.#http10 = m[1] === '0';
    this.#headers = {};
    readHeaders(text, nl + 1, text.length, this.#headers);
    this.#framing = this.#framingOf();
    this.#chunk = 'size';
    this.#trailerBytes = 0;
    return false;
  }

  #framingOf(): Framing {
    const h = this.#headers;
    if (this.#method === 'HEAD' || this.#status === 204 || this.#status === 304) return { kind: 'none' };
    const te = h['transfer-encoding'];
    if (te !== undefined) {
      const codings = te.split(',').map((c) => c.trim().toLowerCase()).filter(Boolean);
      return codings.at(-1) === 'chunked' ? { kind: 'chunked' } : { kind: 'close' };
    }
    const cl = h['content-length'];
    if (cl !== undefined) {
      const values = new Set(cl.split(',').map((v) => v.trim()));
      if (values.size !== 1) throw new ResponseParseError(`conflicting Content-Length values: ${JSON.stringify(cl.slice(0, 40))}`);
      const v = [...values][0] ?? '';
      if (!/^\d{1,15}$/.test(v)) throw new ResponseParseError(`an invalid Content-Length: ${JSON.stringify(v.slice(0, 40))}`);
      const left = Number(v);
      return left === 0 ? { kind: 'none' } : { kind: 'length', left };
    }
    return { kind: 'close' };
  }

  /** Takes `n` bytes of body from the buffer, keeping what fits under the cap; true once the cap is reached. */
  #take(n: number): boolean {
    const part = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(n);
    const room = this.bodyCap - this.#bodyBytes;
    if (part.length > room) this.#cut = true;
    this.#body.push(part.length > room ? part.subarray(0, room) : part);
    this.#bodyBytes += Math.min(part.length, room);
    return this.#bodyBytes >= this.bodyCap;
  }

  #readBody(): ParsedResponse | undefined {
    const f = this.#framing!;
    switch (f.kind) {
      case 'none':
        return this.#finish(this.#keepAlive(), false);
      case 'length': {
        const n = Math.min(f.left, this.#buf.length);
        f.left -= n;
        const capped = this.#take(n);
        // All of it read (the part past the cap dropped): the connection can carry the next request.
        if (f.left === 0) return this.#finish(this.#keepAlive(), this.#cut);
        return capped ? this.#finish(false, true) : undefined;
      }
      case 'close': {
        const capped = this.#take(this.#buf.length);
        return capped ? this.#finish(false, true) : undefined;
      }
      case 'chunked':
        return this.#readChunks();
    }
  }

  #readChunks(): ParsedResponse | undefined {
    for (;;) {
      if (this.#chunk === 'data') {
        const n = Math.min(this.#chunkLeft, this.#buf.length);
        this.#chunkLeft -= n;
        if (this.#take(n)) return this.#finish(false, true);
        if (this.#chunkLeft > 0) return undefined;
        this.#chunk = 'data-end';
        continue;
      }
      const nl = this.#buf.indexOf(10);
      if (nl === -1) {
        const limit = this.#chunk === 'trailers' ? this.maxHeadBytes : MAX_CHUNK_LINE;
        if (this.#buf.length > limit) throw new ResponseParseError('a chunk size or trailer line with no end');
        return undefined;
      }
      const lineEnd = nl > 0 && this.#buf[nl - 1] === 13 ? nl - 1 : nl;
      const line = this.#buf.subarray(0, lineEnd);
      this.#buf = this.#buf.subarray(nl + 1);
      if (this.#chunk === 'data-end') {
        if (line.length !== 0) throw new ResponseParseError('chunk data longer than its declared size');
        this.#chunk = 'size';
      } else if (this.#chunk === 'size') {
        const size = chunkSize(line);
        if (size === 0) this.#chunk = 'trailers';
        else { this.#chunkLeft = size; this.#chunk = 'data'; }
      } else {
        this.#trailerBytes += nl + 1;
        if (this.#trailerBytes > this.maxHeadBytes) throw new ResponseParseError(`the trailers are over ${this.maxHeadBytes} bytes`);
        if (line.length === 0) return this.#finish(this.#keepAlive(), false);
        // Trailers are read for framing only; the answer's headers are what the steps judge.
        const text = line.toString('latin1');
        readHeaders(text, 0, text.length, {});
      }
    }
  }

  #keepAlive(): boolean {
    const conn = this.#headers.connection;
    if (hasToken(conn, 'close')) return false;
    return this.#http10 ? hasToken(conn, 'keep-alive') : true;
  }

  #finish(keepAlive: boolean, truncated: boolean): ParsedResponse {
    const body = this.#body.length === 1 && this.#body[0] ? this.#body[0] : Buffer.concat(this.#body);
    const hint = this.#headers['keep-alive'];
    const timeout = hint === undefined ? null : /(?:^|[,;\s])timeout\s*=\s*(\d{1,9})/i.exec(hint);
    // Bytes past a complete response with no request for them: the connection is not in a state to reuse.
    const clean = this.#buf.length === 0;
    const res: ParsedResponse = {
      status: this.#status, headers: this.#headers, body, truncated, keepAlive: keepAlive && clean,
      ...(timeout ? { keepAliveMs: Number(timeout[1]) * 1000 } : {}),
    };
    this.#method = undefined;
    this.#framing = undefined;
    this.#body = [];
    this.#bodyBytes = 0;
    this.#cut = false;
    return res;
  }
}
