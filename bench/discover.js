// Discovery cost over the loopback DNS sandbox answering every query after 50 ms: a 1,000-label wordlist (100 of
// them real hosts, plus the nameserver) through collectDiscovery, against the floor of 1,000 distinct queries at the same concurrency
// cap. Target: within 1.5x of the floor, and no name+type asked twice. Run after `npm run build`: node bench/discover.js
import { setMaxListeners } from 'node:events';
import net from 'node:net';
import { collectDiscovery } from '../dist/collect/discover/index.js';
import { prepareNetwork } from '../dist/collect/setup.js';
import { parseZone, startDnsSandbox } from '../dist/sandbox/dns-server.js';

const DELAY_MS = 50;
const LABELS = 1000;
const CAP = 64;
const labels = Array.from({ length: LABELS }, (_, i) => `host-${String(i).padStart(4, '0')}`);
const real = labels.filter((_, i) => i % 10 === 0);
const zone = parseZone([
  '$ORIGIN bench.test.', '$TTL 60', '@ SOA ns1.bench.test. h.bench.test. ( 1 60 60 60 60 )', '@ NS ns1', 'ns1 A 127.0.0.1', '@ A 127.0.0.1',
  ...real.map((l) => `${l} A 127.0.0.1`),
].join('\n'));
const dns = await startDnsSandbox({ zones: [zone], delayMs: DELAY_MS });

// Web probes of the found hosts meet a closed loopback port (the bench is about DNS).
const closed = await new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
const network = await prepareNetwork({
  resolver: `${dns.address}:${dns.port}`, timeoutMs: 3000, concurrency: CAP, loopbackOnly: true,
  connectTo: [`ns1.bench.test:53:${dns.address}:${dns.port}`, `:443:127.0.0.1:${closed}`, `:80:127.0.0.1:${closed}`],
});

function context() {
  const signal = new globalThis.AbortController().signal;
  setMaxListeners(0, signal);
  return network.context(signal);
}

async function floor() {
  const ctx = context();
  const t0 = performance.now();
  await Promise.all(labels.map((l) => ctx.resolver.query(`floor-${l}.bench.test`, 'A')));
  return performance.now() - t0;
}

async function discover() {
  const ctx = context();
  const target = {
    now: new Date().toISOString(), accept: [],
    domains: [{ name: 'bench.test', canonical: 'apex', hosts: [{ name: 'bench.test', domain: 'bench.test', label: '@', declared: true }] }],
    discover: { builtin: false, labels, maxHosts: 1000, maxQueries: 100_000, timeMs: 120_000, axfr: true },
  };
  const before = dns.queries.length;
  const t0 = performance.now();
  const facts = await collectDiscovery(ctx, target);
  const ms = performance.now() - t0;
  const asked = dns.queries.slice(before).map((q) => `${q.name.toLowerCase()} ${q.type}`);
  return { ms, facts, asked };
}

const base = await floor();
const run = await discover();
const repeated = run.asked.length - new Set(run.asked).size;
const ratio = run.ms / base;
console.log(`floor: ${LABELS} queries at concurrency ${CAP}, ${DELAY_MS} ms each: ${base.toFixed(0)} ms`);
console.log(`discovery: ${LABELS} labels, ${run.facts.hosts.length} hosts found, ${run.asked.length} queries (${repeated} repeated): ${run.ms.toFixed(0)} ms`);
console.log(`ratio: ${ratio.toFixed(2)}x (target <= 1.5x, no query twice)`);
await dns.close();
if (ratio > 1.5 || repeated > 0 || run.facts.hosts.length !== real.length + 1) process.exitCode = 1;
