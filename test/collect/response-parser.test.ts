// The flow ramp's HTTP/1.1 response reader, from raw bytes: every framing of RFC 9112 §6.3, answers split at every
// byte, interim answers, the caps, and what must be refused rather than guessed.
import { describe, expect, it } from 'vitest';
import { ResponseParseError, ResponseParser, type ParsedResponse } from '../../src/collect/load/response-parser.js';

const CAP = 64;

/** Feeds `raw` in pieces of `size` bytes; the response once complete (and the bytes fed before it was). */
function feed(raw: string | Buffer, method = 'GET', size = Infinity, cap = CAP): { res?: ParsedResponse; fed: number } {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw;
  const p = new ResponseParser(cap);
  p.expect(method);
  for (let i = 0; i < bytes.length; i += size) {
    const res = p.push(bytes.subarray(i, Math.min(bytes.length, i + size)));
    if (res) return { res, fed: Math.min(bytes.length, i + size) };
  }
  return { fed: bytes.length };
}

const CHUNKED = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n5;ext=1\r\n{"a":\r\n2\r\n1}\r\n0\r\nX-Trailer: t\r\n\r\n';
const LENGTH = 'HTTP/1.1 201 Created\r\nContent-Length: 7\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\n\r\n{"b":2}';

describe('framing', () => {
  it.each([
    ['Content-Length', LENGTH, 'GET', 201, '{"b":2}', true],
    ['chunked, with an extension and a trailer', CHUNKED, 'GET', 200, '{"a":1}', true],
    ['no body for HEAD, whatever the length says', 'HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n', 'HEAD', 200, '', true],
    ['no body for 204', 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n', 'GET', 204, '', true],
    ['no body for 304', 'HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n', 'GET', 304, '', true],
    ['Content-Length 0', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', 'POST', 200, '', true],
    ['bare LF line ends', 'HTTP/1.1 200 OK\nContent-Length: 2\n\nok', 'GET', 200, 'ok', true],
    ['interim 100 and 103 answers skipped', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', 'POST', 200, 'ok', true],
    ['Connection: close ends the connection', 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok', 'GET', 200, 'ok', false],
    ['HTTP/1.0 closes by default', 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok', 'GET', 200, 'ok', false],
    ['HTTP/1.0 keeps alive when asked', 'HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok', 'GET', 200, 'ok', true],
    ['repeated equal Content-Length values', 'HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok', 'GET', 200, 'ok', true],
  ])('%s', (_name, raw, method, status, body, keepAlive) => {
    // Whole, and split at every byte: the answer must be the same and complete exactly at its last byte.
    for (const size of [Infinity, 1, 3]) {
      const { res, fed } = feed(raw, method, size);
      expect(res, `pieces of ${size}`).toBeDefined();
      expect(fed).toBe(Buffer.byteLength(raw, 'latin1'));
      expect(res!.status).toBe(status);
      expect(res!.body.toString()).toBe(body);
      expect(res!.keepAlive).toBe(keepAlive);
      expect(res!.truncated).toBe(false);
    }
  });

  it('names are lower-cased and repeated headers joined; a folded line is joined with a space', () => {
    expect(feed(LENGTH).res!.headers).toEqual({ 'content-length': '7', 'set-cookie': 'a=1, b=2' });
    const folded = feed('HTTP/1.1 200 OK\r\nX-Long: one\r\n  two\r\nContent-Length: 0\r\n\r\n').res!;
    expect(folded.headers['x-long']).toBe('one two');
  });

  it('reads the server\'s Keep-Alive timeout', () => {
    expect(feed('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\n').res!.keepAliveMs).toBe(5000);
    expect(feed('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n').res!.keepAliveMs).toBeUndefined();
  });

  it('a body without length runs until the server closes, and only then is complete', () => {
    const p = new ResponseParser(CAP);
    p.expect('GET');
    expect(p.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhel'))).toBeUndefined();
    expect(p.push(Buffer.from('lo'))).toBeUndefined();
    const res = p.end();
    expect(res.body.toString()).toBe('hello');
    expect(res.keepAlive).toBe(false);
    // A transfer coding that is not chunked last is also read until the close.
    const q = new ResponseParser(CAP);
    q.expect('GET');
    expect(q.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz'))).toBeUndefined();
    expect(q.end().body.toString()).toBe('zz');
  });

  it('one connection carries answer after answer', () => {
    const p = new ResponseParser(CAP);
    for (const body of ['one', 'two', 'three']) {
      p.expect('GET');
      const res = p.push(Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
      expect(res!.body.toString()).toBe(body);
      expect(p.busy).toBe(false);
    }
  });

  it('bytes past a complete answer make the connection unusable', () => {
    const res = feed('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK').res!;
    expect(res.body.toString()).toBe('ok');
    expect(res.keepAlive).toBe(false);
  });
});

describe('caps', () => {
  const big = 'x'.repeat(CAP * 3);
  it.each([
    ['Content-Length', `HTTP/1.1 200 OK\r\nContent-Length: ${big.length}\r\n\r\n${big}`],
    ['chunked', `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${big.length.toString(16)}\r\n${big}\r\n0\r\n\r\n`],
    ['until close', `HTTP/1.1 200 OK\r\n\r\n${big}`],
  ])('a %s body is cut at the cap, and the connection given up while the rest is still to come', (name, raw) => {
    for (const size of [Infinity, 7]) {
      const { res, fed } = feed(raw, 'GET', size);
      expect(res!.body.toString()).toBe('x'.repeat(CAP));
      expect(res!.truncated).toBe(true);
      // A declared length that arrived whole was read to its end: only then may the connection carry on.
      const whole = name === 'Content-Length' && size === Infinity;
      expect(res!.keepAlive).toBe(whole);
      if (size !== Infinity) expect(fed).toBeLessThan(Buffer.byteLength(raw));
    }
  });

  it('a body of exactly the cap with its length declared is whole', () => {
    const body = 'y'.repeat(CAP);
    const res = feed(`HTTP/1.1 200 OK\r\nContent-Length: ${CAP}\r\n\r\n${body}`).res!;
    expect(res.truncated).toBe(false);
    expect(res.keepAlive).toBe(true);
    expect(res.body.toString()).toBe(body);
  });

  it('a head over the cap is refused, whether or not its end has arrived', () => {
    const p = new ResponseParser(CAP, 100);
    p.expect('GET');
    expect(() => p.push(Buffer.from(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(120)}`))).toThrow(/head is over 100 bytes/);
    const q = new ResponseParser(CAP, 100);
    q.expect('GET');
    expect(() => q.push(Buffer.from(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(120)}\r\n\r\n`))).toThrow(/head is over 100 bytes/);
    // Just under the cap is read.
    const r = new ResponseParser(CAP, 100);
    r.expect('GET');
    const head = `HTTP/1.1 204 No Content\r\nX: ${'a'.repeat(100 - 28 - 4)}\r\n\r\n`;
    expect(Buffer.byteLength(head)).toBe(100);
    expect(r.push(Buffer.from(head))?.status).toBe(204);
  });

  it('trailers over the cap are refused', () => {
    const p = new ResponseParser(CAP, 100);
    p.expect('GET');
    expect(() => p.push(Buffer.from(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n${'X-T: v\r\n'.repeat(20)}\r\n`))).toThrow(/trailers are over/);
  });
});

describe('refused, never guessed', () => {
  it.each([
    ['not HTTP', 'SSH-2.0-OpenSSH_9.6\r\n\r\n', /not an HTTP\/1.x status line/],
    ['HTTP/2 preface', 'HTTP/2 200\r\n\r\n', /not an HTTP\/1.x status line/],
    ['a status of two digits', 'HTTP/1.1 99 Odd\r\n\r\n', /not an HTTP\/1.x status line/],
    ['a switch of protocols nobody asked for', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n', /101/],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nbroken line\r\n\r\n', /not "name: value"/],
    ['a header name with a space', 'HTTP/1.1 200 OK\r\nBad Name: v\r\n\r\n', /not "name: value"/],
    ['a fold before any header', 'HTTP/1.1 200 OK\r\n folded\r\n\r\n', /folded header line/],
    ['conflicting Content-Length values', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nokk', /conflicting Content-Length/],
    ['a negative Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', /invalid Content-Length/],
    ['a Content-Length of 16 digits', `HTTP/1.1 200 OK\r\nContent-Length: ${'9'.repeat(16)}\r\n\r\n`, /invalid Content-Length/],
    ['a chunk size that is not hex', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /not a chunk size/],
    ['a chunk size of 16 hex digits', `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'f'.repeat(16)}\r\n`, /not a chunk size/],
    ['chunk data longer than declared', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokk\r\n0\r\n\r\n', /longer than its declared size/],
  ])('%s', (_name, raw, message) => {
    expect(() => feed(raw)).toThrow(ResponseParseError);
    expect(() => feed(raw)).toThrow(message);
  });

  it('a chunk size line with no end is refused once over its limit, not buffered forever', () => {
    const p = new ResponseParser(CAP);
    p.expect('GET');
    expect(p.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'))).toBeUndefined();
    expect(() => p.push(Buffer.from('1'.repeat(2000)))).toThrow(/no end/);
  });

  it('bytes with no request waiting, and a close before the answer is whole, are errors', () => {
    const idle = new ResponseParser(CAP);
    expect(() => idle.push(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'))).toThrow(/no request waiting/);
    const early = new ResponseParser(CAP);
    early.expect('GET');
    early.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Le'));
    expect(() => early.end()).toThrow(/before a complete response head/);
    const cut = new ResponseParser(CAP);
    cut.expect('GET');
    cut.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    expect(() => cut.end()).toThrow(/middle of the response body/);
  });

  it('a second request before the answer to the first is a caller bug', () => {
    const p = new ResponseParser(CAP);
    p.expect('GET');
    expect(() => p.expect('GET')).toThrow(/already awaited/);
  });
});
