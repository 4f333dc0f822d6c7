// The demo's fictional product, "PawPost" (pet-sitting bookings), with a few realistic defects planted in its DNS,
// its certificates and its redirects. Everything listens on loopback; the certificates come from a private CA.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertFactory } from './certs.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from './dns-server.js';
import { page, redirect, startWebSandbox, to, type WebSandbox } from './https-server.js';

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

const DAY = 86_400_000;
const HSTS = { 'strict-transport-security': 'max-age=31536000; includeSubDomains' };
/** The headers a careful team sends on HTML pages; the demo leaves out only what it plants. */
const PAGE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
};

/** Twelve days from now: close enough that certificate expiry is measured against it. */
export function demoLaunchDate(now = new Date()): string {
  return new Date(now.getTime() + 12 * DAY).toISOString().slice(0, 10);
}

const HOME = `<!doctype html><html><head><title>PawPost: trusted pet sitters</title>
<link rel="stylesheet" href="/assets/app.css"></head><body>
<h1>Book a sitter your pet will love</h1>
<!-- The booking widget was pasted from the vendor's old docs, with its http:// URL. -->
<script src="http://widgets.pawpost-cdn.test/booking.js"></script>
<script src="/assets/app.js"></script></body></html>`;

/**
 * The web side of PawPost:
 * - pawpost.test: upgrades http with a temporary 302, HSTS of five minutes, an http:// script on the home page;
 * - www: redirects to the apex but drops the path (every shared link lands on the home page);
 * - api: the intermediate certificate is missing (the mobile app fails, browsers do not) and TLS 1.0/1.1 are on;
 * - app: its certificate runs out nine days after the launch date, and it sends no Content-Security-Policy;
 */
function webHosts(certs: CertFactory, domain: string) {
  const apex = `https://${domain}`;
  return {
    [domain]: {
      cert: certs.leaf(domain),
      https: () => page(HOME, { ...PAGE_HEADERS, 'strict-transport-security': 'max-age=300; includeSubDomains' }),
      http: to(apex, 302),
    },
    [`www.${domain}`]: { cert: certs.leaf(`www.${domain}`), https: () => redirect(`${apex}/`, 301, HSTS) },
    [`api.${domain}`]: {
      cert: certs.leaf(`api.${domain}`, 'missing-intermediate'),
      legacyTls: true,
      https: () => ({ status: 200, headers: { 'content-type': 'application/json', ...HSTS }, body: '{"status":"ok"}' }),
    },
    [`app.${domain}`]: {
      cert: certs.leaf(`app.${domain}`, 'expiring-soon', { days: 21 }),
      // Planted: the web app ships without a Content-Security-Policy (nor frame protection, which lives in it).
      https: () => page('<!doctype html><title>PawPost app</title><div id="root"></div><script src="/app.js"></script>', {
        ...HSTS, 'x-content-type-options': 'nosniff', 'referrer-policy': 'strict-origin-when-cross-origin',
      }),
    },
    // Mail and name servers serve no web port: discovery finds them, and their web ports lead to the sandbox's own
    // closed port, never to whatever this machine runs on 127.0.0.1:443 or :80.
    ...Object.fromEntries(['mail', 'ns1', 'ns2'].map((l) => [`${l}.${domain}`, { http: 'closed' as const }])),
  };
}

export interface DemoSandbox {
  domain: string;
  resolver: string;
  connectTo: string[];
  /** PEM file of the demo's private root CA, for --ca (removed by close()). */
  ca: string;
  launchDate: string;
  close(): Promise<void>;
}

/**
 * Starts the demo's nameservers on loopback: ns1 (also the resolver the audit uses) and ns2, which has fallen
 * behind and still serves an older zone serial; and its web servers (HTTPS per SNI, HTTP, legacy TLS).
 */
export async function startDemoSandbox(): Promise<DemoSandbox> {
  const started: (DnsSandbox | WebSandbox)[] = [];
  let dir: string | undefined;
  try {
    const ns1 = await startDnsSandbox({ zones: [parseZone(productZone(2026112901)), parseZone(HOSTING_ZONES), parseZone(VERCEL_ZONE)] });
    started.push(ns1);
    const ns2 = await startDnsSandbox({ zones: [parseZone(productZone(2026110400))] });
    started.push(ns2);
    const certs = new CertFactory();
    const web = await startWebSandbox({ hosts: webHosts(certs, DEMO_DOMAIN) });
    started.push(web);
    dir = await mkdtemp(join(tmpdir(), 'launch-ready-demo-'));
    const ca = join(dir, 'pawpost-demo-root.pem');
    await writeFile(ca, certs.caPem);
    const cleanup = dir;
    return {
      domain: DEMO_DOMAIN,
      resolver: `${ns1.address}:${ns1.port}`,
      connectTo: [`ns1.${DEMO_DOMAIN}:53:${ns1.address}:${ns1.port}`, `ns2.${DEMO_DOMAIN}:53:${ns2.address}:${ns2.port}`, ...web.connectTo],
      ca,
      launchDate: demoLaunchDate(),
      close: async () => {
        await Promise.all(started.map((s) => s.close()));
        await rm(cleanup, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await Promise.all(started.map((s) => s.close()));
    if (dir) await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
