// The HTML report: self-contained (no external requests), and rendered in a real headless Chromium, whose screenshot
// must show the verdict banner and whose DOM must hold the latency chart and certificate timeline.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import type { Report } from '../../src/types.js';
import { runInProcess } from '../helpers/cli.js';

const root = join(import.meta.dirname, '../..');
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
let report: Report;

beforeAll(async () => {
  const r = await runInProcess(['audit', '--from-facts', join(root, 'fixtures/facts/broken'), '--only', 'dns,config', '--format', 'json']);
  const base = JSON.parse(r.stdout) as Report;
  const start = Date.parse(base.startedAt);
  const inDays = (d: number) => new Date(start + d * 86_400_000).toISOString();
  // Typed measurements, as the run fills them from latency and TLS facts.
  report = {
    ...base,
    measurements: {
      ...base.measurements,
      endpoints: [
        { name: 'health', method: 'GET', url: 'https://api.broken.test/health', p50Ms: 40, p95Ms: 120, p99Ms: 180, maxMs: 200, budgetP95Ms: 300, attempted: 30, errors: 0, errorRate: 0 },
        { name: 'login', method: 'POST', url: 'https://api.broken.test/login', p50Ms: 380, p95Ms: 910, p99Ms: 1300, maxMs: 1400, budgetP95Ms: 700, attempted: 30, errors: 0, errorRate: 0 },
      ],
      certificates: [
        { host: 'broken.test', port: 443, issuer: 'Test CA', notAfter: inDays(75), daysLeft: 75, chain: 'trusted' },
        { host: 'api.broken.test', port: 443, issuer: 'Test CA', notAfter: inDays(9), daysLeft: 9, chain: 'incomplete' },
      ],
    },
  };
});

describe('html report', () => {
  it('is one self-contained file: no scripts, no external resources, a CSP that forbids fetching', () => {
    const html = renderHtml(report);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'/);
  });

  it('escapes report text', () => {
    const evil = { ...report, findings: report.findings.map((f, i) => (i === 0 ? { ...f, message: '<img src=x onerror=alert(1)>' } : f)) };
    const html = renderHtml(evil);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('renders in headless Chromium with the verdict banner, the latency chart and the certificate timeline', (ctx) => {
    if (!CHROMIUM) {
      if (process.env.CI) throw new Error('Chromium is missing: .ci/run installs the Debian package chromium');
      ctx.skip();
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'lr-html-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(report));
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`];
    const dom = execFileSync(CHROMIUM, [...flags, '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
    expect(dom).toMatch(/<h1>NO-GO<\/h1>/);
    expect((dom.match(/<rect /g) ?? []).length).toBe(6); // p50, p95, p99 for two endpoints
    expect((dom.match(/<circle /g) ?? []).length).toBe(2);
    const png = join(dir, 'shot.png');
    const shot = spawnSync(CHROMIUM, [...flags, `--screenshot=${png}`, '--window-size=1200,1600', '--hide-scrollbars', `file://${file}`], { timeout: 60_000, stdio: 'ignore' });
    expect(shot.status).toBe(0);
    const image = PNG.sync.read(readFileSync(png));
    expect(image.width).toBe(1200);
    // The NO-GO banner is a pale red box with a red border near the top of the page.
    const pixel = (x: number, y: number) => { const i = (image.width * y + x) * 4; return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!]; };
    const banner = pixel(600, 60);
    expect(banner).toEqual([0xfc, 0xe8, 0xe6]);
    // The p95 bar of the over-budget endpoint is drawn in red somewhere on the page.
    let red = 0;
    for (let y = 0; y < image.height; y += 2) for (let x = 0; x < image.width; x += 2) { const [r, g, b] = pixel(x, y); if (r === 0xb3 && g === 0x26 && b === 0x1e) red++; }
    expect(red).toBeGreaterThan(50);
  });
});
