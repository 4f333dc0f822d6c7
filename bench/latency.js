// Benchmark (`node bench/latency.js` after `npm run build`), one run against one loopback endpoint served by a
// separate process: (1) agreement of our sequential latency p50/p95 with wrk's on the same endpoint, (2) our
// measurement overhead at p50 (ours minus wrk's: wrk is a minimal C client), (3) the load generator's max req/s
// (our ramp, autocannon driving it with our own µs recording) vs autocannon's own CLI and wrk at the same
// concurrency. Skips the wrk parts with a message when wrk (Debian package `wrk`) is absent.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EndpointSchema } from '../dist/config/schema.js';
import { targetEndpoint } from '../dist/config/target.js';
import { measureEndpoint } from '../dist/collect/latency/index.js';
import { runLoad } from '../dist/collect/load/index.js';
import { prepareNetwork } from '../dist/collect/setup.js';
import { startServer } from './child-server.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 3000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const require = createRequire(import.meta.url);

const SERVER = `
const http = require('node:http');
const body = JSON.stringify({ ok: true, items: Array.from({ length: 8 }, (_, i) => ({ id: i })) });
const s = http.createServer((req, res) => {
  req.resume();
  const answer = () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); };
  // /slow: a realistic 10 ms of server work, where client overhead should vanish in the comparison.
  if (req.url === '/slow') setTimeout(answer, 10); else answer();
});
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;


function hasWrk() {
  const r = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  return !r.error && /wrk/i.test(`${r.stdout}${r.stderr}`);
}

/** wrk with a Lua `done` hook printing p50/p95 (µs) and req/s: its --latency table has no p95. */
function wrk(url, connections, seconds, dir) {
  const lua = join(dir, 'report.lua');
  writeFileSync(lua, 'done = function(summary, latency, requests)\n  io.write(string.format("LR %d %d %d %f\\n", latency:percentile(50), latency:percentile(95), summary.requests, summary.duration))\nend\n');
  const r = spawnSync('wrk', ['-t', String(Math.min(connections, 2)), '-c', String(connections), '-d', `${seconds}s`, '-s', lua, url], { encoding: 'utf8' });
  const m = /LR (\d+) (\d+) (\d+) ([\d.]+)/.exec(r.stdout ?? '');
  if (!m) throw new Error(`wrk gave no figures: ${r.stdout}${r.stderr}`);
  return { p50Ms: Number(m[1]) / 1000, p95Ms: Number(m[2]) / 1000, rps: Number(m[3]) / (Number(m[4]) / 1e6) };
}

function autocannonCli(url, connections, seconds) {
  const bin = join(require.resolve('autocannon/package.json'), '..', 'autocannon.js');
  const r = spawnSync(process.execPath, [bin, '-c', String(connections), '-d', String(seconds), '-j', url], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const json = JSON.parse(r.stdout);
  return { rps: json.requests.total / json.duration, p50Ms: json.latency.p50, p97_5Ms: json.latency.p97_5 };
}

const f = (n, d = 3) => Number(n).toFixed(d);

async function main() {
  const { child, port } = await startServer(SERVER);
  const dir = mkdtempSync(join(tmpdir(), 'lr-bench-latency-'));
  const url = `http://127.0.0.1:${port}/feed`;
  try {
    const net = await prepareNetwork({ resolver: '127.0.0.1:53', timeoutMs: 5000, concurrency: 4 });
    const controller = new globalThis.AbortController();
    const ctx = net.context(controller.signal);
    const ep = targetEndpoint(EndpointSchema.parse({ name: 'feed', url, critical: true, budgetP95Ms: 10_000 }));

    // 1 + 2: sequential latency, one connection.
    const ours = await measureEndpoint(ctx, ep, { samples: SAMPLES, warmup: 200 });
    console.log(`endpoint ${url} (separate process), ${SAMPLES} sequential samples`);
    console.log(`ours:  p50 ${f(ours.p50Ms)} ms  p95 ${f(ours.p95Ms)} ms  p99 ${f(ours.p99Ms)} ms  (microsecond HDR histogram)`);
    const withWrk = hasWrk();
    if (withWrk) {
      const w = wrk(url, 1, SECONDS, dir);
      console.log(`wrk:   p50 ${f(w.p50Ms)} ms  p95 ${f(w.p95Ms)} ms  (1 connection, ${SECONDS} s)`);
      console.log(`agreement: p50 ratio ours/wrk ${f(ours.p50Ms / w.p50Ms, 2)}, p95 ratio ${f(ours.p95Ms / w.p95Ms, 2)}`);
      console.log(`measurement overhead at p50 (ours − wrk): ${f((ours.p50Ms - w.p50Ms) * 1000, 0)} µs`);
    } else {
      console.log('wrk not installed (Debian: apt-get install wrk): agreement and overhead skipped');
    }

    // 3: max req/s at one concurrency.
    const load = await runLoad(ctx, { endpoints: [ep], maxConcurrency: CONNECTIONS, stepDurationSec: SECONDS });
    const top = load.endpoints[0].steps.at(-1);
    console.log(`\nload at ${CONNECTIONS} connections, ${SECONDS} s:`);
    console.log(`ours (autocannon engine + our µs recording): ${f(top.rps, 0)} req/s  p50 ${f(top.p50Ms)} ms  p95 ${f(top.p95Ms)} ms`);
    const ac = autocannonCli(url, CONNECTIONS, SECONDS);
    console.log(`autocannon CLI:                              ${f(ac.rps, 0)} req/s  p50 ${ac.p50Ms} ms (whole ms)`);
    console.log(`ratio ours/autocannon: ${f(top.rps / ac.rps, 2)}`);
    if (withWrk) {
      const w = wrk(url, CONNECTIONS, SECONDS, dir);
      console.log(`wrk:                                         ${f(w.rps, 0)} req/s  p50 ${f(w.p50Ms)} ms  p95 ${f(w.p95Ms)} ms`);
      console.log(`ratio ours/wrk: ${f(top.rps / w.rps, 2)}`);
    }
    if (withWrk) {
      const slowUrl = `http://127.0.0.1:${port}/slow`;
      const slow = await measureEndpoint(ctx, targetEndpoint(EndpointSchema.parse({ name: 'slow', url: slowUrl, budgetP95Ms: 10_000 })), { samples: 300, warmup: 20 });
      const w = wrk(slowUrl, 1, SECONDS, dir);
      console.log(`\nendpoint with 10 ms of server work, sequential:`);
      console.log(`ours:  p50 ${f(slow.p50Ms)} ms  p95 ${f(slow.p95Ms)} ms;  wrk: p50 ${f(w.p50Ms)} ms  p95 ${f(w.p95Ms)} ms`);
      console.log(`agreement: p50 ratio ours/wrk ${f(slow.p50Ms / w.p50Ms, 3)}, p95 ratio ${f(slow.p95Ms / w.p95Ms, 3)}`);
    }
    controller.abort();
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
