// `launch-ready map` against sandbox nameservers: providers recognised from NS, CNAME and MX names, environments and
// owners from the config, and surfaces that do not answer reported as such.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentMap } from '../../src/map/build.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { runInProcess } from '../helpers/cli.js';

let dns: DnsSandbox;
// Web ports of every host lead to a server of ours that hangs up at once: the test never depends on what happens
// to listen on this machine's 127.0.0.1:443.
let hangUp: Server;
const zone = (origin: string, body: string) => parseZone(`$ORIGIN ${origin}.\n$TTL 60\n@ SOA ns.${origin}. h.${origin}. ( 1 60 60 60 60 )\n${body}\n`);

beforeAll(async () => {
  hangUp = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => hangUp.listen(0, '127.0.0.1', resolve));
  dns = await startDnsSandbox({ zones: [
    zone('shop.test', '@ NS anna.ns.cloudflare.com.\n@ NS bob.ns.cloudflare.com.\n@ A 127.0.0.1\n@ MX 1 aspmx.l.google.com.\n@ MX 5 alt1.aspmx.l.google.com.\nwww CNAME shop-web.vercel.app.\napi CNAME d111.cloudfront.net.\nstaging A 127.0.0.9\nadmin CNAME gone.herokuapp.com.'),
    zone('ns.cloudflare.com', 'anna A 127.0.0.1\nbob A 127.0.0.1'),
    zone('vercel.app', 'shop-web A 127.0.0.2'),
    zone('cloudfront.net', 'd111 A 127.0.0.3'),
    zone('herokuapp.com', 'other A 127.0.0.4'),
  ] });
});
afterAll(async () => { await dns.close(); await new Promise((resolve) => hangUp.close(resolve)); });

describe('map', () => {
  it('maps domains to hosts, targets and providers, with environments and owners', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lr-map-'));
    writeFileSync(join(dir, 'launch-ready.config.json'), JSON.stringify({
      project: 'Shop',
      domains: [{ name: 'shop.test', hosts: ['www', 'api', 'admin', 'staging'] }],
      environments: [{ name: 'production', hosts: ['shop.test', 'www.shop.test', 'api.shop.test'], owner: 'ops@shop.test' }, { name: 'staging', hosts: ['staging.shop.test'], owner: 'dev team' }],
    }));
    const at = `${dns.address}:${dns.port}`;
    // Every nameserver probe goes to the sandbox; every web port to the server that hangs up, so TLS/HTTP fail fast.
    const web = `127.0.0.1:${(hangUp.address() as AddressInfo).port}`;
    const args = ['map', '--resolver', at, '--connect-to', `:53:${at}`, '--connect-to', `:443:${web}`, '--connect-to', `:80:${web}`, '--timeout', '1500'];
    const json = await runInProcess([...args, '--format', 'json'], {}, dir);
    expect(json.code, json.stderr).toBe(0);
    const map = JSON.parse(json.stdout) as DeploymentMap;
    const d = map.domains[0]!;
    expect(d.dnsProviders.map((p) => p.name)).toEqual(['Cloudflare DNS']);
    expect(d.mailProviders.map((p) => p.name)).toEqual(['Google Workspace']);
    const host = (n: string) => d.hosts.find((h) => h.name === n)!;
    expect(host('www.shop.test')).toMatchObject({ status: 'resolves', cnameChain: ['shop-web.vercel.app'], addresses: ['127.0.0.2'], environment: 'production', owner: 'ops@shop.test' });
    expect(host('www.shop.test').providers.map((p) => p.name)).toEqual(['Vercel']);
    expect(host('api.shop.test').providers.map((p) => [p.name, p.kind])).toEqual([['AWS CloudFront', 'cdn']]);
    expect(host('admin.shop.test')).toMatchObject({ status: 'dangling', cnameChain: ['gone.herokuapp.com'] });
    expect(host('staging.shop.test')).toMatchObject({ environment: 'staging', owner: 'dev team' });
    expect(host('shop.test').certificate).toMatchObject({ error: expect.stringMatching(/^(reset|tls|closed|error)/) });
    const text = await runInProcess(args, {}, dir);
    expect(text.stdout).toMatch(/^Deployment map of Shop/);
    expect(text.stdout).toMatch(/DNS: {2}Cloudflare DNS \(anna\.ns\.cloudflare\.com, bob\.ns\.cloudflare\.com\)/);
    expect(text.stdout).toMatch(/www\.shop\.test → shop-web\.vercel\.app → 127\.0\.0\.2\n {6}runs on: Vercel/);
    expect(text.stdout).toMatch(/staging \(owner: dev team\): staging\.shop\.test/);
  });
});
