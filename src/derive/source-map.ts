// Source maps of served scripts: where a script says its map is (the SourceMap header, the legacy X-SourceMap
// header, the last sourceMappingURL comment, an inline data: URL; else the conventional <script>.map), and what a
// fetched map gives away (how many original files, whether their full text is inside). Untrusted input, read
// bounded; a map cut at the size cap is still read as far as it goes.
import type { MapVia, SourceMapInfo } from '../facts/edge.js';
import { isObject } from './json.js';

export type { MapVia, SourceMapInfo };

export interface MapReference {
  via: MapVia;
  /** Absolute URL of the map, or the data: URL of an inline map (as written, possibly long). */
  url: string;
  inline: boolean;
}

/** An inline (data:) map is decoded up to this many characters of its payload. */
export const MAX_INLINE_MAP = 8 * 1024 * 1024;
/** Source paths kept as examples per map. */
const SAMPLE = 5;

// A comment that starts a line or follows code (`})();//# …`), never one inside a string (`"//# sourceMappingURL="`).
const COMMENT = /(?:^|[\s;})\]])(?:\/\/[#@][ \t]*sourceMappingURL=([^\s'"`]+)[ \t\r]*$|\/\*[#@][ \t]*sourceMappingURL=([^\s'"`*]+)[ \t]*\*\/)/gm;

/** The URL of the last sourceMappingURL comment of a script (`//# `, the legacy `//@ `, or `/*# … *\/`), as written. */
export function sourceMappingComment(script: string): string | undefined {
  let last: string | undefined;
  for (const m of script.matchAll(COMMENT)) {
    const ref = m[1] ?? m[2]!;
    // A template literal building such a comment is code, not a comment.
    if (!ref.includes('${')) last = ref;
  }
  return last;
}

function resolve(ref: string, base: string): string | undefined {
  try {
    const u = new URL(ref.trim(), base);
    return /^(?:https?|data):$/.test(u.protocol) ? (u.protocol === 'data:' ? ref.trim() : u.href) : undefined;
  } catch {
    return undefined;
  }
}

/** The conventional location build tools write a script's map to: its path plus `.map` (query and fragment dropped). */
export function guessedMapUrl(scriptUrl: string): string {
  const u = new URL(scriptUrl);
  u.search = '';
  u.hash = '';
  u.pathname = `${u.pathname}.map`;
  return u.href;
}

/**
 * Where a script's source map is, as browsers look for it: the SourceMap header wins over X-SourceMap, a header wins
 * over the comment (ECMA-426, "Linking through HTTP headers"); a relative reference is resolved against the script's
 * URL. Without any reference the conventional `<script>.map` is the guess. An unusable reference is skipped.
 */
export function sourceMapReference(scriptUrl: string, headers: Record<string, string>, body: string): MapReference {
  const candidates: [MapVia, string | undefined][] = [
    ['header', headers.sourcemap],
    ['x-header', headers['x-sourcemap']],
    ['comment', sourceMappingComment(body)],
  ];
  for (const [via, ref] of candidates) {
    if (!ref?.trim()) continue;
    const url = resolve(ref, scriptUrl);
    if (url) return { via, url, inline: url.startsWith('data:') };
  }
  return { via: 'guess', url: guessedMapUrl(scriptUrl), inline: false };
}

/** The text of a data: URL (base64 or percent-encoded), its payload cut at `cap` characters; undefined when malformed. */
export function decodeDataUrl(url: string, cap = MAX_INLINE_MAP): { text: string; truncated: boolean } | undefined {
  const m = /^data:([^,]*),/i.exec(url);
  if (!m) return undefined;
  const payload = url.slice(m[0].length);
  const truncated = payload.length > cap;
  const cut = payload.slice(0, cap);
  if (/;base64$/i.test(m[1]!.trim())) {
    const b64 = cut.replace(/\s+/g, '');
    if (/[^A-Za-z0-9+/=_-]/.test(b64)) return undefined;
    return { text: Buffer.from(b64.slice(0, b64.length - (b64.length % 4)), 'base64').toString('utf8'), truncated };
  }
  try {
    return { text: decodeURIComponent(cut), truncated };
  } catch {
    // A cut inside an escape (or a stray %): decode what is well-formed.
    return { text: cut.replace(/(?:%[0-9a-f]{2})+/gi, (s) => { try { return decodeURIComponent(s); } catch { return s; } }), truncated };
  }
}

export interface SourceText {
  source: string;
  content: string;
}

export type ParsedSourceMap =
  | { map: true; info: SourceMapInfo; contents: SourceText[] }
  | { map: false; reason: 'html' | 'not-json' | 'not-a-map' };

const XSSI = /^\)\]\}'[^\n]*\n/;

/** The sources and their text of one (non-index) map object; undefined when it is not a map. */
function readMap(m: Record<string, unknown>): { sources: string[]; contents: (string | null)[] } | undefined {
  if (!Array.isArray(m.sources) || (typeof m.mappings !== 'string')) return undefined;
  const sources = m.sources.map((s) => (typeof s === 'string' ? s : ''));
  const contents = Array.isArray(m.sourcesContent) ? m.sourcesContent.map((c) => (typeof c === 'string' ? c : null)) : [];
  return { sources, contents };
}

function summarize(version: number | undefined, parts: { sources: string[]; contents: (string | null)[] }[], partial: boolean): ParsedSourceMap {
  const sources = parts.flatMap((p) => p.sources);
  const contents: SourceText[] = parts.flatMap((p) => p.contents.flatMap((c, i) => (c ? [{ source: p.sources[i] ?? `#${i}`, content: c }] : [])));
  const info: SourceMapInfo = {
    ...(version !== undefined ? { version } : {}),
    sources: sources.length,
    withContent: contents.length,
    sample: sources.filter((s) => s !== '').slice(0, SAMPLE).map((s) => s.slice(0, 200)),
    ...(partial ? { partial: true } : {}),
  };
  return { map: true, info, contents };
}

/**
 * A fetched body read as a source map (ECMA-426): a JSON object with `sources` and `mappings` (or an index map's
 * `sections`), optionally behind the `)]}'` XSSI prefix. An HTML page (an SPA's fallback answer), a non-JSON body or
 * JSON of another shape is not a map. A body cut at the size cap (`truncated`) is read as far as it goes.
 */
export function parseSourceMap(text: string, truncated = false): ParsedSourceMap {
  const body = text.replace(/^\uFEFF/, '').replace(XSSI, '').trimStart();
  if (body.startsWith('<')) return { map: false, reason: 'html' };
  if (!body.startsWith('{')) return { map: false, reason: 'not-json' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return truncated ? parsePartial(body) : { map: false, reason: 'not-json' };
  }
  if (!isObject(parsed)) return { map: false, reason: 'not-a-map' };
  const version = typeof parsed.version === 'number' ? parsed.version : undefined;
  if (Array.isArray(parsed.sections)) {
    const parts = parsed.sections.map((s) => (isObject(s) && isObject(s.map) ? readMap(s.map) : undefined));
    if (parts.length === 0 || parts.some((p) => p === undefined)) return { map: false, reason: 'not-a-map' };
    return summarize(version, parts as { sources: string[]; contents: (string | null)[] }[], false);
  }
  const one = readMap(parsed);
  return one ? summarize(version, [one], false) : { map: false, reason: 'not-a-map' };
}

// A JSON string, unrolled so that multi-megabyte strings do not backtrack.
const JSON_STRING = /"[^"\\]*(?:\\.[^"\\]*)*"/y;

/** The elements of a JSON array of strings and nulls starting at `from` (its `[`), as far as the text goes. */
function stringArray(text: string, from: number): (string | null)[] {
  const out: (string | null)[] = [];
  let i = from + 1;
  for (;;) {
    while (/[\s,]/.test(text[i] ?? '')) i++;
    if (i >= text.length || text[i] === ']') return out;
    if (text.startsWith('null', i)) {
      out.push(null);
      i += 4;
      continue;
    }
    JSON_STRING.lastIndex = i;
    const m = JSON_STRING.exec(text);
    if (!m) return out;
    try {
      out.push(JSON.parse(m[0]) as string);
    } catch {
      return out;
    }
    i = JSON_STRING.lastIndex;
  }
}

/** A map cut at the size cap: its version and the sources and contents that were read in full. */
function parsePartial(body: string): ParsedSourceMap {
  const version = /"version"\s*:\s*(\d+)/.exec(body.slice(0, 4096));
  const hasMappings = /"(?:mappings|sections)"\s*:/.test(body);
  const sourcesAt = /"sources"\s*:\s*\[/.exec(body);
  if (!sourcesAt || (!hasMappings && !version)) return { map: false, reason: 'not-json' };
  const sources = stringArray(body, sourcesAt.index + sourcesAt[0].length - 1).map((s) => s ?? '');
  const contentAt = /"sourcesContent"\s*:\s*\[/.exec(body);
  const contents = contentAt ? stringArray(body, contentAt.index + contentAt[0].length - 1) : [];
  return summarize(version ? Number(version[1]) : undefined, [{ sources, contents }], true);
}

/** Whether a source path is a dependency's (node_modules, webpack's runtime), not the product's own code. */
export function isVendorSource(source: string): boolean {
  return /(?:^|\/)node_modules\/|(?:^|\/)webpack\/(?:bootstrap|runtime)|^\(webpack\)/.test(source);
}
