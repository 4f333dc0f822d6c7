// Benchmark (`node bench/flow-load.js` after `npm run build`): requests per second a flow of 3 fast steps (log in,
// read with the extracted token, read again) drives through the flow ramp, against the endpoint ramp (autocannon)
// driving the same three requests (the login's POST with its JSON body, the reads with their bearer header) on the
// same server in a separate process, at the same concurrency. The endpoint figure is the harmonic mean of the three
// ramps: the rate at which that server answers an equal mix of them. Target: flow ≥ 0.8× endpoint. A bare GET with
// no header is printed beside it, for scale: it costs the server less than any of the flow's requests.
import { EndpointSchema } from '../dist/config/schema.js';
import { targetEndpoint } from '../dist/config/target.js';
import { runLoad } from '../dist/collect/load/index.js';
import { prepareNetwork } from '../dist/collect/setup.js';
import { planFlow } from '../dist/flows/plan.js';
import { validateConfig } from '../dist/config/load.js';
import { pinApart, startServer } from './child-server.js';

const CONCURRENCY = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const TARGET = 0.8;

// Every route answers the same small JSON at once, so the comparison is about the client, not the routes.
const SERVER = `
const http = require('node:http');
const body = JSON.stringify({ access_token: 'tok_bench_0123456789', items: Array.from({ length: 8 }, (_, i) => ({ id: i })) });
const s = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); });
});
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;


// Pinned before the server starts, so the server's process does not inherit CPU 0.
const pinned = pinApart();
const { child, port } = await startServer(SERVER, { pinned });
try {
  const base = `http://127.0.0.1:${port}`;
  const net = await prepareNetwork({ resolver: '127.0.0.1:53', timeoutMs: 5000, concurrency: 4 });
  const controller = new globalThis.AbortController();
  const ctx = net.context(controller.signal);
  const bare = targetEndpoint(EndpointSchema.parse({ name: 'bare', url: `${base}/feed`, budgetP95Ms: 10_000 }));
  const bearer = { authorization: 'Bearer tok_bench_0123456789' };
  const same = [
    { name: 'login', method: 'POST', url: `${base}/login`, kind: 'auth', headers: { 'content-type': 'application/json', accept: 'application/json, */*;q=0.5' }, body: JSON.stringify({ email: 'bench@example.test' }) },
    { name: 'feed', url: `${base}/feed`, headers: { ...bearer, accept: 'application/json, */*;q=0.5' } },
    { name: 'profile', url: `${base}/profile`, headers: { ...bearer, accept: 'application/json, */*;q=0.5' } },
  ].map((e) => targetEndpoint(EndpointSchema.parse({ ...e, budgetP95Ms: 10_000 })));
  const config = validateConfig({
    flows: [{
      name: 'three', steps: [
        { name: 'login', method: 'POST', url: `${base}/login`, json: { email: 'bench@example.test' }, extract: { token: '/access_token' }, budgetMs: 10_000 },
        { name: 'feed', url: `${base}/feed`, headers: { authorization: 'Bearer {{token}}' }, budgetMs: 10_000 },
        { name: 'profile', url: `${base}/profile`, headers: { authorization: 'Bearer {{token}}' }, budgetMs: 10_000 },
      ],
    }],
  });
  const plan = planFlow(config.flows[0]);
  // Rounds are paired: each compares a flow ramp with the endpoint ramps run right before or after it (the order
  // alternates), so a machine that speeds up or slows down between rounds moves both sides of a ratio alike. The
  // median ratio is the figure.
  const top = (ep) => ep.steps.at(-1).rps;
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
  const endpointMix = async () => {
    // One run per endpoint: a run's request cap is shared by its endpoints.
    const ramps = [];
    for (const ep of same) ramps.push((await runLoad(ctx, { endpoints: [ep], maxConcurrency: CONCURRENCY, stepDurationSec: SECONDS })).endpoints[0]);
    for (const ep of ramps) if (ep.stopped || ep.steps.at(-1).errorRate > 0) throw new Error(`the bench endpoint ${ep.name} failed: ${ep.stopped ?? 'errors'}`);
    return { mix: ramps.length / ramps.reduce((n, ep) => n + 1 / top(ep), 0), each: ramps.map(top) };
  };
  const flowRamp = async () => {
    const f = await runLoad(ctx, { endpoints: [], flows: [plan], maxConcurrency: CONCURRENCY, stepDurationSec: SECONDS });
    const last = f.flows[0].steps.at(-1);
    if (last.errorRate > 0) throw new Error(`the bench flow failed: ${JSON.stringify(last.perStep)}`);
    return last;
  };
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) {
    let e;
    let f;
    if (i % 2 === 0) { e = await endpointMix(); f = await flowRamp(); } else { f = await flowRamp(); e = await endpointMix(); }
    const b = top((await runLoad(ctx, { endpoints: [bare], maxConcurrency: CONCURRENCY, stepDurationSec: SECONDS })).endpoints[0]);
    rounds.push({ endpoint: e.mix, each: e.each, flow: f.rps, flowsPerSec: f.flowsPerSec, bare: b, ratio: f.rps / e.mix });
    console.log(`round ${i + 1}: endpoints ${e.each.map(Math.round).join('/')} (mix ${Math.round(e.mix)}), flow ${Math.round(f.rps)}, bare GET ${Math.round(b)} req/s: ratio ${(f.rps / e.mix).toFixed(2)}`);
  }
  controller.abort();
  const ratio = median(rounds.map((r) => r.ratio));
  console.log(`load at ${CONCURRENCY} concurrent users/connections, ${SECONDS} s steps, ${ROUNDS} paired rounds, server in a separate process${pinned ? ' (server on CPU 1, client on CPU 0)' : ''}:`);
  console.log(`endpoint ramp (autocannon engine), the flow's 3 requests: ${Math.round(median(rounds.map((r) => r.endpoint)))} req/s (median of each round's harmonic mean)`);
  console.log(`flow ramp, 3 steps (keep-alive client):     ${Math.round(median(rounds.map((r) => r.flow)))} req/s (${Math.round(median(rounds.map((r) => r.flowsPerSec)))} flows/s)`);
  console.log(`ratio flow/endpoint: median ${ratio.toFixed(2)}, range ${Math.min(...rounds.map((r) => r.ratio)).toFixed(2)}–${Math.max(...rounds.map((r) => r.ratio)).toFixed(2)} (target: median ≥ ${TARGET})`);
  console.log(`for scale: a bare GET with no header, endpoint ramp: ${Math.round(median(rounds.map((r) => r.bare)))} req/s (flow at ${median(rounds.map((r) => r.flow / r.bare)).toFixed(2)}× of it)`);
  if (ratio < TARGET) process.exitCode = 1;
} finally {
  child.kill();
}
