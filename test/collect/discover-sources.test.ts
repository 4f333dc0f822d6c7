// The parsers of discovery's page, repository and online sources: what each reads names from, and what must not
// give a name (other domains, wildcards, comments, keywords, garbage).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateTransparency, ctUrlProblem, DEFAULT_CT_URL, parseCrtSh } from '../../src/collect/discover/online.js';
import { auditedDomainOf, cspHosts, pageHosts, pageLabel } from '../../src/collect/discover/pages.js';
import { repoFileKind, repoFileNames } from '../../src/collect/discover/repo-names.js';
import { prepareNetwork } from '../../src/collect/setup.js';
import { pageReferences } from '../../src/derive/html.js';
import { viaText } from '../../src/facts/discover.js';

const D = 'example.test';
const inScope = (names: string[]) => names.filter((n) => auditedDomainOf(n, [D])).sort();

describe('pages', () => {
  it('markup: href, src, form action, formaction, srcset, poster, meta refresh and absolute URLs in inline scripts', () => {
    const html = `<!doctype html>
      <a href="https://blog.example.test/post">blog</a> <a href="/about">about</a> <a href="//cdn.example.test/x.css">p-rel</a>
      <img src="https://img.example.test/a.png" srcset="https://img2.example.test/a.png 2x, https://img3.example.test/b.png 3x">
      <form action="https://forms.example.test/submit"><button formaction="https://alt-forms.example.test/">go</button></form>
      <video poster="https://media.example.test/p.jpg"></video>
      <link rel="preconnect" href="https://fonts.example.test">
      <script src="https://static.example.test/app.js"></script>
      <script>fetch("https://api-v2.example.test/v1/me")</script>
      <meta http-equiv="refresh" content="5; url=https://moved.example.test/">
      <!-- <a href="https://commented.example.test/">old</a> -->
      <a href="mailto:hi@mail.example.test">mail</a> <a href="javascript:void(0)">js</a>`;
    const refs = pageReferences(html, 'https://www.example.test/');
    expect(refs).toContain('https://www.example.test/about');
    expect(refs).toContain('https://cdn.example.test/x.css');
    const hosts = inScope(pageHosts({ url: 'https://www.example.test/', headers: {}, body: html }));
    expect(hosts).toEqual([
      'alt-forms', 'api-v2', 'blog', 'cdn', 'fonts', 'forms', 'img', 'img2', 'img3', 'media', 'moved', 'static', 'www',
    ].map((l) => `${l}.${D}`));
    expect(hosts).not.toContain(`commented.${D}`);
    expect(hosts).not.toContain(`mail.${D}`);
  });

  it('CSP header, report-only header and <meta> policy: host sources and report URLs; keywords, schemes and wildcards name none', () => {
    expect(cspHosts("default-src 'self' https://api.example.test wss://rt.example.test:8443 *.example.test https: data: 'nonce-abc' 'sha256-x'; img-src img.example.test/path; report-uri https://csp.example.test/r"))
      .toEqual(['api.example.test', 'rt.example.test', 'img.example.test', 'csp.example.test']);
    expect(cspHosts("script-src 'none'; object-src *")).toEqual([]);
    const hosts = pageHosts({
      url: 'https://www.example.test/',
      headers: {
        'content-security-policy': "script-src 'self' https://js.example.test, connect-src https://graph.example.test",
        'content-security-policy-report-only': 'connect-src https://beta-api.example.test',
      },
      body: `<meta http-equiv="Content-Security-Policy" content="img-src https://pics.example.test">`,
    });
    expect(inScope(hosts)).toEqual(['beta-api', 'graph', 'js', 'pics'].map((l) => `${l}.${D}`));
  });

  it('CORS origin, Link header and redirect Location; "*" and "null" origins name none', () => {
    expect(inScope(pageHosts({
      url: 'https://api.example.test/',
      headers: { 'access-control-allow-origin': 'https://console.example.test', link: '<https://preload.example.test/f.woff2>; rel=preload, </local>; rel=x' },
      location: 'https://login.example.test/start?state=secret',
    }))).toEqual(['api', 'console', 'login', 'preload'].map((l) => `${l}.${D}`)); // a relative link names the page's own host
    expect(pageHosts({ url: 'https://api.example.test/', headers: { 'access-control-allow-origin': '*' } })).toEqual([]);
    expect(pageHosts({ url: 'https://api.example.test/', headers: { 'access-control-allow-origin': 'null' } })).toEqual([]);
  });

  it('scope: only names under the audited domain with its registrable domain; IPs and other domains are out', () => {
    const hosts = pageHosts({
      url: 'https://www.example.test/',
      headers: {},
      body: '<a href="https://evil.test/"></a><a href="https://example.test.evil.test/"></a><img src="https://192.0.2.7/x.png"><a href="https://notexample.test/"></a><a href="https://ok.example.test/"></a>',
    });
    expect(inScope(hosts)).toEqual([`ok.${D}`]);
    expect(hosts).not.toContain('192.0.2.7');
    expect(auditedDomainOf('a.b.example.co.uk', ['example.co.uk'])).toBe('example.co.uk');
    expect(auditedDomainOf('other.co.uk', ['example.co.uk'])).toBeUndefined();
  });

  it('a page is named without its query (a redirect may carry a token); findings say "found via the page ..."', () => {
    expect(pageLabel('https://login.example.test/cb?code=s3cret#x')).toBe('https://login.example.test/cb');
    expect(viaText({ source: 'page', from: 'https://www.example.test/' })).toBe('the page https://www.example.test/');
  });
});

describe('repository files', () => {
  const names = (kind: Parameters<typeof repoFileNames>[0], text: string, domains = [D]) =>
    repoFileNames(kind, text, domains).map((n) => `${n.name}:${n.line}`);

  it('which files are read, and which folders never', () => {
    expect(['CNAME', 'docs/CNAME', 'vercel.json', 'netlify.toml', 'public/_redirects', 'fly.toml', 'Caddyfile', 'deploy/site.caddy', 'nginx.conf', 'nginx/sites-enabled/shop.conf',
      'infra/dns.tf', 'k8s/ingress.yaml', '.env', '.env.production', 'config/app.toml', 'config/settings.json'].map(repoFileKind))
      .toEqual(['cname', 'cname', 'vercel', 'netlify', 'netlify', 'fly', 'caddy', 'caddy', 'nginx', 'nginx', 'terraform', 'yaml', 'env', 'env', 'toml', 'json']);
    for (const p of ['node_modules/x/vercel.json', 'vendor/a/.env', 'dist/config.json', 'package-lock.json', 'src/index.ts', 'README.md', 'cname', 'app.conf']) {
      expect(repoFileKind(p)).toBeUndefined();
    }
  });

  it('CNAME file (GitHub Pages)', () => {
    expect(names('cname', `docs.${D}\n`)).toEqual([`docs.${D}:1`]);
    expect(names('cname', 'docs.other.test\n')).toEqual([]);
  });

  it('vercel.json and netlify.toml: aliases, redirect and rewrite targets; "/api/*" paths and wildcards are not names', () => {
    const vercel = JSON.stringify({ alias: [`promo.${D}`], redirects: [{ source: '/old/*', destination: `https://shop.${D}/:path*` }], rewrites: [{ source: '/api/*', destination: 'https://backend.other.test/*' }] }, null, 2);
    expect(names('vercel', vercel)).toEqual([`promo.${D}:3`, `shop.${D}:8`]);
    const netlify = `[build]\n  command = "npm run build"\n# [[redirects]] from = "https://commented.${D}/*"\n[[redirects]]\n  from = "https://old-blog.${D}/*"\n  to = "https://www.${D}/blog/:splat"  # www.${D} again\n  force = true\n[[redirects]]\n  from = "https://*.${D}/x"\n`;
    expect(names('netlify', netlify)).toEqual([`old-blog.${D}:5`, `www.${D}:6`]);
  });

  it('fly.toml and env files: URLs in values, credentials aside; comments name nothing', () => {
    expect(names('fly', `app = "shop"\n[env]\n  PUBLIC_URL = "https://shop-eu.${D}"\n  # OLD = "https://old.${D}"\n`)).toEqual([`shop-eu.${D}:3`]);
    const env = `# API_URL=https://commented.${D}\nAPI_URL=https://api-internal.${D}:8443/v1\nDATABASE_URL=postgres://app:hunter2@db-primary.${D}:5432/app\nSENTRY_DSN=https://k@o1.ingest.sentry.io/1\nCDN=*.${D}\nMAIL_FROM=hello@${D}\n`;
    expect(names('env', env)).toEqual([`api-internal.${D}:2`, `db-primary.${D}:3`]);
  });

  it('Caddyfile and nginx: site addresses, server_name and proxy targets; nginx wildcards, leading dots and regexes name none', () => {
    expect(names('caddy', `promo.${D}, www.${D} {\n  reverse_proxy backend-1.${D}:8080\n}\n# legacy.${D} {\n*.${D} {\n  respond "hi"\n}\n`))
      .toEqual([`promo.${D}:1`, `www.${D}:1`, `backend-1.${D}:2`]);
    const nginx = `server {\n  listen 443 ssl;\n  server_name shop.${D} .${D} *.${D} ~^(?<sub>.+)\\.example\\.test$;  # catch-all\n  # server_name old-shop.${D};\n  location / { proxy_pass http://shop-backend.${D}:3000; }\n}\n`;
    expect(names('nginx', nginx)).toEqual([`shop.${D}:3`, `shop-backend.${D}:5`]);
  });

  it('Terraform: Route 53, Cloudflare and Google records, FQDN or relative names; comments, wildcards, the apex and other resources name none', () => {
    const tf = [
      'resource "aws_route53_record" "promo" {', //                                  1
      '  zone_id = aws_route53_zone.main.zone_id',
      `  name    = "promo.${D}"`, //                                                  3
      '  type    = "CNAME"',
      '  records = ["promo-site.cdn.other.test"]',
      '}',
      'resource "cloudflare_record" "status" {', //                                   7
      '  zone_id = var.zone_id',
      '  name    = "status-old"', //                                                  9
      '  content = "statuspage.other.test"',
      '}',
      'resource "google_dns_record_set" "grafana" {',
      '  name = "grafana.${google_dns_managed_zone.prod.dns_name}"', //              13
      '  type = "A"',
      '}',
      '/* resource "aws_route53_record" "gone" {',
      `  name = "gone.${D}"`,
      '} */',
      '# name = "hash-comment"',
      'resource "aws_route53_record" "wild" {',
      '  name = "*"',
      '}',
      'resource "aws_route53_record" "apex" {',
      '  name = "@"',
      '}',
      'resource "aws_s3_bucket" "assets" {',
      '  bucket = "assets"',
      '  name = "not-a-record"',
      '}',
      'resource "aws_lb_listener_rule" "api" {',
      '  condition { path_pattern { values = ["/api/*"] } }',
      '}',
      `// ops.${D} is next year`,
      `locals { api = "api-v3.${D}" }`, //                                            34
    ].join('\n');
    expect(names('terraform', tf)).toEqual([`promo.${D}:3`, `status-old.${D}:9`, `grafana.${D}:13`, `api-v3.${D}:34`]);
    // A relative name is tried under every audited domain: resolution keeps the real one.
    expect(names('terraform', tf, [D, 'example2.test'])).toEqual(expect.arrayContaining([`status-old.${D}:9`, 'status-old.example2.test:9']));
  });

  it('Kubernetes ingress: rules[].host and tls[].hosts; a wildcard host and other domains name none', () => {
    const yaml = [
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      'spec:',
      '  tls:',
      '    - hosts:',
      `        - admin-panel.${D}`, // 6
      `        - "*.${D}"`,
      '  rules:',
      `    - host: metabase.${D}`, // 9
      '    - host: app.other.test',
      `    # - host: retired.${D}`,
    ].join('\n');
    expect(names('yaml', yaml)).toEqual([`admin-panel.${D}:6`, `metabase.${D}:9`]);
  });
});

describe('online: crt.sh JSON', () => {
  it('names under the domain, each once; wildcards give their base name; e-mail addresses, other domains and the apex are dropped', () => {
    const body = JSON.stringify([
      { issuer_name: 'x', common_name: `www.${D}`, name_value: `www.${D}\n${D}` },
      { common_name: `*.dev.${D}`, name_value: `*.dev.${D}\n*.${D}` },
      { common_name: `forgotten.${D}`, name_value: `forgotten.${D}\nFORGOTTEN.${D}\nsecurity@${D}` },
      { common_name: 'other.test', name_value: `other.test\nexample.test.other.test` },
      { name_value: 42 }, null, 'x',
    ]);
    expect(parseCrtSh(body, D)).toEqual({ names: [`dev.${D}`, `forgotten.${D}`, `www.${D}`] });
  });

  it('garbage is an error, never a throw; an empty list is no names', () => {
    expect(parseCrtSh('<html>502 Bad Gateway</html>', D)).toEqual({ error: 'crt.sh: the answer is not JSON' });
    expect(parseCrtSh('{"name_value":"a.example.test"}', D)).toEqual({ error: 'crt.sh: the answer is not a JSON list' });
    expect(parseCrtSh('[{"name_value": "a.example.te', D)).toEqual({ error: 'crt.sh: the answer is not JSON' });
    expect(parseCrtSh('[]', D)).toEqual({ names: [] });
  });

  it('the URL template: the real crt.sh by default; a template needs {domain} and http(s)', () => {
    expect(DEFAULT_CT_URL).toBe('https://crt.sh/?q=%25.{domain}&output=json');
    expect(ctUrlProblem(DEFAULT_CT_URL)).toBeUndefined();
    expect(ctUrlProblem('http://127.0.0.1:8080/ct?d={domain}')).toBeUndefined();
    expect(ctUrlProblem('https://crt.sh/?q=example.test')).toBe('has no {domain} placeholder');
    expect(ctUrlProblem('ftp://x/{domain}')).toBe('is not an http(s) URL');
    expect(viaText({ source: 'online', from: 'crt.sh' })).toBe('certificate transparency (crt.sh)');
    expect(viaText({ source: 'repository', from: 'infra/dns.tf:12' })).toBe('infra/dns.tf:12');
  });
});

describe('online: the certificate transparency source over loopback', () => {
  let server: http.Server;
  let base: string;
  const seen: string[] = [];
  const answers: Record<string, { status: number; body: string; delayMs?: number }> = {
    'ok.test': { status: 200, body: JSON.stringify([{ name_value: 'a.ok.test\n*.b.ok.test\na.ok.test' }]) },
    'garbage.test': { status: 200, body: '<html>rate limited</html>' },
    'down.test': { status: 502, body: 'bad gateway' },
    'big.test': { status: 200, body: JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ name_value: `h${i}.big.test` }))) },
    'slow.test': { status: 200, body: '[]', delayMs: 3000 },
  };
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams.get('q') ?? '';
      seen.push(q);
      const a = answers[q.replace(/^%\./, '')] ?? { status: 404, body: '' };
      const t = setTimeout(() => { res.writeHead(a.status, { 'content-type': 'application/json' }); res.end(a.body); }, a.delayMs ?? 0);
      res.on('close', () => clearTimeout(t));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/?q=%25.{domain}&output=json`;
  });
  afterAll(async () => { server.closeAllConnections(); await new Promise((r) => server.close(r)); });

  const source = async (timeoutMs = 2000, maxBytes?: number) => {
    // The resolver is never asked: the template names an IP.
    const net = await prepareNetwork({ resolver: '127.0.0.1:53', timeoutMs, concurrency: 4, loopbackOnly: true });
    return certificateTransparency(net.context(new AbortController().signal), base, () => timeoutMs, maxBytes);
  };

  it('asks the template with the domain filled in and returns the names', async () => {
    const s = await source();
    expect(s.name).toBe('127.0.0.1');
    expect(await s.query('ok.test')).toEqual({ names: ['a.ok.test', 'b.ok.test'] });
    expect(seen).toContain('%.ok.test');
  });

  it('garbage, an HTTP error, an oversized answer and a silent server are error values', async () => {
    const s = await source(1000, 16 * 1024);
    expect(await s.query('garbage.test')).toEqual({ error: '127.0.0.1: the answer is not JSON' });
    expect(await s.query('down.test')).toEqual({ error: '127.0.0.1: answered HTTP 502' });
    expect(await s.query('big.test')).toEqual({ error: `127.0.0.1: the answer is larger than ${16 * 1024} bytes, not read` });
    const slow = await s.query('slow.test');
    expect('error' in slow && slow.error).toMatch(/^127\.0\.0\.1: .*1000 ms/);
    // The same big answer under the default cap is read whole.
    expect(await (await source()).query('big.test')).toMatchObject({ names: expect.arrayContaining(['h0.big.test', 'h1999.big.test']) });
  });
});
