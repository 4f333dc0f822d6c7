// Source-map readings: where a script says its map is (comment forms, header precedence, relative URLs, inline data:
// URLs, the <script>.map guess) and what a map body is (real, partial at the cap, an SPA page, garbage).
import { describe, expect, it } from 'vitest';
import { decodeDataUrl, guessedMapUrl, isVendorSource, parseSourceMap, sourceMappingComment, sourceMapReference } from '../../src/derive/source-map.js';

const SCRIPT = 'https://shop.test/assets/app.3f9a.js';
const MAP = { version: 3, file: 'app.js', sources: ['webpack://app/src/main.ts', 'webpack://app/src/api.ts'], sourcesContent: ['const a = 1;\n', 'export const api = "/v1";\n'], names: [], mappings: 'AAAA' };

describe('the sourceMappingURL comment', () => {
  it('reads every comment form browsers read', () => {
    expect(sourceMappingComment('a();\n//# sourceMappingURL=app.js.map\n')).toBe('app.js.map');
    expect(sourceMappingComment('a();\n//@ sourceMappingURL=legacy.js.map')).toBe('legacy.js.map');
    expect(sourceMappingComment('a();\n/*# sourceMappingURL=block.js.map */\n')).toBe('block.js.map');
    expect(sourceMappingComment('a();\r\n//# sourceMappingURL=crlf.js.map\r\n')).toBe('crlf.js.map');
    expect(sourceMappingComment('a()})();//# sourceMappingURL=after-code.js.map')).toBe('after-code.js.map');
    expect(sourceMappingComment('  //#sourceMappingURL=nospace.js.map  ')).toBe('nospace.js.map');
  });

  it('takes the last comment', () => {
    expect(sourceMappingComment('//# sourceMappingURL=first.map\nb();\n//# sourceMappingURL=second.map\n')).toBe('second.map');
  });

  it('ignores comment text inside strings and templates', () => {
    expect(sourceMappingComment('var s = "//# sourceMappingURL=" + url;\n')).toBeUndefined();
    expect(sourceMappingComment("e.push('//# sourceMappingURL=x.map');")).toBeUndefined();
    expect(sourceMappingComment('const c = `\n//# sourceMappingURL=${base}.map`;')).toBeUndefined();
    expect(sourceMappingComment('a();\n// sourceMappingURL=not-magic.map\n')).toBeUndefined();
    expect(sourceMappingComment('a();')).toBeUndefined();
  });
});

describe('where the map is', () => {
  it('resolves a relative comment against the script, not the page', () => {
    expect(sourceMapReference(SCRIPT, {}, 'x\n//# sourceMappingURL=app.3f9a.js.map')).toEqual({ via: 'comment', url: 'https://shop.test/assets/app.3f9a.js.map', inline: false });
    expect(sourceMapReference(SCRIPT, {}, 'x\n//# sourceMappingURL=../maps/app.map')).toMatchObject({ url: 'https://shop.test/maps/app.map' });
    expect(sourceMapReference(SCRIPT, {}, 'x\n//# sourceMappingURL=/m/app.map')).toMatchObject({ url: 'https://shop.test/m/app.map' });
    expect(sourceMapReference(SCRIPT, {}, 'x\n//# sourceMappingURL=https://static.shop.test/app.map')).toMatchObject({ url: 'https://static.shop.test/app.map' });
  });

  it('lets the SourceMap header win over X-SourceMap, and both over the comment', () => {
    const body = 'x\n//# sourceMappingURL=comment.map';
    expect(sourceMapReference(SCRIPT, { sourcemap: 'header.map', 'x-sourcemap': 'legacy.map' }, body)).toEqual({ via: 'header', url: 'https://shop.test/assets/header.map', inline: false });
    expect(sourceMapReference(SCRIPT, { 'x-sourcemap': '/legacy.map' }, body)).toEqual({ via: 'x-header', url: 'https://shop.test/legacy.map', inline: false });
    expect(sourceMapReference(SCRIPT, { sourcemap: '  ' }, body)).toMatchObject({ via: 'comment', url: 'https://shop.test/assets/comment.map' });
  });

  it('skips references no browser could fetch', () => {
    expect(sourceMapReference(SCRIPT, { sourcemap: 'javascript:alert(1)' }, 'x\n//# sourceMappingURL=ok.map')).toMatchObject({ via: 'comment', url: 'https://shop.test/assets/ok.map' });
    expect(sourceMapReference(SCRIPT, { sourcemap: 'http://[bad' }, '')).toMatchObject({ via: 'guess' });
  });

  it('guesses <script>.map without the query when nothing names a map', () => {
    expect(sourceMapReference(`${SCRIPT}?v=3#x`, {}, 'x();')).toEqual({ via: 'guess', url: 'https://shop.test/assets/app.3f9a.js.map', inline: false });
    expect(guessedMapUrl('https://shop.test/a.mjs')).toBe('https://shop.test/a.mjs.map');
  });

  it('keeps an inline data: URL as it is', () => {
    const data = `data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(MAP)).toString('base64')}`;
    const ref = sourceMapReference(SCRIPT, {}, `x();\n//# sourceMappingURL=${data}\n`);
    expect(ref).toEqual({ via: 'comment', url: data, inline: true });
  });
});

describe('data: URLs', () => {
  it('decodes base64 and percent-encoded payloads', () => {
    const json = JSON.stringify(MAP);
    expect(decodeDataUrl(`data:application/json;base64,${Buffer.from(json).toString('base64')}`)).toEqual({ text: json, truncated: false });
    expect(decodeDataUrl(`data:application/json,${encodeURIComponent(json)}`)).toEqual({ text: json, truncated: false });
  });

  it('is bounded: a payload past the cap is cut and says so', () => {
    const json = JSON.stringify({ ...MAP, sourcesContent: ['x'.repeat(10_000), 'y'] });
    const d = decodeDataUrl(`data:application/json;base64,${Buffer.from(json).toString('base64')}`, 1000)!;
    expect(d.truncated).toBe(true);
    expect(d.text.length).toBeLessThanOrEqual(750);
    expect(json.startsWith(d.text)).toBe(true);
  });

  it('rejects malformed ones', () => {
    expect(decodeDataUrl('data:application/json;base64')).toBeUndefined();
    expect(decodeDataUrl('data:application/json;base64,@@@not base64@@@')).toBeUndefined();
  });
});

describe('reading a map', () => {
  it('counts sources and the ones whose text is inside', () => {
    expect(parseSourceMap(JSON.stringify(MAP))).toMatchObject({ map: true, info: { version: 3, sources: 2, withContent: 2, sample: MAP.sources } });
    const paths = parseSourceMap(JSON.stringify({ ...MAP, sourcesContent: undefined }));
    expect(paths).toMatchObject({ map: true, info: { sources: 2, withContent: 0 }, contents: [] });
    // null and empty entries are not content.
    expect(parseSourceMap(JSON.stringify({ ...MAP, sourcesContent: [null, ''] }))).toMatchObject({ info: { withContent: 0 } });
    expect(parseSourceMap(JSON.stringify({ ...MAP, sourcesContent: [null, 'x'] }))).toMatchObject({ info: { withContent: 1 }, contents: [{ source: MAP.sources[1], content: 'x' }] });
  });

  it('reads index maps section by section, and the XSSI prefix', () => {
    const index = { version: 3, sections: [{ offset: { line: 0, column: 0 }, map: MAP }, { offset: { line: 9, column: 0 }, map: { ...MAP, sources: ['c.ts'], sourcesContent: undefined } }] };
    expect(parseSourceMap(JSON.stringify(index))).toMatchObject({ map: true, info: { sources: 3, withContent: 2 } });
    expect(parseSourceMap(`)]}'\n${JSON.stringify(MAP)}`)).toMatchObject({ map: true, info: { sources: 2 } });
  });

  it('an SPA fallback page, garbage or other JSON is not a map', () => {
    expect(parseSourceMap('<!doctype html><html><div id="root"></div></html>')).toEqual({ map: false, reason: 'html' });
    expect(parseSourceMap('  \n<html>')).toEqual({ map: false, reason: 'html' });
    expect(parseSourceMap('Not found')).toEqual({ map: false, reason: 'not-json' });
    expect(parseSourceMap('{"version":3,"sources":["a.ts"],')).toEqual({ map: false, reason: 'not-json' });
    expect(parseSourceMap('{}')).toEqual({ map: false, reason: 'not-a-map' });
    expect(parseSourceMap('{"error":"not found"}')).toEqual({ map: false, reason: 'not-a-map' });
    expect(parseSourceMap('{"version":3,"sources":"a.ts","mappings":"AAAA"}')).toEqual({ map: false, reason: 'not-a-map' });
    expect(parseSourceMap('{"version":3,"sections":[{"map":{}}]}')).toEqual({ map: false, reason: 'not-a-map' });
    expect(parseSourceMap('[1,2]')).toEqual({ map: false, reason: 'not-json' });
  });

  it('an oversized map cut at the cap is still read as far as it goes', () => {
    const big = JSON.stringify({ version: 3, sources: ['src/a.ts', 'src/b.ts', 'src/c.ts'], sourcesContent: ['const a = "\\"quoted\\"";', 'b'.repeat(50_000), 'c'], mappings: 'AAAA'.repeat(1000) });
    const cut = big.slice(0, 30_000);
    const p = parseSourceMap(cut, true);
    expect(p).toMatchObject({ map: true, info: { version: 3, sources: 3, withContent: 1, partial: true } });
    expect(p.map && p.contents).toEqual([{ source: 'src/a.ts', content: 'const a = "\\"quoted\\"";' }]);
    // Without the truncation flag the same bytes are broken JSON, not a map.
    expect(parseSourceMap(cut)).toEqual({ map: false, reason: 'not-json' });
    // A cut HTML page or text is still not a map.
    expect(parseSourceMap('{"hello": "world", "a": [', true)).toEqual({ map: false, reason: 'not-json' });
  });

  it('tells dependencies from the product\'s own sources', () => {
    for (const s of ['webpack://app/./node_modules/react/index.js', 'node_modules/lodash/x.js', 'webpack:///webpack/bootstrap', '(webpack)/buildin/global.js']) expect(isVendorSource(s), s).toBe(true);
    for (const s of ['webpack://app/./src/config.ts', '../src/api.ts', 'src/node_modules_helper.ts']) expect(isVendorSource(s), s).toBe(false);
  });
});
