// `launch-ready watch` against a loopback service that goes down and comes back: status lines, one alert to a
// webhook receiver after K failures, the alert command, and the recovery — with the secret webhook never printed,
// and "sent" said only once the receiver and the command took the alert.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/cli.js';

let service: Server;
let receiver: Server;
let requests = 0;
const alerts: { status: string; probe: string; text: string }[] = [];
let dir: string;

function listen(s: Server): Promise<number> {
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
}

let servicePort = 0;
let receiverPort = 0;

beforeAll(async () => {
  // Healthy for 2 checks, down for the next 3, healthy again: deterministic whatever the timing.
  service = createServer((_req, res) => {
    requests++;
    const down = requests >= 3 && requests <= 5;
    res.writeHead(down ? 503 : 200, { 'content-type': 'text/plain' });
    res.end(down ? 'maintenance' : 'ok');
  });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => { alerts.push(JSON.parse(body)); res.writeHead(200); res.end('ok'); });
  });
  servicePort = await listen(service);
  receiverPort = await listen(receiver);
  dir = mkdtempSync(join(tmpdir(), 'lr-watch-'));
});

afterAll(() => { service.close(); receiver.close(); });

describe('watch', () => {
  it('alerts once after K failures in a row and announces the recovery', async () => {
    const token = ['T0', 'ABCD', 'xyz', '9876'].join('');
    const marker = join(dir, 'alerts.log');
    writeFileSync(join(dir, 'launch-ready.config.json'), JSON.stringify({
      endpoints: [{ name: 'health', url: `http://127.0.0.1:${servicePort}/health` }, { name: 'login', url: `http://127.0.0.1:${servicePort}/login`, method: 'POST', kind: 'auth' }],
      monitor: { webhook: `http://127.0.0.1:${receiverPort}/hooks/\${env:LR_HOOK_TOKEN}`, command: `echo "$LR_WATCH_STATUS $LR_WATCH_PROBE" >> ${marker}` },
    }));
    const r = await runInProcess(['watch', '--interval', '0.05', '--failures', '2', '--rounds', '7', '--resolver', '127.0.0.1:9'], { LR_HOOK_TOKEN: token }, dir);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => l.replace(/^\S+ /, ''));
    expect(lines).toEqual([
      'UP   http:health: 200 in 0 ms',
      'FAIL http:health: 503 in 0 ms',
      'DOWN http:health: 503 in 0 ms (2 checks in a row)',
      'ALERT http:health down: sent to the webhook and the command',
      'UP   http:health: 200 in 0 ms (recovered after 0 s)',
      'ALERT http:health recovered: sent to the webhook and the command',
    ].map((l) => expect.stringMatching(new RegExp(`^${l.replace(/[()|]/g, '\\$&').replace(/0 ms/g, '\\d+ ms').replace(/0 s/, '\\d+ s')}$`))));
    expect(alerts.map((a) => [a.status, a.probe])).toEqual([['down', 'http:health'], ['recovered', 'http:health']]);
    expect(alerts[0]!.text).toMatch(/http:health is DOWN: 503/);
    expect(readFileSync(marker, 'utf8')).toBe('down http:health\nrecovered http:health\n');
    expect(r.stderr).toMatch(/not watched \(not GET\/HEAD, so not safe to repeat\): login/);
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(requests).toBe(7);
  });

  it('nothing to watch is a usage error', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'lr-watch-empty-'));
    const r = await runInProcess(['watch', '--rounds', '1'], {}, empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing to watch/);
  });
});

describe('watch stops cleanly', () => {
  it('Ctrl-C (SIGINT) ends the loop between rounds with exit 0', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('../helpers/cli.js');
    const work = mkdtempSync(join(tmpdir(), 'lr-watch-int-'));
    writeFileSync(join(work, 'launch-ready.config.json'), JSON.stringify({ endpoints: [{ name: 'health', url: `http://127.0.0.1:${servicePort}/health` }] }));
    const child = spawn(process.execPath, [BIN, 'watch', '--interval', '30', '--resolver', '127.0.0.1:9'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); if (/http:health/.test(out)) child.kill('SIGINT'); });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/http:health: 200/);
    expect(err).toMatch(/launch-ready watch: stopped\./);
  });
});
