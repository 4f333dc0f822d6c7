// Two twin products on loopback for the secure-edge tests and benchmark: "broken-edge.test", with one TLS or
// redirect defect planted per host (and one host publishing source maps every way a script can name them), and
// "clean-edge.test", with none. Each comes with its DNS zone, web servers,
// private CA and the --connect-to rules that reach them.
import { CertFactory, type LeafKind } from './certs.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from './dns-server.js';
import { HSTS_YEAR, page, redirect, startWebSandbox, to, type RouteResponse, type SandboxHost, type WebSandbox } from './https-server.js';

export const BROKEN_EDGE = 'broken-edge.test';
export const CLEAN_EDGE = 'clean-edge.test';

/** label → the planted defect, as the finding id it must produce (the tests' and the benchmark's answer key). */
export const PLANTED: Record<string, string[]> = {
  '@': ['tls.hsts-policy.short', 'tls.mixed-content.active', 'tls.mixed-content.form', 'tls.mixed-content.passive'],
  www: ['redirects.non-canonical-origin.wrong-origin'],
  expired: ['tls.cert-expiry.expired'],
  future: ['tls.cert-expiry.not-yet-valid'],
  soon: ['tls.cert-expiry.expires-in-14-days'],
  wrong: ['tls.cert-name-mismatch.mismatch'],
  selfsigned: ['tls.untrusted-chain.self-signed'],
  nochain: ['tls.untrusted-chain.incomplete'],
  weakkey: ['tls.weak-key.rsa-weak'],
  sha1: ['tls.weak-signature.sha1'],
  legacy: ['tls.legacy-tls.tls10-accepted', 'tls.legacy-tls.tls11-accepted'],
  closed: ['tls.https-unavailable.closed', 'redirects.insecure-http.port-80-closed'],
  plain: ['redirects.insecure-http.served-over-http'],
  temp: ['redirects.insecure-http.temporary-redirect'],
  loop: ['redirects.redirect-loop.loop'],
  down: ['redirects.https-downgrade.downgrade', 'redirects.insecure-http.served-over-http'],
  old: ['redirects.dropped-path.path-dropped'],
  offsite: ['redirects.off-domain-redirect.off-domain'],
  // Its page also loads one script over http:// (the source-map search fetches it over https).
  maps: ['edge.exposed-source-map.source-content', 'tls.mixed-content.active'],
};

/** The planted certificate defects: one host each, with the leaf kind the factory makes for it. */
export const CERT_DEFECTS: Record<string, LeafKind> = {
  expired: 'expired', future: 'not-yet-valid', soon: 'expiring-soon', wrong: 'wrong-host', selfsigned: 'self-signed',
  nochain: 'missing-intermediate', weakkey: 'rsa-1024', sha1: 'sha1',
};

const HOME = '<!doctype html><html><head><title>Shop</title><link rel="stylesheet" href="/app.css"></head><body><h1>Shop</h1><script src="/app.js"></script></body></html>';
const MIXED = '<!doctype html><html><head><title>Shop</title><script src="http://cdn.broken-edge.test/widget.js"></script></head>'
  + '<body><img src="http://img.broken-edge.test/hero.png"><form action="http://broken-edge.test/subscribe" method="post"><input name="email"></form></body></html>';

/** A source map (ECMA-426) of the given files, with their text when `content` is set. */
function sourceMap(sources: string[], content?: string[]): string {
  return JSON.stringify({ version: 3, sources, ...(content ? { sourcesContent: content } : {}), names: [], mappings: 'AAAA;AACA' });
}

const MAPS_PAGE = '<!doctype html><html><head><title>Maps</title>'
  + '<script src="/app.js"></script><script src="/header.js"></script><script src="/guess.js"></script>'
  + `<script src="http://maps.${BROKEN_EDGE}/legacy.js"></script><script src="/clean.js"></script>`
  + '<script src="https://cdn.vendor-site.test/lib.js"></script></head><body><h1>Maps</h1></body></html>';

/**
 * The source-map host's answers: a map named by the comment (with the original text), one named by the SourceMap
 * header (which wins over the comment the script also carries; paths only), one only at the conventional
 * <script>.map, an inline data: map in a script the page loads over http://, and a clean script whose .map is the
 * app's fallback page. Everything else is the page itself (a catch-all 200).
 */
export function mapsRoutes(path: string): RouteResponse {
  const js = (body: string, headers: Record<string, string> = {}) => ({ status: 200, headers: { 'content-type': 'text/javascript', ...HSTS_YEAR, ...headers }, body });
  const json = (body: string) => ({ status: 200, headers: { 'content-type': 'application/json' }, body });
  const inline = Buffer.from(sourceMap(['src/legacy.ts'], ['export const legacy = true;\n'])).toString('base64');
  switch (path) {
    case '/app.js': return js('console.log("app");\n//# sourceMappingURL=app.js.map\n');
    case '/app.js.map': return json(sourceMap(['webpack://maps/src/main.ts', 'webpack://maps/src/admin.ts'], ['import { admin } from "./admin";\n', '// TODO: drop the debug bypass before launch\nexport const admin = () => fetch("/internal/admin");\n']));
    case '/header.js': return js('console.log("header");\n//# sourceMappingURL=ignored.js.map\n', { sourcemap: '/maps/header.js.map' });
    case '/maps/header.js.map': return json(sourceMap(['src/header.ts', 'src/menu.ts', 'src/search.ts']));
    case '/guess.js': return js('console.log("guess");\n');
    case '/guess.js.map': return json(sourceMap(['src/guess.ts'], ['export const guess = 42;\n']));
    case '/legacy.js': return js(`console.log("legacy");\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${inline}\n`);
    case '/clean.js': return js('console.log("clean");\n');
    default: return page(MAPS_PAGE, HSTS_YEAR);
  }
}

function zone(domain: string, labels: string[]): string {
  return [
    `$ORIGIN ${domain}.`, '$TTL 300',
    `@ SOA ns1.${domain}. hostmaster.${domain}. ( 1 3600 600 1209600 300 )`,
    `@ NS ns1.${domain}.`, `@ NS ns2.${domain}.`, 'ns1 A 127.0.0.1', 'ns2 A 127.0.0.1', '@ CAA 0 issue "letsencrypt.org"',
    ...labels.map((l) => `${l} A 127.0.0.1`),
  ].join('\n');
}

export function brokenHosts(certs: CertFactory): Record<string, SandboxHost> {
  const d = BROKEN_EDGE;
  const n = (label: string) => (label === '@' ? d : `${label}.${d}`);
  const good = (label: string) => certs.leaf(n(label));
  const ok = (html = HOME): SandboxHost['https'] => () => page(html, HSTS_YEAR);
  const hosts: Record<string, SandboxHost> = {
    [n('@')]: { cert: good('@'), https: () => page(MIXED, { 'strict-transport-security': 'max-age=86400; includeSubDomains' }) },
    [n('www')]: { cert: good('www'), https: ok() },
    [n('closed')]: { http: 'closed' },
    [n('legacy')]: { cert: good('legacy'), legacyTls: true, https: ok() },
    [n('plain')]: { cert: good('plain'), https: ok(), http: () => page(HOME) },
    [n('temp')]: { cert: good('temp'), https: ok(), http: to(`https://${n('temp')}`, 302) },
    [n('loop')]: {
      cert: good('loop'),
      // / → /home → / ...; other paths are served, so only the loop is planted here.
      https: (r) => (r.path === '/' || r.path === '/home' ? redirect(`https://${n('loop')}${r.path === '/' ? '/home' : '/'}`, 301, HSTS_YEAR) : page(HOME, HSTS_YEAR)),
    },
    [n('down')]: {
      cert: good('down'),
      https: () => redirect(`http://${n('down')}/landing`, 301, HSTS_YEAR),
      http: (r) => (r.path === '/' ? redirect(`https://${n('down')}/`) : page(HOME)),
    },
    [n('old')]: { cert: good('old'), https: () => redirect(`https://${d}/`, 301, HSTS_YEAR) },
    [n('offsite')]: { cert: good('offsite'), https: (r) => redirect(`https://parked-domains.example${r.path}`, 301, HSTS_YEAR) },
    [n('maps')]: { cert: good('maps'), https: (r) => mapsRoutes(r.path.split('?')[0]!) },
  };
  for (const [label, kind] of Object.entries(CERT_DEFECTS)) hosts[n(label)] = { cert: certs.leaf(n(label), kind), https: ok() };
  return hosts;
}

export function cleanHosts(certs: CertFactory): Record<string, SandboxHost> {
  const d = CLEAN_EDGE;
  return {
    [d]: { cert: certs.leaf(d), https: () => page(HOME, HSTS_YEAR) },
    [`www.${d}`]: { cert: certs.leaf(`www.${d}`), https: to(`https://${d}`, 301, HSTS_YEAR), http: to(`https://${d}`) },
    [`api.${d}`]: { cert: certs.leaf(`*.${d}`, 'valid', { altNames: [`*.${d}`] }), https: () => ({ status: 200, headers: { 'content-type': 'application/json', ...HSTS_YEAR }, body: '{"ok":true}' }) },
  };
}

export interface EdgeSandbox {
  certs: CertFactory;
  dns: DnsSandbox;
  web: WebSandbox;
  /** ip:port of the DNS server (also the resolver). */
  resolver: string;
  /** Rules for the web servers and the nameservers of both zones. */
  connectTo: string[];
  brokenLabels: string[];
  close(): Promise<void>;
}

export async function startEdgeSandbox(certs = new CertFactory()): Promise<EdgeSandbox> {
  const brokenLabels = Object.keys(PLANTED).filter((l) => l !== '@');
  const dns = await startDnsSandbox({ zones: [parseZone(zone(BROKEN_EDGE, ['@', ...brokenLabels])), parseZone(zone(CLEAN_EDGE, ['@', 'www', 'api']))] });
  try {
    // The nameservers serve no web port: their web ports lead to the sandbox's own closed port, never to whatever
    // this machine runs on 127.0.0.1:443 or :80 (discovery probes every host it finds).
    const nameservers = Object.fromEntries([BROKEN_EDGE, CLEAN_EDGE].flatMap((d) => ['ns1', 'ns2'].map((l) => [`${l}.${d}`, { http: 'closed' as const }])));
    const web = await startWebSandbox({ hosts: { ...brokenHosts(certs), ...cleanHosts(certs), ...nameservers } });
    const resolver = `${dns.address}:${dns.port}`;
    const ns = [BROKEN_EDGE, CLEAN_EDGE].flatMap((d) => [`ns1.${d}:53:${resolver}`, `ns2.${d}:53:${resolver}`]);
    return {
      certs, dns, web, resolver, brokenLabels,
      connectTo: [...ns, ...web.connectTo],
      close: async () => { await Promise.all([web.close(), dns.close()]); },
    };
  } catch (err) {
    await dns.close();
    throw err;
  }
}
