// Benchmark (`node bench/flow-load.js` after `npm run build`): requests per second a flow of 3 fast steps (log in,
// read with the extracted token, read again) drives through the flow ramp, against the endpoint ramp (autocannon)
// on the same endpoint server in a separate process, at the same concurrency. Target: flow ≥ 0.8× endpoint.
import { EndpointSchema } from '../dist/config/schema.js';
import { targetEndpoint } from '../dist/config/target.js';
import { runLoad } from '../dist/collect/load/index.js';
import { prepareNetwork } from '../dist/collect/setup.js';
import { planFlow } from '../dist/flows/plan.js';
import { validateConfig } from '../dist/config/load.js';
import { startServer } from './child-server.js';

const CONCURRENCY = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
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


const { child, port } = await startServer(SERVER);
try {
  const base = `http://127.0.0.1:${port}`;
  const net = await prepareNetwork({ resolver: '127.0.0.1:53', timeoutMs: 5000, concurrency: 4 });
  const controller = new globalThis.AbortController();
  const ctx = net.context(controller.signal);
  const ep = targetEndpoint(EndpointSchema.parse({ name: 'feed', url: `${base}/feed`, budgetP95Ms: 10_000 }));
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
  // Rounds alternate, so a busy machine slows both alike; the best round of each is compared.
  let endpointRps = 0;
  let flowRps = 0;
  let flowsPerSec = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const e = await runLoad(ctx, { endpoints: [ep], maxConcurrency: CONCURRENCY, stepDurationSec: SECONDS });
    endpointRps = Math.max(endpointRps, e.endpoints[0].steps.at(-1).rps);
    const f = await runLoad(ctx, { endpoints: [], flows: [plan], maxConcurrency: CONCURRENCY, stepDurationSec: SECONDS });
    const top = f.flows[0].steps.at(-1);
    if (top.errorRate > 0) throw new Error(`the bench flow failed: ${JSON.stringify(top.perStep)}`);
    if (top.rps > flowRps) { flowRps = top.rps; flowsPerSec = top.flowsPerSec; }
  }
  controller.abort();
  const ratio = flowRps / endpointRps;
  console.log(`load at ${CONCURRENCY} concurrent users/connections, ${SECONDS} s steps, best of ${ROUNDS} rounds (server in a separate process):`);
  console.log(`endpoint ramp (autocannon engine): ${Math.round(endpointRps)} req/s`);
  console.log(`flow ramp, 3 steps (undici pool):  ${Math.round(flowRps)} req/s (${Math.round(flowsPerSec)} flows/s)`);
  console.log(`ratio flow/endpoint: ${ratio.toFixed(2)} (target ≥ ${TARGET})`);
  if (ratio < TARGET) process.exitCode = 1;
} finally {
  child.kill();
}
