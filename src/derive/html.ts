// What an HTML page tells the browser beyond its headers: <meta> policies (CSP, referrer) and the scripts it loads.
// Regex-level reading of untrusted markup, cut first; comments are skipped because browsers skip them.

/** Markup read per page, at most. */
export const MAX_HTML = 512 * 1024;
const MAX_TAGS = 5000;

export function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`[\\s/]${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '').replace(/&amp;/g, '&') : undefined;
}

function markup(html: string): string {
  return html.slice(0, MAX_HTML).replace(/<!--[\s\S]*?-->/g, '');
}

export interface MetaPolicies {
  /** <meta http-equiv="Content-Security-Policy" content>, in order. */
  csp: string[];
  /** <meta name="referrer" content>, in order. */
  referrer: string[];
}

export function metaPolicies(html: string): MetaPolicies {
  const out: MetaPolicies = { csp: [], referrer: [] };
  for (const [tag] of markup(html).matchAll(/<meta\b[^>]*>/gi)) {
    const content = attr(tag, 'content');
    if (content === undefined) continue;
    if ((attr(tag, 'http-equiv') ?? '').trim().toLowerCase() === 'content-security-policy') out.csp.push(content);
    else if ((attr(tag, 'name') ?? '').trim().toLowerCase() === 'referrer') out.referrer.push(content);
  }
  return out;
}

export interface PageScript {
  /** The src as written. */
  src: string;
  /** Resolved against the page's URL (a protocol-relative src takes the page's scheme). */
  url: string;
  integrity?: string;
}

/** External scripts of a page, in order, each URL once (unparsable references skipped). */
export function pageScripts(html: string, pageUrl: string): PageScript[] {
  const out: PageScript[] = [];
  const seen = new Set<string>();
  const tags = markup(html).match(/<script\b[^>]*>/gi) ?? [];
  for (const tag of tags.slice(0, MAX_TAGS)) {
    const src = attr(tag, 'src')?.trim();
    if (!src) continue;
    let url: string;
    try {
      url = new URL(src, pageUrl).href;
    } catch {
      continue;
    }
    if (!/^https?:/.test(url) || seen.has(url)) continue;
    seen.add(url);
    const integrity = attr(tag, 'integrity')?.trim();
    out.push({ src: src.slice(0, 300), url: url.slice(0, 300), ...(integrity ? { integrity } : {}) });
  }
  return out;
}

/** Attributes whose value is a URL the browser follows or loads (srcset is a list, handled apart). */
const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'poster', 'data', 'data-src', 'data-href'];
/** Absolute URLs written anywhere in the markup (inline scripts, JSON islands, attributes not listed above). */
const ABSOLUTE_URL = /\bhttps?:\/\/[a-z0-9.-]+/gi;
/** References read per page, at most. */
export const MAX_REFERENCES = 2000;

/**
 * Every URL a page links to or loads, resolved against its URL: href/src/action/formaction/poster/srcset of any tag,
 * a <meta http-equiv=refresh> target, and absolute http(s) URLs written anywhere in the markup. Comments are skipped
 * (browsers skip them); only http(s) URLs, each once.
 */
export function pageReferences(html: string, pageUrl: string): string[] {
  const text = markup(html);
  const out = new Set<string>();
  const push = (raw: string | undefined) => {
    const ref = raw?.trim();
    if (!ref || out.size >= MAX_REFERENCES) return;
    try {
      const url = new URL(ref, pageUrl);
      if (url.protocol === 'http:' || url.protocol === 'https:') out.add(url.href);
    } catch {
      // not a URL: skipped
    }
  };
  const tags = text.match(/<[a-z][a-z0-9-]*\b[^>]*>/gi) ?? [];
  for (const tag of tags.slice(0, MAX_TAGS)) {
    for (const name of URL_ATTRIBUTES) push(attr(tag, name));
    for (const candidate of (attr(tag, 'srcset') ?? '').split(',')) push(candidate.trim().split(/\s+/)[0]);
    if (/^<meta\b/i.test(tag) && (attr(tag, 'http-equiv') ?? '').trim().toLowerCase() === 'refresh') {
      push(/url\s*=\s*['"]?([^'"\s;]+)/i.exec(attr(tag, 'content') ?? '')?.[1]);
    }
  }
  for (const [url] of text.matchAll(ABSOLUTE_URL)) push(url);
  return [...out];
}
