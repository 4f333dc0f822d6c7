// The DNS collector end to end against NSD, a real authoritative server started here on loopback: the production
// path of resolving the nameservers' addresses and probing each on port 53, checked by an implementation not ours.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/types.js';
import { runInProcess } from '../helpers/cli.js';
import { NSD_BIN, startNsd, type Nsd } from '../helpers/nsd.js';

// Under CI a missing NSD is a failure (.ci/run installs it); elsewhere the tests skip and say why.
const missing = NSD_BIN ? undefined : 'nsd is not installed (apt-get install -y nsd)';
if (missing && process.env.CI) throw new Error(`${missing}: required under CI`);

function zone(ns1: string, ns2 = ns1, serial = 2026120501): string {
  return `$ORIGIN nsd.test.
$TTL 300
@       IN SOA  ns1.nsd.test. hostmaster.nsd.test. ( ${serial} 3600 600 1209600 300 )
        IN NS   ns1
        IN NS   ns2
        IN A    127.0.0.1
        IN AAAA ::1
        IN CAA  0 issue "letsencrypt.org"
ns1     IN A    ${ns1}
ns2     IN A    ${ns2}
www     IN CNAME app
app     IN A    127.0.0.2
api     IN CNAME gone.nsd.test.
`;
}

describe.skipIf(Boolean(missing))(`DNS collector against NSD${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let nsd: Nsd;
  let dir: string;
  beforeAll(async () => {
    // The nameservers' A records name the address NSD listens on.
    nsd = await startNsd((address) => ({ 'nsd.test': zone(address) }));
    dir = mkdtempSync(join(tmpdir(), 'lr-nsd-e2e-'));
  }, 30_000);
  afterAll(async () => { await nsd?.close(); });

  function config(ns2 = nsd): string {
    const at = `${nsd.address}:${nsd.port}`;
    const file = join(dir, `nsd-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({
      domains: [{ name: 'nsd.test', hosts: ['www', 'api'] }],
      network: {
        resolver: at,
        // Only when NSD could not have port 53: then the probes need redirecting to its port.
        ...(nsd.port === 53 ? {} : { connectTo: [`ns1.nsd.test:53:${at}`, `ns2.nsd.test:53:${ns2.address}:${ns2.port}`] }),
        timeoutMs: 2000,
      },
    }));
    return file;
  }

  it('finds exactly the dangling CNAME, and probes both nameservers on the address they resolve to', async () => {
    const r = await runInProcess(['audit', '--config', config(), '--only', 'dns', '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.map((f) => [f.id, f.location.host])).toEqual([['dns.dangling-cname.target-nxdomain', 'api.nsd.test']]);
    expect(report.checks.filter((c) => c.status === 'error')).toEqual([]);
    // Both names resolve to one address: probed once, there (port 53 as in production when we may bind it).
    const lame = report.checks.find((c) => c.id === 'lame-delegation')!;
    expect(lame).toMatchObject({ status: 'pass', details: { probes: { [`${nsd.address}:${nsd.port} (ns1.nsd.test)`]: 'authoritative' } } });
    expect(report.checks.find((c) => c.id === 'soa-serial-mismatch')).toMatchObject({ status: 'not-applicable' });
  }, 30_000);

  it('a second NSD one serial behind is a serial mismatch; a nameserver address nobody serves is lame', async () => {
    const port53 = nsd.port === 53;
    const lagging = await startNsd((address) => ({ 'nsd.test': zone(nsd.address, address, 2026120500) }), { port53 });
    try {
      // ns1 and ns2 must agree on the zone text apart from the serial: both name the same two addresses.
      await nsd.close();
      nsd = await startNsd(() => ({ 'nsd.test': zone(nsd.address, lagging.address) }), { port53, ...(port53 ? { address: nsd.address } : {}) });
      const r = await runInProcess(['audit', '--config', config(lagging), '--only', 'dns', '--format', 'json']);
      const report = JSON.parse(r.stdout) as Report;
      expect(report.findings.map((f) => f.id)).toEqual(['dns.dangling-cname.target-nxdomain', 'dns.soa-serial-mismatch.mismatch']);
    } finally {
      await lagging.close();
    }
  }, 40_000);
});
