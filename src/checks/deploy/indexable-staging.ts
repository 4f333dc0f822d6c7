// Staging and preview environments must stay out of search engines: no indexable pages on non-production hosts.
import { defineCheck } from '../define.js';

/** True when robots.txt keeps every crawler out of the whole site (User-agent: * with Disallow: /). */
export function robotsDisallowsAll(text: string): boolean {
  let applies = false;
  let inGroup = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (key === 'user-agent') {
      if (!inGroup) applies = false;
      inGroup = true;
      if (value === '*') applies = true;
    } else {
      inGroup = false;
      if (applies && key === 'disallow' && value === '/') return true;
    }
  }
  return false;
}

export default defineCheck({
  id: 'indexable-staging',
  area: 'deploy',
  severity: 'medium',
  impact: 'data-exposure',
  title: 'Staging and preview hosts are not indexable',
  description:
    'Search engines index the staging site: people land on half-finished pages or test data, sign up on the wrong environment, and the production site competes with its own copy in search results.',
  remediation:
    'Keep crawlers out of every non-production host: send `X-Robots-Tag: noindex` on all responses (or put the environment behind authentication), and serve a robots.txt with `User-agent: *` / `Disallow: /`.',
  references: ['https://developers.google.com/search/docs/crawling-indexing/block-indexing'],
  requires: ['deploy.environments'],
  messages: {
    indexable: { message: '{host} ({environment}) answers {status} without noindex, and its robots.txt does not disallow crawling ({robots}).' },
  },
  run({ 'deploy.environments': envs }, ctx) {
    const others = envs.filter((e) => !e.production);
    if (others.length === 0) {
      ctx.notApplicable('no non-production environment in the config (`environments`)');
      return;
    }
    const seen: Record<string, string> = {};
    for (const env of others) {
      for (const h of env.hosts) {
        if (h.dnsError) { ctx.unknown(`${h.name}: DNS ${h.dnsError}`); continue; }
        if (h.addresses.length === 0) { seen[h.name] = 'does not resolve'; continue; }
        const root = h.root;
        const robots = h.robots;
        if (!root || root.error) {
          if (!robots || robots.error || robots.status !== 200) { ctx.unknown(`${h.name}: could not fetch it (${root?.error ?? 'no request'})`); continue; }
        }
        if (root?.status === 401 || root?.status === 403) { seen[h.name] = `behind authentication (${root.status})`; continue; }
        const noindex = /\bnoindex\b|\bnone\b/i.test(root?.headers?.['x-robots-tag'] ?? '');
        const disallowed = robots?.status === 200 && robotsDisallowsAll(robots.body ?? '');
        if (noindex || disallowed) { seen[h.name] = noindex ? 'X-Robots-Tag noindex' : 'robots.txt disallows all'; continue; }
        const robotsText = robots?.error ? `robots.txt: ${robots.error}` : robots?.status === 200 ? 'robots.txt allows crawling' : `robots.txt: ${robots?.status ?? 'none'}`;
        ctx.report({ code: 'indexable', args: { host: h.name, environment: env.name, status: root?.status ?? 0, robots: robotsText }, location: { host: h.name, url: `https://${h.name}/` } });
        seen[h.name] = 'indexable';
      }
    }
    ctx.details({ hosts: seen });
  },
});
