// The demo's fictional product, "PawPost" (pet-sitting bookings), with a few realistic defects planted in its DNS.
import { parseZone, startDnsSandbox, type DnsSandbox } from './dns-server.js';

export const DEMO_DOMAIN = 'pawpost.test';

function productZone(serial: number): string {
  return `$ORIGIN pawpost.test.
$TTL 300
@       IN SOA ns1.pawpost.test. hostmaster.pawpost.test. ( ${serial} 3600 600 1209600 300 )
@       IN NS  ns1.pawpost.test.
@       IN NS  ns2.pawpost.test.
ns1     IN A   127.0.0.1
ns2     IN A   127.0.0.1
@       IN A   127.0.0.1
@       IN AAAA ::1
@       IN MX  10 mail.pawpost.test.
mail    IN A   127.0.0.1
@       IN TXT "v=spf1 mx -all"
www     IN CNAME pawpost.test.
api     IN A   127.0.0.2
app     IN CNAME pawpost-web.vercel-demo.test.
; The old admin panel was deleted at Heroku, but its record was never removed.
admin   IN CNAME pawpost-admin.herokuapp.com.
`;
}

const HOSTING_ZONES = `$ORIGIN herokuapp.com.
$TTL 300
@ IN SOA ns1.herokuapp.com. hostmaster.herokuapp.com. ( 1 3600 600 1209600 300 )
@ IN NS ns1.herokuapp.com.
some-other-app IN A 127.0.0.3
`;

const VERCEL_ZONE = `$ORIGIN vercel-demo.test.
$TTL 300
@ IN SOA ns1.vercel-demo.test. hostmaster.vercel-demo.test. ( 1 3600 600 1209600 300 )
@ IN NS ns1.vercel-demo.test.
pawpost-web IN A 127.0.0.4
`;

export interface DemoSandbox {
  domain: string;
  resolver: string;
  connectTo: string[];
  close(): Promise<void>;
}

/**
 * Starts the demo's nameservers on loopback: ns1 (also the resolver the audit uses) and ns2, which has fallen
 * behind and still serves an older zone serial.
 */
export async function startDemoSandbox(): Promise<DemoSandbox> {
  const started: DnsSandbox[] = [];
  try {
    const ns1 = await startDnsSandbox({ zones: [parseZone(productZone(2026112901)), parseZone(HOSTING_ZONES), parseZone(VERCEL_ZONE)] });
    started.push(ns1);
    const ns2 = await startDnsSandbox({ zones: [parseZone(productZone(2026110400))] });
    started.push(ns2);
    return {
      domain: DEMO_DOMAIN,
      resolver: `${ns1.address}:${ns1.port}`,
      connectTo: [`ns1.${DEMO_DOMAIN}:53:${ns1.address}:${ns1.port}`, `ns2.${DEMO_DOMAIN}:53:${ns2.address}:${ns2.port}`],
      close: async () => { await Promise.all(started.map((s) => s.close())); },
    };
  } catch (err) {
    await Promise.all(started.map((s) => s.close()));
    throw err;
  }
}
