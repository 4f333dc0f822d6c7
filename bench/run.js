// Benchmarks (`npm run bench`): start-up against bare node, and DNS overlap against a sandbox that delays every
// answer by 50 ms. Figures are ratios measured in one run on this machine; targets are printed beside them.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { allChecks } from '../dist/checks/index.js';
import { prepareNetwork } from '../dist/collect/setup.js';
import { validateConfig } from '../dist/config/load.js';
import { targetFromConfig } from '../dist/config/target.js';
import { runAudit, selectChecks } from '../dist/run/audit.js';
import { parseZone, startDnsSandbox } from '../dist/sandbox/dns-server.js';

const bin = fileURLToPath(new URL('../bin/launch-ready.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeCommand(args) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return median(times);
}

function startup() {
  // Interleave warm-up so the file cache is equally hot for all three.
  timeCommand(['-e', '0']); timeCommand([bin, '--version']); timeCommand([bin, 'checks']);
  const bare = timeCommand(['-e', '0']);
  const version = timeCommand([bin, '--version']);
  const checks = timeCommand([bin, 'checks']);
  return { bare, version, checks };
}

function zoneWith(hosts) {
  const lines = [
    '$ORIGIN bench.test.', '$TTL 300',
    '@ SOA ns1.bench.test. hostmaster.bench.test. ( 1 3600 600 1209600 300 )',
    '@ NS ns1.bench.test.', '@ NS ns2.bench.test.', '@ A 127.0.0.1', '@ CAA 0 issue "letsencrypt.org"',
  ];
  hosts.forEach((h, i) => lines.push(i % 3 === 0 ? `${h} CNAME edge${i}.bench.test.` : `${h} A 127.0.0.${(i % 200) + 2}`));
  hosts.forEach((_h, i) => { if (i % 3 === 0) lines.push(`edge${i} A 127.0.1.${(i % 200) + 2}`); });
  return parseZone(lines.join('\n'));
}

async function overlap() {
  const DELAY = 50;
  const hosts = Array.from({ length: 19 }, (_, i) => `h${i}`); // plus the apex: 20 hosts
  const server = await startDnsSandbox({ zones: [zoneWith(hosts)], delayMs: DELAY });
  try {
    const config = validateConfig({ domains: [{ name: 'bench.test', hosts }] });
    const net = await prepareNetwork({
      resolver: `${server.address}:${server.port}`,
      connectTo: [`:53:${server.address}:${server.port}`],
      timeoutMs: 5000,
      concurrency: 64, // the CLI default
    });
    const results = [];
    for (let i = 0; i < 5; i++) {
      server.queries.length = 0;
      const t0 = performance.now();
      const report = await runAudit({
        // The DNS audit (the other areas have their own benchmarks and their own lookup chains).
        checks: selectChecks(allChecks, ['dns']), target: targetFromConfig(config, [], new Date()), failOn: 'high', context: net.context,
        deadlineMs: 60_000, tool: { name: 'bench', version: '0' }, reportTarget: { domains: ['bench.test'], hosts: [] },
      });
      const wall = performance.now() - t0;
      const keys = server.queries.map((q) => `${q.name.toLowerCase()}|${q.type}`);
      // The apex SOA is asked twice by design: once of the resolver, once of the nameservers (which --connect-to
      // sends to the same sandbox here). Every other name+type must be asked exactly once.
      const probes = 1;
      results.push({ wall, queries: keys.length - probes, unique: new Set(keys).size, verdict: report.verdict });
    }
    // Longest chain of dependent lookups: NS of the apex, then SOA at each nameserver (reached via --connect-to).
    // Every host's A/AAAA (with its in-zone CNAME) is one round trip that overlaps with those.
    const chain = 2;
    const best = median(results.map((r) => r.wall));
    return { hosts: hosts.length + 1, delay: DELAY, chain, wall: best, ratio: best / (chain * DELAY), queries: results[0].queries, unique: results[0].unique, verdict: results[0].verdict };
  } finally {
    await server.close();
  }
}

const s = startup();
const o = await overlap();
const rows = [
  ['start-up: node -e 0', `${s.bare.toFixed(1)} ms`, ''],
  ['start-up: launch-ready --version', `${s.version.toFixed(1)} ms`, `${(s.version / s.bare).toFixed(2)}x bare node (target <= 1.5x)`],
  ['start-up: launch-ready checks', `${s.checks.toFixed(1)} ms`, `${(s.checks / s.bare).toFixed(2)}x bare node (target <= 1.5x)`],
  [`overlap: DNS audit of ${o.hosts} hosts, ${o.delay} ms per answer`, `${o.wall.toFixed(1)} ms`, `${o.ratio.toFixed(2)}x the ${o.chain}-lookup chain (target <= 1.5x)`],
  ['overlap: resolver queries / distinct name+type', `${o.queries} / ${o.unique}`, o.queries === o.unique ? 'none asked twice' : 'SOME ASKED TWICE'],
];
const w = Math.max(...rows.map((r) => r[0].length));
console.log(`launch-ready benchmarks (median of ${RUNS} runs for start-up, 5 for overlap), node ${process.version}`);
for (const [name, value, note] of rows) console.log(`${name.padEnd(w)}  ${value.padStart(12)}  ${note}`);
