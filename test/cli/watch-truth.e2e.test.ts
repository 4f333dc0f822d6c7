// `watch` tells the truth: a certificate browsers reject is DOWN (judged as the audit judges it, --ca honoured),
// an alert that could not be delivered is never called sent and the next round says alerts reach nobody, an alert
// that did arrive names the failing host, a watch that could not alert refuses to start, and every probe lands in
// the history as one whole JSON line.
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertFactory } from '../../src/sandbox/certs.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { startWebSandbox, type WebSandbox } from '../../src/sandbox/https-server.js';
import { parseHistory } from '../../src/watch/history.js';
import { runInProcess } from '../helpers/cli.js';

const ZONE = `$ORIGIN shop.test.
$TTL 300
@      SOA ns1.shop.test. hostmaster.shop.test. ( 1 3600 600 1209600 300 )
@      A 127.0.0.1
good   A 127.0.0.1
self   A 127.0.0.1
wrong  A 127.0.0.1
chain  A 127.0.0.1
old    A 127.0.0.1
`;

let dns: DnsSandbox;
let web: WebSandbox;
let receiver: Server;
let receiverPort = 0;
const received: { status: string; probe: string; text: string; detail: string }[] = [];
let dir: string;
let caFile: string;

function listen(s: Server): Promise<number> {
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
}

/** A port nothing listens on: ours, bound and released, never a guess. */
async function closedPort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeAll(async () => {
  const certs = new CertFactory();
  dns = await startDnsSandbox({ zones: [parseZone(ZONE)] });
  const ok = () => ({ status: 200, body: 'ok' });
  web = await startWebSandbox({
    hosts: {
      'shop.test': { cert: certs.leaf('shop.test'), https: ok },
      'good.shop.test': { cert: certs.leaf('good.shop.test'), https: ok },
      'self.shop.test': { cert: certs.leaf('self.shop.test', 'self-signed'), https: ok },
      'wrong.shop.test': { cert: certs.leaf('wrong.shop.test', 'wrong-host'), https: ok },
      'chain.shop.test': { cert: certs.leaf('chain.shop.test', 'missing-intermediate'), https: ok },
      'old.shop.test': { cert: certs.leaf('old.shop.test', 'expired'), https: ok },
    },
  });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => { received.push(JSON.parse(body)); res.writeHead(200); res.end('ok'); });
  });
  receiverPort = await listen(receiver);
  dir = mkdtempSync(join(tmpdir(), 'lr-watch-truth-'));
  caFile = join(dir, 'root.pem');
  writeFileSync(caFile, certs.caPem);
});

afterAll(async () => { await dns.close(); await web.close(); receiver.close(); });

function project(name: string, config: object): string {
  const work = join(dir, name);
  mkdirSync(work);
  writeFileSync(join(work, 'launch-ready.config.json'), JSON.stringify(config));
  return work;
}

const net = () => ['--resolver', `${dns.address}:${dns.port}`, ...web.connectTo.flatMap((c) => ['--connect-to', c])];
const shop = { domains: [{ name: 'shop.test', hosts: ['good', 'self', 'wrong', 'chain'] }] };
const stamp = (l: string) => l.replace(/^\S+ /, '');

describe('certificates browsers reject are down', () => {
  it('self-signed, wrong name and incomplete chain are DOWN; the private CA given by --ca is trusted', async () => {
    received.length = 0;
    const work = project('certs', { ...shop, monitor: { webhook: `http://127.0.0.1:${receiverPort}/hook` } });
    const r = await runInProcess(['watch', '--rounds', '1', '--failures', '1', '--ca', caFile, ...net()], {}, work);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map(stamp);
    expect(lines).toContain('UP   tls:good.shop.test: certificate expires in 59 days');
    expect(lines).toContain('UP   tls:shop.test: certificate expires in 59 days');
    expect(lines).toContainEqual(expect.stringMatching(/^DOWN tls:self\.shop\.test: certificate not trusted \(self-signed\): "self\.shop\.test" is self-signed/));
    expect(lines).toContainEqual(expect.stringMatching(/^DOWN tls:wrong\.shop\.test: certificate is for other\.wrong\.shop\.test, unrelated\.invalid, not wrong\.shop\.test/));
    expect(lines).toContainEqual(expect.stringMatching(/^DOWN tls:chain\.shop\.test: certificate not trusted \(incomplete\): the server sends only the leaf/));
    expect(lines.filter((l) => l.startsWith('ALERT'))).toEqual([
      'ALERT tls:self.shop.test down: sent to the webhook',
      'ALERT tls:wrong.shop.test down: sent to the webhook',
      'ALERT tls:chain.shop.test down: sent to the webhook',
    ]);
    // The alert that arrived names the failing host and why.
    expect(received.map((a) => [a.status, a.probe])).toEqual([['down', 'tls:self.shop.test'], ['down', 'tls:wrong.shop.test'], ['down', 'tls:chain.shop.test']]);
    expect(received[0]!.text).toMatch(/tls:self\.shop\.test is DOWN: certificate not trusted \(self-signed\)/);
  });

  it('without --ca the private root is unknown, so even the good host is down', async () => {
    const work = project('noca', { domains: [{ name: 'shop.test', hosts: ['good'] }] });
    const r = await runInProcess(['watch', '--rounds', '1', '--failures', '1', '--no-history', ...net()], {}, work);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/DOWN tls:good\.shop\.test: certificate not trusted \(unknown-issuer\)/);
  });

  it('an HTTPS endpoint whose chain does not verify is down, with the tls class', async () => {
    const work = project('endpoints', { endpoints: [{ name: 'self', url: 'https://self.shop.test/' }, { name: 'good', url: 'https://good.shop.test/' }] });
    const history = join(work, 'h.jsonl');
    const r = await runInProcess(['watch', '--rounds', '1', '--failures', '1', '--ca', caFile, '--history', history, ...net()], {}, work);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/DOWN http:self: certificate rejected: /);
    expect(r.stdout).toMatch(/UP {3}http:good: 200 in \d+ ms/);
    const recs = parseHistory(readFileSync(history, 'utf8')).records;
    expect(recs.map((x) => [x.monitor, x.up, x.error ?? null, x.status])).toEqual([['http:self', false, 'tls', 200], ['http:good', true, null, 200]]);
  });
  it('an endpoint-only watch judges HTTPS as the audit does: wrong name, self-signed, incomplete chain and expired are DOWN (tls)', async () => {
    // No domain, so no certificate monitor: the endpoint probe alone must catch what browsers reject.
    const work = project('endpoints-only', {
      endpoints: ['good', 'self', 'wrong', 'chain', 'old'].map((h) => ({ name: h, url: `https://${h}.shop.test/` })),
    });
    const history = join(work, 'h.jsonl');
    const r = await runInProcess(['watch', '--rounds', '1', '--failures', '1', '--ca', caFile, '--history', history, ...net()], {}, work);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map(stamp);
    expect(lines).toContainEqual(expect.stringMatching(/^UP {3}http:good: 200 in \d+ ms$/));
    expect(lines).toContainEqual(expect.stringMatching(/^DOWN http:wrong: certificate rejected: certificate is for other\.wrong\.shop\.test, unrelated\.invalid, not wrong\.shop\.test/));
    expect(lines).toContainEqual(expect.stringMatching(/^DOWN http:self: certificate rejected: certificate not trusted \(self-signed\)/));
    expect(lines).toContainEqual(expect.stringMatching(/^DOWN http:chain: certificate rejected: certificate not trusted \(incomplete\)/));
    expect(lines).toContainEqual(expect.stringMatching(/^DOWN http:old: certificate rejected: certificate expired \d+ days ago/));
    expect(lines.filter((l) => l.includes('tls:'))).toEqual([]);
    const recs = parseHistory(readFileSync(history, 'utf8')).records;
    expect(recs.map((x) => [x.monitor, x.up, x.error ?? null])).toEqual([
      ['http:good', true, null], ['http:self', false, 'tls'], ['http:wrong', false, 'tls'], ['http:chain', false, 'tls'], ['http:old', false, 'tls'],
    ]);
  });

  it('a certificate monitor costs one handshake per host a round: the audit\'s TLS 1.0/1.1 probes are not redone', async () => {
    // Two certificate monitors (the apex and good), no endpoint: the audit would open three connections per host.
    const work = project('handshakes', { domains: [{ name: 'shop.test', hosts: ['good'] }] });
    const before = web.tlsConnections();
    const r = await runInProcess(['watch', '--rounds', '2', '--interval', '0.05', '--ca', caFile, '--no-history', ...net()], {}, work);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/UP {3}tls:good\.shop\.test: certificate expires in 59 days/);
    expect(web.tlsConnections() - before).toBe(2 * 2);
  });
});

describe('alerts: said sent only when delivered', () => {
  it('an alert to a closed port is reported not delivered after retries, and the next round says alerts reach nobody', async () => {
    const port = await closedPort();
    const work = project('closed', { domains: [{ name: 'shop.test', hosts: ['self'] }] });
    const r = await runInProcess(['watch', '--rounds', '2', '--interval', '0.05', '--failures', '1', '--ca', caFile, '--webhook', `http://127.0.0.1:${port}/hook`, ...net()], {}, work);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map(stamp);
    expect(lines.join('\n')).not.toMatch(/sent to/);
    expect(lines).toContainEqual(expect.stringMatching(/^ALERT tls:self\.shop\.test down: NOT delivered to the webhook — the webhook: webhook failed: .*ECONNREFUSED.* \(3 attempts\); retried next round$/));
    const warnAt = lines.findIndex((l) => l.startsWith('WARN alerts are not reaching anyone: 1 alert undelivered since'));
    expect(warnAt).toBeGreaterThan(lines.findIndex((l) => l.startsWith('ALERT')));
  });

  it('refuses to start when the alert could never go out: a webhook that is not a URL, a command that does not exist', async () => {
    const work = project('bad-alert', shop);
    const a = await runInProcess(['watch', '--rounds', '1', '--webhook', 'notaurl', ...net()], {}, work);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/the alert webhook is not an http\(s\) URL/);
    const b = await runInProcess(['watch', '--rounds', '1', '--exec', '/nonexistent/cmd --flag', ...net()], {}, work);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/the alert command "\/nonexistent\/cmd" cannot run \(no such file\)/);
    const c = await runInProcess(['watch', '--rounds', '1', '--exec', 'no-such-alerter-xyz', ...net()], {}, work);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/"no-such-alerter-xyz" is neither a shell builtin nor an executable on PATH/);
    expect(a.stdout + b.stdout + c.stdout).toBe('');
  });
});

describe('history', () => {
  it('appends one JSON line per probe per round under .launch-ready/ next to the config', async () => {
    const work = project('history', { domains: [{ name: 'shop.test', hosts: ['self'] }] });
    const r = await runInProcess(['watch', '--rounds', '2', '--interval', '0.05', '--ca', caFile, ...net()], {}, work);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(join(work, '.launch-ready', 'history.jsonl'), 'utf8');
    const { records, tornTail } = parseHistory(text);
    expect(tornTail).toBe(false);
    // Per round: the domain's DNS, the apex's and self's certificates.
    expect(records.map((x) => x.monitor)).toEqual(['dns:shop.test', 'tls:shop.test', 'tls:self.shop.test', 'dns:shop.test', 'tls:shop.test', 'tls:self.shop.test']);
    const self = records[2]!;
    expect(self).toMatchObject({ kind: 'tls', target: 'self.shop.test', up: false, error: 'tls' });
    expect(self.latencyMs).toBeGreaterThanOrEqual(0);
    expect(records[0]).toMatchObject({ kind: 'dns', up: true });
    expect(Date.parse(records[3]!.time)).toBeGreaterThan(Date.parse(records[0]!.time));
  });
});
