// The HTTP collector against loopback web servers: it walks redirect chains itself (hop limit, loops, cross-host
// hops, relative Locations), splits each hop's timing, caps bodies, keeps deadlines, and never asks the system
// resolver for a name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectHttp, HTML_CAP, MAX_HOPS, walkChain } from '../../src/collect/http/index.js';
import { CertFactory } from '../../src/sandbox/certs.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { HSTS_YEAR, page, redirect, startWebSandbox, to, type WebSandbox } from '../../src/sandbox/https-server.js';
import type { EdgeSandbox } from '../../src/sandbox/edge-site.js';
import { edgeContext, targetOf } from '../helpers/edge-sandbox.js';
import { watchSystemLookups } from '../helpers/net-watch.js';

const D = 'hops.test';
let dnsServer: DnsSandbox;
let web: WebSandbox;
let sb: EdgeSandbox;

beforeAll(async () => {
  const certs = new CertFactory();
  const labels = ['@', 'www', 'endless', 'rel', 'big', 'slow', 'noloc', 'edge'];
  dnsServer = await startDnsSandbox({
    zones: [parseZone([
      `$ORIGIN ${D}.`, '$TTL 60', `@ SOA ns1.${D}. h.${D}. ( 1 60 60 60 60 )`, ...labels.map((l) => `${l} A 127.0.0.1`),
      'outside A 192.0.2.10', // TEST-NET-1: must never be connected to
    ].join('\n'))],
  });
  const leaf = (l: string) => certs.leaf(l === '@' ? D : `${l}.${D}`);
  web = await startWebSandbox({
    hosts: {
      [D]: { cert: leaf('@'), https: (r) => page(`<p>${r.path}</p>`, HSTS_YEAR) },
      [`www.${D}`]: { cert: leaf('www'), https: to(`https://${D}`) },
      [`endless.${D}`]: { cert: leaf('endless'), https: (r) => redirect(`/n${Number(/\d+/.exec(r.path)?.[0] ?? 0) + 1}`, 302) },
      [`rel.${D}`]: { cert: leaf('rel'), https: (r) => (r.path === '/' ? redirect('a/b?x=1', 307) : r.path === '/a/b?x=1' ? redirect('../c', 308) : page('<p>end</p>')) },
      [`big.${D}`]: { cert: leaf('big'), https: () => page(`<html>${'x'.repeat(HTML_CAP + 5000)}</html>`) },
      [`slow.${D}`]: { cert: leaf('slow'), https: () => ({ ...page('late'), delayMs: 2000 }) },
      [`noloc.${D}`]: { cert: leaf('noloc'), https: () => ({ status: 301, body: '' }) },
    },
  });
  const resolver = `${dnsServer.address}:${dnsServer.port}`;
  // Only what edgeContext reads from an EdgeSandbox.
  sb = { certs, dns: dnsServer, web, resolver, connectTo: web.connectTo, brokenLabels: [], close: async () => {} };
});

afterAll(async () => {
  await web?.close();
  await dnsServer?.close();
});

describe('HTTP collector: walking chains', () => {
  it('follows cross-host hops itself, with status, Location, headers and a timing split per hop', async () => {
    const { ctx, done } = await edgeContext(sb);
    const c = await walkChain(ctx, `http://www.${D}/deep/link?utm=1`);
    done();
    expect(c.outcome).toBe('final');
    expect(c.hops.map((h) => [h.status, h.url, h.locationUrl])).toEqual([
      [301, `http://www.${D}/deep/link?utm=1`, `https://www.${D}/deep/link?utm=1`],
      [301, `https://www.${D}/deep/link?utm=1`, `https://${D}/deep/link?utm=1`],
      [200, `https://${D}/deep/link?utm=1`, undefined],
    ]);
    expect(c.finalUrl).toBe(`https://${D}/deep/link?utm=1`);
    expect(c.html).toBe('<p>/deep/link?utm=1</p>');
    expect(c.hops[2]!.headers['strict-transport-security']).toBe(HSTS_YEAR['strict-transport-security']);
    const first = c.hops[0]!.timing!;
    expect(first.reused).toBe(false);
    expect(first.connect).toBeGreaterThan(0);
    expect(first.tls).toBe(0); // plain HTTP
    expect(c.hops[1]!.timing!.tls).toBeGreaterThan(0);
    for (const h of c.hops) expect(h.timing!.total).toBeGreaterThanOrEqual(h.timing!.ttfb);
  });

  it('resolves relative Locations against the hop URL', async () => {
    const { ctx, done } = await edgeContext(sb);
    const c = await walkChain(ctx, `https://rel.${D}/`);
    done();
    expect(c.hops.map((h) => [h.status, h.locationUrl ?? null])).toEqual([[307, `https://rel.${D}/a/b?x=1`], [308, `https://rel.${D}/c`], [200, null]]);
  });

  it('stops after the hop limit on an endless chain', async () => {
    const { ctx, done } = await edgeContext(sb);
    const c = await walkChain(ctx, `https://endless.${D}/`);
    done();
    expect(c.outcome).toBe('too-many-hops');
    expect(c.hops).toHaveLength(MAX_HOPS);
  });

  it('detects a loop as soon as a URL comes back', async () => {
    const loopWeb = await startWebSandbox({ hosts: { [`www.${D}`]: { cert: new CertFactory().leaf(`www.${D}`), https: to(`https://${D}`) }, [D]: { cert: new CertFactory().leaf(D), https: to(`https://www.${D}`) } } });
    try {
      const loop = await edgeContext(sb, { connectTo: loopWeb.connectTo });
      const c = await walkChain(loop.ctx, `https://${D}/x`);
      loop.done();
      expect(c.outcome).toBe('loop');
      expect(c.hops.map((h) => h.url)).toEqual([`https://${D}/x`, `https://www.${D}/x`]);
      expect(c.finalUrl).toBe(`https://${D}/x`);
    } finally {
      await loopWeb.close();
    }
  });

  it('a redirect without Location ends the chain as bad-location', async () => {
    const { ctx, done } = await edgeContext(sb);
    const c = await walkChain(ctx, `https://noloc.${D}/`);
    done();
    expect(c.outcome).toBe('bad-location');
  });
});

describe('HTTP collector: caps and deadlines', () => {
  it('keeps HTML up to the cap and marks it truncated', async () => {
    const { ctx, done } = await edgeContext(sb);
    const c = await walkChain(ctx, `https://big.${D}/`);
    done();
    expect(c.htmlTruncated).toBe(true);
    expect(Buffer.byteLength(c.html!)).toBe(HTML_CAP);
  });

  it('a response slower than the step deadline is a timeout error', async () => {
    const { ctx, done } = await edgeContext(sb, { timeoutMs: 300 });
    const c = await walkChain(ctx, `https://slow.${D}/`);
    done();
    expect(c.outcome).toBe('error');
    expect(c.hops[0]!.error?.kind).toBe('timeout');
  });

  it('a host without an address is an error without any request', async () => {
    const { ctx, done } = await edgeContext(sb);
    const before = web.requests.length;
    const c = await walkChain(ctx, `https://ghost.${D}/`);
    done();
    expect(c.hops[0]!.error?.kind).toBe('no-address');
    expect(web.requests.length).toBe(before);
  });
});

describe('HTTP collector: every lookup through the run\'s resolver', () => {
  it('a --connect-to rule naming a host resolves that host through our resolver too', async () => {
    const { ctx, done } = await edgeContext(sb, { connectTo: [`${D}:443:edge.${D}:${web.httpsPort}`] });
    const before = dnsServer.queries.length;
    const c = await walkChain(ctx, `https://${D}/via-edge`);
    done();
    expect(c.outcome).toBe('final');
    expect(dnsServer.queries.slice(before).map((q) => `${q.name} ${q.type}`)).toContain(`edge.${D} A`);
    expect(web.requests.at(-1)).toMatchObject({ scheme: 'https', host: D, path: '/via-edge' });
  });

  it('the loopback guard refuses a destination outside 127.0.0.0/8 before connecting', async () => {
    const { ctx, done } = await edgeContext(sb);
    const c = await walkChain(ctx, `https://outside.${D}/`);
    done();
    expect(c.hops[0]!.error).toMatchObject({ kind: 'forbidden', message: /refusing to connect to 192\.0\.2\.10: loopback-only mode is on/ });
  });

  it('never calls the system resolver; the sandbox DNS log has every HTTP host', async () => {
    const { names, restore } = watchSystemLookups();
    const before = dnsServer.queries.length;
    try {
      const { ctx, done } = await edgeContext(sb);
      const surfaces = await collectHttp(ctx, targetOf(D, ['@', 'www']));
      done();
      expect(surfaces.map((s) => s.https.outcome)).toEqual(['final', 'final']);
    } finally {
      restore();
    }
    expect(names.filter((n) => !/^[\d.:]+$/.test(n))).toEqual([]);
    const asked = new Set(dnsServer.queries.slice(before).map((q) => `${q.name} ${q.type}`));
    expect(asked).toEqual(new Set([`${D} A`, `${D} AAAA`, `www.${D} A`, `www.${D} AAAA`]));
  });
});
