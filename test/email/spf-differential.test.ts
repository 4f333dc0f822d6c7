// Differential test: our check_host() against pyspf (Debian python3-spf), both asking the same DNS sandbox, over
// generated records and the hand-written SPF test zone. Skips when /usr/bin/python3 lacks spf or DNS, except under
// CI, where that fails.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHost } from '../../src/email/spf/evaluate.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { REVERSE_ZONE, sandboxLookup, SPF_ZONE } from './spf-sandbox.js';

const PYTHON = '/usr/bin/python3';
const available = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import spf, DNS'], { stdio: 'ignore' }).status === 0;
if (!available) {
  // Visible in the test output: the comparison did not run, it did not pass. Under CI that is a failure (below).
  console.warn('spf-differential: skipped, /usr/bin/python3 with the spf and DNS modules is absent (apt-get install python3-spf python3-dns)');
}

describe.runIf(!available && Boolean(process.env.CI))('SPF differential under CI', () => {
  it('has pyspf and its DNS module to compare against (.ci/run installs python3-spf and python3-dns)', () => {
    expect(available).toBe(true);
  });
});

// pyspf reads the nameserver from pydns defaults; every query goes to the sandbox on loopback.
const PY = `
import sys, json, DNS, spf
port = int(sys.argv[1])
DNS.defaults['server'] = ['127.0.0.1']
DNS.defaults['port'] = port
DNS.defaults['timeout'] = 2
out = []
for c in json.load(sys.stdin):
    try:
        r, e = spf.check2(i=c['ip'], s=c['sender'], h=c['helo'], querytime=10)
    except Exception as x:
        r, e = 'exception', str(x)
    out.append({'result': r, 'explanation': e})
print(json.dumps(out))
`;

/** A small deterministic PRNG (mulberry32): the same records every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const N = 60;

function generatedZone(): string {
  const r = rng(7208);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const q = () => pick(['', '', '+', '-', '~', '?']);
  const lines = ['$ORIGIN gen.test.', '$TTL 300', '@ SOA ns1.gen.test. h.gen.test. ( 1 3600 600 1209600 300 )', '@ NS ns1', 'ns1 A 127.0.0.1'];
  for (let i = 0; i < N; i++) {
    const terms: string[] = [];
    const n = 1 + Math.floor(r() * 5);
    for (let k = 0; k < n; k++) {
      const kind = pick(['ip4', 'ip4', 'ip6', 'a', 'a', 'mx', 'include', 'include', 'exists', 'ptr']);
      switch (kind) {
        case 'ip4': terms.push(`${q()}ip4:192.0.2.${Math.floor(r() * 256)}/${pick([24, 28, 30, 32])}`); break;
        case 'ip6': terms.push(`${q()}ip6:2001:db8:${Math.floor(r() * 4)}::/${pick([48, 64, 128])}`); break;
        case 'a': terms.push(`${q()}a:h${Math.floor(r() * 6)}.gen.test${pick(['', '/24', '/31'])}`); break;
        case 'mx': terms.push(`${q()}mx:m${Math.floor(r() * 3)}.gen.test${pick(['', '/28'])}`); break;
        case 'include': terms.push(`${q()}include:d${Math.floor(r() * N)}.gen.test`); break;
        case 'exists': terms.push(`${q()}exists:%{ir}.${pick(['e', 'f'])}.gen.test`); break;
        case 'ptr': terms.push(`${q()}ptr:gen.test`); break;
      }
    }
    const tail = pick(['-all', '~all', '?all', '', `redirect=d${Math.floor(r() * N)}.gen.test`]);
    lines.push(`d${i} TXT "v=spf1 ${[...terms, tail].filter(Boolean).join(' ')}"`);
  }
  for (let h = 0; h < 6; h++) lines.push(`h${h} A 192.0.2.${h * 40 + 1}`, `h${h} AAAA 2001:db8:${h % 4}::${h + 1}`);
  // h5 has no address records at all: a void lookup.
  lines.splice(lines.findIndex((l) => l.startsWith('h5 A')), 2);
  lines.push('m0 MX 10 h0.gen.test.', 'm0 MX 20 h1.gen.test.', 'm1 MX 10 h2.gen.test.', 'm2 MX 0 .');
  lines.push('5.2.0.192.in-addr.e A 127.0.0.2', '1.2.0.192.in-addr.f A 127.0.0.2');
  return `${lines.join('\n')}\n`;
}

let dns: DnsSandbox;
beforeAll(async () => {
  // Empty reverse trees: a recursive resolver answers NXDOMAIN for unknown PTR names, where a sandbox outside its
  // zones would say REFUSED (a DNS error, which RFC 7208 5.5 treats differently from a void lookup).
  const arpa = (origin: string) => parseZone(`$ORIGIN ${origin}.\n@ 300 SOA ns1.gen.test. h.gen.test. ( 1 3600 600 1209600 300 )\n`);
  dns = await startDnsSandbox({ zones: [parseZone(generatedZone()), parseZone(SPF_ZONE), parseZone(REVERSE_ZONE), arpa('in-addr.arpa'), arpa('ip6.arpa')] });
});
afterAll(async () => { await dns?.close(); });

function runPython(input: string, port: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', PY, port], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
    child.stdin.end(input);
  });
}

interface Case { domain: string; ip: string; sender: string; helo: string }

function cases(): Case[] {
  const ips = ['192.0.2.1', '192.0.2.5', '192.0.2.41', '192.0.2.130', '192.0.2.55', '10.1.2.3', '2001:db8:1::2', '2001:db8::1'];
  const out: Case[] = [];
  for (let i = 0; i < N; i++) for (const ip of ips) out.push({ domain: `d${i}.gen.test`, ip, sender: `user@d${i}.gen.test`, helo: 'client.example.test' });
  const fixed = ['ip4', 'a', 'a6', 'mx', 'inc', 'incnone', 'incfail', 'redir', 'redirall', 'redirnone', 'multi', 'syntax', 'badmech',
    'exists', 'ptr', 'ten', 'eleven', 'void2', 'void3', 'mxmany', 'mxnodata', 'exp', 'neutral', 'loop', 'odd', 'long', 'nothere', 'nospf'];
  for (const d of fixed) for (const ip of ['192.0.2.1', '192.0.2.55', '198.51.100.20', '203.0.113.10', '10.0.0.1']) {
    out.push({ domain: `${d}.spf.test`, ip, sender: `alice@${d}.spf.test`, helo: 'client.example.test' });
  }
  return out;
}

describe.skipIf(!available)('SPF differential against pyspf', () => {
  it('gives the same result as pyspf for every generated and hand-written case', async () => {
    const all = cases();
    // Asynchronous: the sandbox answering pyspf runs in this very process.
    const py = await runPython(JSON.stringify(all), String(dns.port));
    expect(py.status, py.stderr).toBe(0);
    const theirs = JSON.parse(py.stdout) as { result: string; explanation: string }[];
    const diffs: string[] = [];
    let known = 0;
    for (const [i, c] of all.entries()) {
      const ours = await checkHost({ domain: c.domain, ip: c.ip, sender: c.sender, helo: c.helo, lookup: sandboxLookup(dns, 2000) });
      const t = theirs[i]!;
      if (ours.result === t.result) continue;
      // Two known pyspf departures from RFC 7208, where we follow the RFC: it rejects an include of the record's own
      // domain before evaluating (the RFC lets the lookup limit end a loop, if evaluation gets there), and it counts
      // a redirect= that evaluation never reaches (4.6.4 counts terms "during SPF evaluation").
      if (t.result === 'permerror' && /trivial recursion/.test(t.explanation)) { known++; continue; }
      const unreached = ours.trace.filter((e) => e.kind === 'record' && / redirect=/i.test(e.text)).length
        - ours.trace.filter((e) => e.kind === 'redirect' && e.text.startsWith('redirect')).length;
      if (t.result === 'permerror' && /Too many DNS lookups/.test(t.explanation) && ours.lookups <= 10 && ours.lookups + unreached > 10) { known++; continue; }
      diffs.push(`${c.domain} ${c.ip}: ours ${ours.result} (${ours.problem ?? ours.matched?.term ?? ''}), pyspf ${t.result} (${t.explanation})`);
    }
    expect(diffs).toEqual([]);
    expect(all.length).toBeGreaterThan(500);
    // The known departures must stay rare, or the comparison has stopped meaning anything.
    expect(known).toBeLessThan(all.length / 20);
  }, 180_000);
});
