// Pages served over HTTPS load nothing over plain HTTP: browsers block active mixed content (scripts, styles,
// frames), warn on forms that post to http://, and flag passive content (images, media).
import type { HttpSurface } from '../../facts/http.js';
import { defineCheck } from '../define.js';

type Kind = 'script' | 'stylesheet' | 'iframe' | 'object' | 'form' | 'image' | 'media';

export interface InsecureReference {
  kind: Kind;
  url: string;
}

const ACTIVE = new Set<Kind>(['script', 'stylesheet', 'iframe', 'object']);
const PASSIVE = new Set<Kind>(['image', 'media']);
const MAX_TAGS = 20_000;

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '').trim() : undefined;
}

const insecure = (u: string | undefined): u is string => Boolean(u && /^http:\/\//i.test(u));

/** The http:// references of a page, by kind; comments, scripts' bodies and <base> tricks aside, good enough. */
export function insecureReferences(html: string): InsecureReference[] {
  const out: InsecureReference[] = [];
  const text = html.replace(/<!--[\s\S]*?-->/g, '');
  const tags = text.match(/<(script|link|iframe|frame|object|embed|form|img|source|video|audio|input)\b[^>]*>/gi) ?? [];
  for (const tag of tags.slice(0, MAX_TAGS)) {
    const name = /^<(\w+)/.exec(tag)![1]!.toLowerCase();
    const push = (kind: Kind, url: string | undefined) => { if (insecure(url)) out.push({ kind, url: url.slice(0, 200) }); };
    switch (name) {
      case 'script': push('script', attr(tag, 'src')); break;
      case 'link': {
        const rel = (attr(tag, 'rel') ?? '').toLowerCase();
        if (/\bstylesheet\b/.test(rel)) push('stylesheet', attr(tag, 'href'));
        else if (/\b(preload|modulepreload)\b/.test(rel)) push('script', attr(tag, 'href'));
        else if (/\bicon\b/.test(rel)) push('image', attr(tag, 'href'));
        break;
      }
      case 'iframe': case 'frame': push('iframe', attr(tag, 'src')); break;
      case 'object': push('object', attr(tag, 'data')); break;
      case 'embed': push('object', attr(tag, 'src')); break;
      case 'form': push('form', attr(tag, 'action')); break;
      case 'input': if ((attr(tag, 'type') ?? '').toLowerCase() === 'image') push('image', attr(tag, 'src')); break;
      case 'img':
        push('image', attr(tag, 'src'));
        for (const c of (attr(tag, 'srcset') ?? '').split(',')) push('image', c.trim().split(/\s+/)[0]);
        break;
      default: push('media', attr(tag, 'src'));
    }
  }
  return out;
}

function pages(surfaces: readonly HttpSurface[]): { url: string; html: string; host: string }[] {
  const byUrl = new Map<string, { url: string; html: string; host: string }>();
  for (const s of surfaces) {
    const c = s.https;
    if (c.outcome === 'final' && c.html !== undefined && c.finalUrl?.startsWith('https:') && !byUrl.has(c.finalUrl)) {
      byUrl.set(c.finalUrl, { url: c.finalUrl, html: c.html, host: new URL(c.finalUrl).hostname });
    }
  }
  return [...byUrl.values()];
}

export default defineCheck({
  id: 'mixed-content',
  area: 'tls',
  severity: 'high',
  impact: 'availability',
  title: 'HTTPS pages load nothing over plain HTTP',
  description:
    'Browsers block scripts, styles and frames loaded over http:// from an HTTPS page: the page renders broken or its buttons do nothing, and what does load can be tampered with in transit.',
  remediation: 'Load every resource over https:// (or a relative URL); add `Content-Security-Policy: upgrade-insecure-requests` as a safety net.',
  references: ['https://developer.mozilla.org/en-US/docs/Web/Security/Mixed_content', 'https://web.dev/articles/fixing-mixed-content'],
  requires: ['http.surfaces'],
  messages: {
    active: { message: '{url} loads a {kind} over plain HTTP: {resource} (browsers block it).' },
    form: {
      message: '{url} has a form that submits to plain HTTP: {resource}.',
      severity: 'medium',
      impact: 'data-exposure',
      whatBreaks: 'Browsers warn "this form is not secure" on submit, and what users type (passwords, card details) travels in clear text.',
    },
    passive: {
      message: '{url} loads {count} image/media resource(s) over plain HTTP, e.g. {resource}.',
      severity: 'low',
      impact: 'hygiene',
      whatBreaks: 'Browsers upgrade or block them and drop the padlock\'s "secure" state; images can be swapped in transit.',
    },
  },
  run({ 'http.surfaces': surfaces }, ctx) {
    const list = pages(surfaces);
    if (list.length === 0) return ctx.notApplicable('no HTML page was served over HTTPS');
    const counts: Record<string, number> = {};
    for (const p of list) {
      const refs = insecureReferences(p.html);
      counts[p.url] = refs.length;
      const loc = { host: p.host, url: p.url };
      const seen = new Set<string>();
      for (const r of refs) {
        if (!ACTIVE.has(r.kind) && r.kind !== 'form') continue;
        if (seen.has(`${r.kind} ${r.url}`)) continue;
        seen.add(`${r.kind} ${r.url}`);
        // One finding per resource: fixing one does not fix the others.
        if (r.kind === 'form') ctx.report({ code: 'form', args: { url: p.url, resource: r.url }, location: { ...loc, record: r.url } });
        else ctx.report({ code: 'active', args: { url: p.url, kind: r.kind, resource: r.url }, location: { ...loc, record: r.url } });
      }
      const passive = refs.filter((r) => PASSIVE.has(r.kind));
      if (passive.length > 0) ctx.report({ code: 'passive', args: { url: p.url, count: passive.length, resource: passive[0]!.url }, location: loc });
    }
    ctx.details({ insecureReferences: counts });
  },
});
