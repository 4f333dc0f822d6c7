// Agreement with the peers' takeover data: every service of a can-i-take-over-xyz style fingerprints.json is
// served as real DNS on loopback (a dangling CNAME to each suffix, and a live name answering the service's
// unclaimed page over HTTPS/HTTP), `launch-ready audit` runs over it, and the findings are scored: is the service
// named, does the wording follow its status, is the unclaimed page caught. When the truth has keys/*.pem, each key is
// published as a DKIM record (and as the variants peers disagree on) and dkim-key's verdicts are scored too.
// Run after `npm run build`:
//   node bench/takeover-email.js <path-to-takeover-email-truth> [--bin <launch-ready.js of another build>]
import { spawn } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertFactory } from '../dist/sandbox/certs.js';
import { parseZone, startDnsSandbox } from '../dist/sandbox/dns-server.js';
import { startWebSandbox } from '../dist/sandbox/https-server.js';

const args = process.argv.slice(2);
const truthDir = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--bin');
if (!truthDir) {
  console.error('usage: node bench/takeover-email.js <path-to-takeover-email-truth> [--bin <bin/launch-ready.js>]');
  process.exit(2);
}
const bin = args.includes('--bin') ? args[args.indexOf('--bin') + 1] : join(import.meta.dirname, '../bin/launch-ready.js');
const services = JSON.parse(readFileSync(join(truthDir, 'fingerprints.json'), 'utf8'));

const D = 'victim.test';
const norm = (s) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
/** A concrete page text from the list's fingerprint (some are patterns or several alternatives). */
function pageText(fp) {
  return fp.split(/&#124;|` `/)[0].replace(/\.\*/g, 'x').replace(/\\(.)/g, '$1');
}
/** A suffix from a cname entry: IPs are A-record services (not a CNAME case), URLs give their parent domain. */
function suffixOf(entry) {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(entry)) return undefined;
  if (/^https?:/.test(entry)) return new URL(entry).hostname.split('.').slice(1).join('.');
  return entry.toLowerCase();
}

const cases = [];
let skipped = 0;
services.forEach((s, i) => {
  const suffixes = [...new Set(s.cname.map(suffixOf).filter(Boolean))];
  skipped += s.cname.filter((e) => /^\d+\.\d+\.\d+\.\d+$/.test(e)).length;
  suffixes.forEach((suffix, j) => {
    const status = s.status.toLowerCase();
    cases.push({ kind: 'dangling', label: `d${i}-${j}`, service: s.service, status, suffix, target: `gone-${i}-${j}.${suffix}` });
    const fp = s.fingerprint ?? '';
    if (!s.nxdomain && (fp || s.http_status)) {
      cases.push({ kind: 'page', label: `p${i}-${j}`, service: s.service, status, suffix, target: `unclaimed-${i}-${j}.${suffix}`, httpStatus: s.http_status ?? 404, body: s.http_status ? '' : pageText(fp) });
    }
  });
});

const zoneText = (origin, lines) => [`$ORIGIN ${origin}.`, '$TTL 60', `@ SOA ns1.${origin}. h.${origin}. ( 1 60 60 60 60 )`, ...lines].join('\n');
const bySuffix = new Map();
for (const c of cases) {
  if (!bySuffix.has(c.suffix)) bySuffix.set(c.suffix, []);
  if (c.kind === 'page') bySuffix.get(c.suffix).push(`${c.target}. A 127.0.0.1`);
}
const dns = await startDnsSandbox({
  zones: [
    parseZone(zoneText(D, cases.map((c) => `${c.label} CNAME ${c.target}.`))),
    ...[...bySuffix].map(([suffix, lines]) => parseZone(zoneText(suffix, lines))),
  ],
});
const certs = new CertFactory();
const hosts = {};
for (const c of cases.filter((x) => x.kind === 'page')) {
  // Object stores answer XML; everything else serves an HTML page.
  const type = /<\?xml|NoSuchBucket|bucket does not exist/.test(c.body) ? 'application/xml' : 'text/html; charset=utf-8';
  const answer = () => ({ status: c.httpStatus, headers: { 'content-type': type, ...(c.httpStatus >= 300 && c.httpStatus < 400 ? { location: `https://elsewhere.${D}/` } : {}) }, body: c.body });
  hosts[`${c.label}.${D}`] = { cert: certs.leaf(`${c.label}.${D}`), https: answer, http: answer };
}
const web = await startWebSandbox({ hosts });

const dir = mkdtempSync(join(tmpdir(), 'lr-bench-takeover-'));
const config = join(dir, 'config.json');
writeFileSync(config, JSON.stringify({
  domains: [{ name: D, hosts: cases.map((c) => c.label) }],
  network: { resolver: `${dns.address}:${dns.port}`, connectTo: web.connectTo, timeoutMs: 5000 },
}));
function audit(configFile, only) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'audit', '--config', configFile, '--format', 'json', '--only', only], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => (stdout ? resolve(stdout) : reject(new Error(`audit printed no report: ${stderr.slice(0, 500)}`))));
  });
}
const t0 = performance.now();
const out = await audit(config, 'dns');
const ms = performance.now() - t0;
await web.close();
await dns.close();
const report = JSON.parse(out);
if (process.env.DUMP) for (const f of report.findings) if (new RegExp(process.env.DUMP).test(f.message)) console.log(f.id, f.message);

const findingsOf = (label) => report.findings.filter((f) => f.location?.host === `${label}.${D}` && /dangling-cname|subdomain-takeover/.test(f.id));
function providerIn(message) {
  return /on (.+?), which/.exec(message)?.[1] ?? /points at (.+?) \(/.exec(message)?.[1];
}
function names(provider, service) {
  if (!provider) return false;
  const p = norm(provider);
  const s = norm(service);
  if (p.includes(s) || s.includes(p)) return true;
  return service.toLowerCase().split(/[^a-z0-9]+/).some((t) => t.length >= 3 && p.includes(t));
}

const score = {};
// `result` is true, or the miss's description.
const bump = (key, result) => { score[key] ??= { ok: 0, n: 0, misses: [] }; score[key].n++; if (result === true) score[key].ok++; else score[key].misses.push(String(result)); };
for (const c of cases) {
  const fs = findingsOf(c.label);
  const f = fs[0];
  const msg = f?.message ?? '';
  const claimable = /anyone can claim/i.test(msg);
  const miss = (why) => `${c.service} (${c.suffix}): ${why}`;
  if (c.kind === 'dangling') {
    bump('dangling flagged', f !== undefined || miss('no finding'));
    bump(`dangling names the service [${c.status}]`, names(providerIn(msg), c.service) || miss(`provider ${providerIn(msg) ?? 'not named'}`));
    bump(`dangling wording follows status [${c.status}]`, (claimable === (c.status === 'vulnerable')) || miss(claimable ? 'says anyone can claim' : 'does not say claimable'));
  } else {
    const takeover = fs.find((x) => /subdomain-takeover/.test(x.id));
    if (c.status === 'not vulnerable') {
      bump('unclaimed page of a not-vulnerable service: not called claimable', !claimable || miss('says anyone can claim'));
    } else {
      bump(`unclaimed page reported, service named [${c.status}]`, (Boolean(takeover) && names(providerIn(takeover.message), c.service)) || miss(takeover ? `named ${providerIn(takeover.message)}` : 'no finding'));
      if (c.status === 'vulnerable') bump('vulnerable unclaimed page is a high "takeover possible"', (takeover?.severity === 'high' && /takeover possible/i.test(takeover.message)) || miss(takeover ? takeover.severity : 'no finding'));
    }
  }
}
console.log(`takeover agreement: ${services.length} services, ${cases.length} cases (${skipped} IP-address entries skipped), audit ${(ms / 1000).toFixed(1)} s, ${report.incomplete.length} incomplete checks`);
for (const [key, s] of Object.entries(score)) {
  console.log(`  ${key.padEnd(70)} ${String(s.ok).padStart(3)}/${String(s.n).padEnd(3)} ${(100 * s.ok / s.n).toFixed(0).padStart(3)}%`);
  if (process.env.VERBOSE) for (const m of s.misses) console.log(`      miss: ${m}`);
}

// DKIM: each key as published by a provider, plus the record shapes verifiers read differently from the RFC's letter.
const keysDir = join(truthDir, 'keys');
if (existsSync(keysDir)) {
  const M = 'dkim.test';
  const records = [];
  const expect = {};
  for (const file of readdirSync(keysDir).filter((f) => f.endsWith('.pem')).sort()) {
    const pem = readFileSync(join(keysDir, file), 'utf8');
    const pkcs1 = /BEGIN RSA PUBLIC KEY/.test(pem);
    const key = createPublicKey({ key: pem, format: 'pem', ...(pkcs1 ? { type: 'pkcs1' } : {}) });
    const type = key.asymmetricKeyType;
    const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const bits = key.asymmetricKeyDetails?.modulusLength;
    const sel = `k-${file.replace(/\.pem$/, '').replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
    records.push([sel, `v=DKIM1; k=${type}; p=${b64}`]);
    // What a careful verifier concludes: <1024 rejected (high), <2048 weak (medium), bare PKCS#1 rejected by some (medium).
    expect[sel] = type !== 'rsa' ? [] : bits < 1024 ? ['rsa-under-1024:high'] : [...(bits < 2048 ? ['rsa-under-2048:medium'] : []), ...(pkcs1 ? ['pkcs1-key:medium'] : [])];
    if (file === 'mailauth-public-rsa.pem') {
      records.push(['v-last', `k=rsa; p=${b64}; v=DKIM1`]);
      expect['v-last'] = ['version-not-first:low'];
      records.push(['testing', `v=DKIM1; k=rsa; t=y; p=${b64}`]);
      expect.testing = ['testing:medium'];
    }
  }
  const txt = (t) => `( ${t.match(/.{1,250}/g).map((p) => `"${p}"`).join(' ')} )`;
  const mdns = await startDnsSandbox({ zones: [parseZone(zoneText(M, [`@ MX 10 mx.${M}.`, 'mx A 127.0.0.1', ...records.map(([s, t]) => `${s}._domainkey TXT ${txt(t)}`)]))] });
  const mconfig = join(dir, 'dkim.json');
  writeFileSync(mconfig, JSON.stringify({
    domains: [{ name: M }],
    email: { domains: [M], dkimSelectors: records.map(([s]) => s) },
    network: { resolver: `${mdns.address}:${mdns.port}`, timeoutMs: 5000 },
  }));
  const mreport = JSON.parse(await audit(mconfig, 'dkim-key'));
  await mdns.close();
  let ok = 0;
  const misses = [];
  for (const [sel] of records) {
    const got = mreport.findings.filter((f) => f.id.includes('dkim-key') && (f.message.includes(`${sel}._domainkey`) || JSON.stringify(f).includes(`${sel}._domainkey`)))
      .map((f) => `${f.id.split('.').pop()}:${f.severity}`).sort();
    const want = [...expect[sel]].sort();
    if (JSON.stringify(got) === JSON.stringify(want)) ok++;
    else misses.push(`${sel}: want [${want.join(', ')}], got [${got.join(', ')}]`);
  }
  console.log(`dkim agreement: ${records.length} records from ${readdirSync(keysDir).filter((f) => f.endsWith('.pem')).length} key fixtures`);
  console.log(`  ${'dkim-key verdict as a careful verifier reads the record'.padEnd(70)} ${String(ok).padStart(3)}/${String(records.length).padEnd(3)} ${(100 * ok / records.length).toFixed(0).padStart(3)}%`);
  if (process.env.VERBOSE) for (const m of misses) console.log(`      miss: ${m}`);
}
