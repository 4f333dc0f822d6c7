// The "broken product" sandbox shared by end-to-end tests: nameservers on loopback with planted DNS defects.
import { join } from 'node:path';
import { loadZoneFile, parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';

const root = join(import.meta.dirname, '../..');

export function brokenZone(serial: number): string {
  return `$ORIGIN broken.test.
$TTL 300
@     SOA ns1.broken.test. hostmaster.broken.test. ( ${serial} 3600 600 1209600 300 )
@     NS  ns1.broken.test.
@     NS  ns2.broken.test.
@     NS  ns3.broken.test.
@     A   127.0.0.1
ns1   A   127.0.0.1
ns2   A   127.0.0.1
ns3   A   127.0.0.1
www   A   127.0.0.5
admin CNAME ghost-app.herokuapp.com.
app   CNAME orphan.broken.test.
`;
}

export interface BrokenSandbox {
  /** Also the resolver. */
  ns1: DnsSandbox;
  /** One serial behind. */
  ns2: DnsSandbox;
  /** Lame: does not serve broken.test. */
  ns3: DnsSandbox;
  config: object;
  close(): Promise<void>;
}

export async function startBrokenSandbox(extraZones: string[] = []): Promise<BrokenSandbox> {
  const heroku = await loadZoneFile(join(root, 'fixtures/zones/herokuapp.com.zone'));
  const clean = await loadZoneFile(join(root, 'fixtures/zones/clean.test.zone'));
  const ns1 = await startDnsSandbox({ zones: [clean, heroku, parseZone(brokenZone(10)), ...extraZones.map((z) => parseZone(z))] });
  const ns2 = await startDnsSandbox({ zones: [parseZone(brokenZone(9))] });
  const ns3 = await startDnsSandbox({ zones: [heroku] });
  const at = (s: DnsSandbox) => `${s.address}:${s.port}`;
  return {
    ns1, ns2, ns3,
    config: {
      project: 'Broken Co',
      domains: [{ name: 'broken.test', hosts: ['www', 'api', 'admin', 'app'], expect: { www: { A: ['127.0.0.1'] } } }],
      network: {
        resolver: at(ns1),
        connectTo: [`ns1.broken.test:53:${at(ns1)}`, `ns2.broken.test:53:${at(ns2)}`, `ns3.broken.test:53:${at(ns3)}`],
        timeoutMs: 1500,
      },
    },
    close: async () => { await Promise.all([ns1.close(), ns2.close(), ns3.close()]); },
  };
}
