// SPF evaluation cost over the loopback DNS sandbox: evaluations per second for a deep policy (cold cache, one
// resolver per evaluation as `launch-ready spf` uses), and with one shared cache (as an audit with many sending
// IPs uses). Run after `npm run build`: node bench/email.js
import { DnsResolver } from '../dist/collect/dns/resolver.js';
import { Limiter } from '../dist/collect/limit.js';
import { NetPolicy } from '../dist/collect/net.js';
import { checkHost } from '../dist/email/spf/evaluate.js';
import { parseZone, startDnsSandbox } from '../dist/sandbox/dns-server.js';

const ZONE = `$ORIGIN bench.test.
$TTL 300
@ SOA ns1.bench.test. h.bench.test. ( 1 3600 600 1209600 300 )
@ NS ns1
ns1 A 127.0.0.1
@ TXT "v=spf1 include:a.bench.test include:b.bench.test mx -all"
a TXT "v=spf1 a:h1.bench.test a:h2.bench.test exists:%{ir}.e.bench.test ~all"
b TXT "v=spf1 ip4:192.0.2.0/24 include:c.bench.test ?all"
c TXT "v=spf1 a:h3.bench.test ip6:2001:db8::/32 -all"
@ MX 10 mx1.bench.test.
@ MX 20 mx2.bench.test.
mx1 A 198.51.100.1
mx2 A 198.51.100.2
h1 A 203.0.113.1
h2 A 203.0.113.2
h3 A 203.0.113.3
`;

const dns = await startDnsSandbox({ zones: [parseZone(ZONE)] });
const resolver = () => new DnsResolver({
  servers: [{ address: dns.address, port: dns.port }], timeoutMs: 1000, retries: 0,
  policy: new NetPolicy({ loopbackOnly: true }), limiter: new Limiter(64),
});
// Misses every term, so the whole policy is walked: 8 counted lookups, 11 DNS queries.
const ip = '10.1.2.3';
const N = 300;

async function run(label, makeLookup) {
  for (let i = 0; i < 20; i++) await checkHost({ domain: 'bench.test', ip, lookup: makeLookup() }); // warm-up
  const t0 = performance.now();
  let queries = 0;
  for (let i = 0; i < N; i++) {
    const ev = await checkHost({ domain: 'bench.test', ip, lookup: makeLookup() });
    if (ev.result !== 'fail') throw new Error(`unexpected result ${ev.result}`);
    queries += ev.dnsQueries;
  }
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(34)} ${(N / (ms / 1000)).toFixed(0).padStart(6)} evaluations/s  ${(ms / N).toFixed(2)} ms each  ${(queries / N).toFixed(0)} queries each`);
  return ms / N;
}

const cold = await run('cold cache (fresh resolver each)', () => { const r = resolver(); return (n, t) => r.query(n, t); });
const shared = resolver();
const warm = await run('shared cache (one resolver)', () => (n, t) => shared.query(n, t));
console.log(`cache speed-up: ${(cold / warm).toFixed(1)}x; packets sent in total: ${dns.queries.length}`);
await dns.close();
