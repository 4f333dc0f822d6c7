// Benchmark (`node bench/tls.js` after `npm run build`): our TLS essentials of one host (handshake with SNI, chain
// parsed and judged, TLS 1.0/1.1 probes) against `testssl.sh -S` on the same loopback server, and whether both
// reach the same verdict on every planted certificate defect. Skips with a message when testssl.sh is absent.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allChecks } from '../dist/checks/index.js';
import { prepareNetwork } from '../dist/collect/setup.js';
import { probeEndpoint } from '../dist/collect/tls/index.js';
import { runCheck } from '../dist/run/audit.js';
import { BROKEN_EDGE, CERT_DEFECTS, startEdgeSandbox } from '../dist/sandbox/edge-site.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TESTSSL_RUNS = Number(process.env.BENCH_TESTSSL_RUNS ?? 2);
const TARGET_RATIO = 5;

/** The testssl.sh finding that speaks to each planted defect, and our finding id for it. */
const EXPECT = {
  expired: { testssl: 'cert_expirationStatus', ours: 'tls.cert-expiry.expired' },
  // testssl.sh reports "not yet valid" under the chain of trust, not under expiry.
  'not-yet-valid': { testssl: 'cert_chain_of_trust', ours: 'tls.cert-expiry.not-yet-valid' },
  'expiring-soon': { testssl: 'cert_expirationStatus', ours: 'tls.cert-expiry.expires-in-14-days' },
  'wrong-host': { testssl: 'cert_trust', ours: 'tls.cert-name-mismatch.mismatch' },
  'self-signed': { testssl: 'cert_chain_of_trust', ours: 'tls.untrusted-chain.self-signed' },
  'missing-intermediate': { testssl: 'cert_chain_of_trust', ours: 'tls.untrusted-chain.incomplete' },
  'rsa-1024': { testssl: 'cert_keySize', ours: 'tls.weak-key.rsa-weak' },
  sha1: { testssl: 'cert_signatureAlgorithm', ours: 'tls.weak-signature.sha1' },
};
const PROBLEM = new Set(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL', 'WARN']);

function testsslBinary() {
  for (const name of ['testssl', 'testssl.sh']) {
    const r = spawnSync(name, ['--version'], { encoding: 'utf8' });
    if (r.status === 0 || /testssl/i.test(r.stdout ?? '')) return name;
  }
  return undefined;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function runTestssl(bin, host, port, ca, dir) {
  const json = join(dir, `${host}-${Math.random().toString(36).slice(2)}.json`);
  const args = ['-S', '--quiet', '--color', '0', '--warnings', 'off', '--add-ca', ca, '--ip', '127.0.0.1', '--jsonfile', json, `${host}:${port}`];
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    // Our thresholds (30 and 14 days), so both tools judge expiry alike.
    const child = spawn(bin, args, { stdio: 'ignore', env: { ...process.env, DAYS2WARN1: '30', DAYS2WARN2: '14' } });
    child.on('close', () => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      let findings = [];
      try { findings = JSON.parse(readFileSync(json, 'utf8')); } catch { /* judged below as "no answer" */ }
      resolve({ ms, findings });
    });
  });
}

async function context(sb, ca) {
  const net = await prepareNetwork({ resolver: sb.resolver, connectTo: sb.connectTo, timeoutMs: 5000, concurrency: 64, ca });
  const controller = new globalThis.AbortController();
  return { ctx: net.context(controller.signal), done: () => controller.abort() };
}

function ourFindings(endpoint) {
  const facts = { target: { domains: [], now: new Date().toISOString(), accept: [] }, 'tls.endpoints': [endpoint] };
  return allChecks
    .filter((c) => c.area === 'tls' && c.requires.every((k) => k in facts))
    .flatMap((c) => runCheck(c, facts, [], facts.target.now.slice(0, 10)).findings.map((f) => f.id));
}

async function main() {
  const bin = testsslBinary();
  if (!bin) {
    console.log('bench/tls: skipped — testssl.sh is not installed (Debian: apt-get install -y testssl.sh).');
    return;
  }
  const sb = await startEdgeSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'lr-bench-tls-'));
  const ca = join(dir, 'root.pem');
  writeFileSync(ca, sb.certs.caPem);
  try {
    const host = `www.${BROKEN_EDGE}`;
    const hostRef = { name: host, domain: BROKEN_EDGE, label: 'www', declared: true };
    // Warm-up, then fresh contexts (no DNS cache, no TLS session) for every timed run.
    { const w = await context(sb, ca); await probeEndpoint(w.ctx, hostRef); w.done(); }
    const ours = [];
    for (let i = 0; i < RUNS; i++) {
      const { ctx, done } = await context(sb, ca);
      const t0 = process.hrtime.bigint();
      const e = await probeEndpoint(ctx, hostRef);
      ours.push(Number(process.hrtime.bigint() - t0) / 1e6);
      done();
      if (e.status !== 'ok') throw new Error(`${host}: ${e.status} ${e.message ?? ''}`);
    }
    const theirs = [];
    let cleanTestssl = [];
    for (let i = 0; i < TESTSSL_RUNS; i++) {
      const t = await runTestssl(bin, host, sb.web.httpsPort, ca, dir);
      theirs.push(t.ms);
      cleanTestssl = t.findings;
    }
    const cleanEndpoint = await (async () => { const { ctx, done } = await context(sb, ca); const e = await probeEndpoint(ctx, hostRef); done(); return e; })();
    const oursMs = median(ours);
    const theirsMs = median(theirs);
    const ratio = theirsMs / oursMs;
    console.log('TLS essentials of one host (loopback, private CA):');
    console.log(`  launch-ready (handshake + chain + trust + TLS 1.0/1.1 probes), median of ${RUNS}: ${oursMs.toFixed(1)} ms`);
    console.log(`  testssl.sh -S, median of ${TESTSSL_RUNS}: ${theirsMs.toFixed(0)} ms`);
    console.log(`  ratio: ${ratio.toFixed(1)}x faster (target >= ${TARGET_RATIO}x) ${ratio >= TARGET_RATIO ? 'OK' : 'MISSED'}`);

    console.log('\nSame verdict on every planted certificate defect:');
    const rows = await Promise.all(Object.entries(CERT_DEFECTS).map(async ([label, kind]) => {
      const name = `${label}.${BROKEN_EDGE}`;
      const { ctx, done } = await context(sb, ca);
      const endpoint = await probeEndpoint(ctx, { name, domain: BROKEN_EDGE, label, declared: true });
      done();
      const ourIds = ourFindings(endpoint);
      const t = await runTestssl(bin, name, sb.web.httpsPort, ca, dir);
      const exp = EXPECT[kind];
      const theirFinding = t.findings.find((f) => f.id === exp.testssl);
      return {
        kind,
        ours: ourIds.includes(exp.ours),
        oursIds: ourIds.join(', ') || '(none)',
        theirs: Boolean(theirFinding && PROBLEM.has(theirFinding.severity)),
        theirText: theirFinding ? `${theirFinding.id}=${theirFinding.severity} "${theirFinding.finding}"` : '(no finding)',
      };
    }));
    // The valid certificate: neither tool may flag anything the defects are judged on.
    const judgedIds = new Set(Object.values(EXPECT).map((e) => e.testssl));
    const cleanTheirs = cleanTestssl.filter((f) => judgedIds.has(f.id) && PROBLEM.has(f.severity));
    const cleanOurs = ourFindings(cleanEndpoint);
    rows.unshift({
      kind: 'valid (no defect)',
      ours: cleanOurs.length === 0,
      oursIds: cleanOurs.join(', ') || '(none)',
      theirs: cleanTestssl.length > 0 && cleanTheirs.length === 0,
      theirText: cleanTheirs.map((f) => `${f.id}=${f.severity}`).join(', ') || '(none)',
    });
    let agree = 0;
    for (const r of rows) {
      const same = r.ours && r.theirs;
      if (same) agree++;
      console.log(`  ${same ? 'same' : 'DIFF'}  ${r.kind.padEnd(21)} ours: ${r.oursIds}   testssl: ${r.theirText}`);
    }
    console.log(`  ${agree}/${rows.length} same verdict (every defect flagged by both, the valid certificate by neither)`);
    if (agree !== rows.length || ratio < TARGET_RATIO) process.exitCode = 1;
  } finally {
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
