// Benchmark (`node bench/observatory.js <dir>` after `npm run build`): agreement with the MDN HTTP Observatory's
// analyzer test cases. `<dir>` holds the cases (cases.json and the page fixtures they name, e.g.
// ../shared/observatory-http); nothing of it is copied here. Each case's header set is served on loopback (its own
// host under a sandbox zone, its own certificate, http:// upgrading to https:// or closed as the case says) and
// audited through the same collectors and checks as `launch-ready audit`, with the checks that speak to that
// case's analyzer. A case agrees when we report a problem (low or worse) exactly when the Observatory fails it.
// Prints the agreement, every disagreement (miss or false positive, and whether it is a documented difference).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { allChecks } from '../dist/checks/index.js';
import { prepareNetwork } from '../dist/collect/setup.js';
import { runAudit } from '../dist/run/audit.js';
import { CertFactory } from '../dist/sandbox/certs.js';
import { parseZone, startDnsSandbox } from '../dist/sandbox/dns-server.js';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node bench/observatory.js <dir with cases.json> (e.g. ../shared/observatory-http)');
  process.exit(2);
}
const ZONE = 'obs.test';
const { cases } = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8'));

/** Our finding ids (prefixes) that answer each analyzer's question. */
const ANSWERS = {
  'content-security-policy': ['edge.weak-content-security-policy.'],
  cookies: ['edge.insecure-cookie.'],
  'strict-transport-security': ['tls.hsts-policy.', 'tls.untrusted-chain.', 'tls.https-unavailable.'],
  'x-content-type-options': ['edge.missing-security-headers.nosniff', 'edge.missing-security-headers.repeated-header'],
  'x-frame-options': ['edge.missing-security-headers.frame-', 'edge.missing-security-headers.repeated-header'],
  'referrer-policy': ['edge.missing-security-headers.referrer-'],
  'cross-origin-resource-policy': ['edge.unprotected-cross-origin-resource.'],
  cors: ['edge.permissive-cors.'],
  // port-80-closed is about reachability (availability), not about how http:// reaches https://.
  redirection: ['redirects.insecure-http.served-over-http', 'redirects.insecure-http.first-hop', 'redirects.insecure-http.temporary-redirect', 'redirects.https-downgrade.', 'redirects.redirect-loop.'],
  'subresource-integrity': ['edge.missing-subresource-integrity.', 'tls.mixed-content.active'],
};

/** Where we judge differently on purpose (README: "Where we differ from the MDN HTTP Observatory"). */
const DELIBERATE = {
  'case-055': 'header `default-src http:` and meta `default-src https:` both let https scripts from any host run (CSP3: http: matches https)',
  'case-075': 'SameSite asked of session cookies',
  'case-077': 'SameSite asked of session cookies',
  'case-094': 'HSTS below a year is low (preload needs a year)',
  'case-095': 'no HSTS preload list lookup',
  'case-096': 'no HSTS preload list lookup',
  'case-106': 'X-Frame-Options ALLOW-FROM is ignored by browsers: the page can be framed',
  'case-117': 'a comma list in <meta name=referrer> is not a value HTML knows: the header\'s unsafe-url applies',
  'case-149': 'a protocol-relative script on an HTTPS page loads over https',
  'case-157': 'a protocol-relative script on an HTTPS page loads over https',
};

const CHECKS = new Map(Object.entries(ANSWERS).map(([a, prefixes]) => [a, allChecks.filter((c) => prefixes.some((p) => p.startsWith(`${c.area}.${c.id}.`)))]));

function hostOf(c) { return `${c.id}.${ZONE}`; }

/** {H}, {W} and the preloaded real names stand for the case's own hosts here (no preload list is consulted). */
function fill(text, c) {
  const H = hostOf(c);
  let out = text.replaceAll('{H}', H).replaceAll('{W}', `${c.id}-www.${ZONE}`).replaceAll('www.mozilla.org', H);
  if (c.host) out = out.replaceAll(c.host, H);
  return out;
}

function pageOf(c) {
  const p = c.page;
  let body = p.bodyText ?? '';
  if (p.body) body = fill(readFileSync(join(dir, p.body), 'utf8'), c);
  const headers = [['Content-Type', p.contentType], ...p.headers.map(([k, v]) => [k, fill(v, c)])];
  return { status: p.status, headers, body };
}

/** One answer per request: the case's chain first, then its page (or the upgrade / closed behaviour). */
function route(c, scheme, host, port, path, origin) {
  if (c.chain) {
    const chain = c.chain.map(([u, s]) => [new URL(fill(u, c)), s]);
    const i = chain.findIndex(([u]) => u.protocol === `${scheme}:` && u.hostname === host && (Number(u.port) || (scheme === 'https' ? 443 : 80)) === port && u.pathname === path.split('?')[0]);
    if (i >= 0) {
      const [, status] = chain[i];
      if (status >= 300 && status < 400 && chain[i + 1]) return { status, headers: [['Location', chain[i + 1][0].href]], body: '' };
      return pageOf(c);
    }
    if (scheme === 'http') return { status: 301, headers: [['Location', `https://${host}${path}`]], body: '' };
  }
  if (scheme === 'http' && c.http === 'upgrade') return { status: 301, headers: [['Location', `https://${host}${path}`]], body: '' };
  const page = pageOf(c);
  if (origin && c.cors) page.headers.push(...c.cors.map(([k, v]) => [k, v === '{ORIGIN}' ? origin : fill(v, c)]));
  return page;
}

function caseOfHost(host) {
  const id = /^(case-\d+)/.exec(host)?.[1];
  return cases.find((c) => c.id === id);
}

function handler(scheme) {
  return (req, res) => {
    const [host, p] = (req.headers.host ?? '').split(':');
    const port = Number(p) || (scheme === 'https' ? 443 : 80);
    const c = caseOfHost(host);
    const out = c ? route(c, scheme, host, port, req.url ?? '/', req.headers.origin) : { status: 404, headers: [['Content-Type', 'text/plain']], body: 'no case' };
    const grouped = new Map();
    for (const [k, v] of out.headers) grouped.set(k, [...(grouped.get(k) ?? []), v]);
    for (const [k, vs] of grouped) res.setHeader(k, vs.length === 1 ? vs[0] : vs);
    res.setHeader('Content-Length', Buffer.byteLength(out.body));
    res.writeHead(out.status);
    res.end(out.body);
    req.resume();
  };
}

async function listen(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server.address().port;
}

async function main() {
  const certs = new CertFactory();
  const contexts = new Map();
  const contextFor = (name) => {
    if (!contexts.has(name)) {
      const c = caseOfHost(name);
      const cert = certs.leaf(name, c?.https === 'untrusted' ? 'self-signed' : 'valid');
      contexts.set(name, tls.createSecureContext({ key: cert.keyPem, cert: cert.chainPem }));
    }
    return contexts.get(name);
  };
  const fallback = certs.leaf(`fallback.${ZONE}`);
  const httpsServer = https.createServer({ key: fallback.keyPem, cert: fallback.chainPem, SNICallback: (n, cb) => cb(null, contextFor(n.toLowerCase())) }, handler('https'));
  const httpServer = http.createServer(handler('http'));
  const closed = net.createServer();
  const [httpsPort, httpPort, closedPort] = [await listen(httpsServer), await listen(httpServer), await listen(closed)];
  await new Promise((r) => closed.close(r));
  const dns = await startDnsSandbox({ zones: [parseZone(`$ORIGIN ${ZONE}.\n$TTL 60\n@ SOA ns.${ZONE}. h.${ZONE}. ( 1 60 60 60 60 )\n@ A 127.0.0.1\n* A 127.0.0.1\n`)] });
  const tmp = mkdtempSync(join(tmpdir(), 'lr-observatory-'));
  const ca = join(tmp, 'ca.pem');
  writeFileSync(ca, certs.caPem);
  const connectTo = [
    ...cases.flatMap((c) => [
      ...(c.https === 'closed' ? [`${hostOf(c)}:443:127.0.0.1:${closedPort}`] : []),
      ...(c.http === 'closed' ? [`${hostOf(c)}:80:127.0.0.1:${closedPort}`] : []),
    ]),
    `:443:127.0.0.1:${httpsPort}`, `:8443:127.0.0.1:${httpsPort}`, `:80:127.0.0.1:${httpPort}`,
  ];
  const netw = await prepareNetwork({ resolver: `${dns.address}:${dns.port}`, connectTo, timeoutMs: 5000, concurrency: 16, ca, loopbackOnly: true });
  const rows = [];
  try {
    for (const c of cases) {
      const H = hostOf(c);
      const report = await runAudit({
        checks: CHECKS.get(c.analyzer), failOn: 'high', context: netw.context, deadlineMs: 60_000,
        target: { domains: [{ name: H, canonical: 'apex', hosts: [{ name: H, domain: H, label: '@', declared: true }] }], now: new Date().toISOString(), accept: [] },
        tool: { name: 'bench', version: '0' }, reportTarget: { domains: [H], hosts: [] },
      });
      const ids = report.findings.filter((f) => f.severity !== 'info' && ANSWERS[c.analyzer].some((p) => f.id.startsWith(p))).map((f) => f.id);
      const errors = report.checks.filter((x) => x.status === 'error').map((x) => `${x.id}: ${x.error ?? x.reason ?? ''}`);
      const flagged = ids.length > 0;
      rows.push({ c, flagged, agree: flagged === !c.expect.pass, ids, errors });
    }
  } finally {
    await Promise.all([new Promise((r) => httpsServer.close(r)), new Promise((r) => httpServer.close(r)), dns.close()]);
    httpsServer.closeAllConnections?.();
    httpServer.closeAllConnections?.();
  }
  const agree = rows.filter((r) => r.agree).length;
  const off = rows.filter((r) => !r.agree);
  const misses = off.filter((r) => !r.flagged);
  const fps = off.filter((r) => r.flagged);
  const line = (r) => `  ${r.c.id} ${r.c.analyzer} "${r.c.source.test}" → Observatory ${r.c.expect.result}; ours: ${r.ids.join(', ') || 'nothing'}${r.errors.length ? ` [errors: ${r.errors.join('; ')}]` : ''}\n      ${DELIBERATE[r.c.id] ? `deliberate: ${DELIBERATE[r.c.id]}` : 'NOT DOCUMENTED'}`;
  console.log(`launch-ready vs MDN HTTP Observatory analyzer cases: agreement ${agree}/${rows.length} (target >= 148)`);
  console.log(`we pass where the Observatory fails (misses): ${misses.length}`);
  for (const r of misses) console.log(line(r));
  console.log(`we flag where the Observatory passes (false positives): ${fps.length}`);
  for (const r of fps) console.log(line(r));
  const undocumented = off.filter((r) => !DELIBERATE[r.c.id]).length;
  console.log(`undocumented disagreements: ${undocumented}`);
  process.exitCode = agree >= 148 && undocumented === 0 ? 0 : 1;
}

await main();
