// Reads line coverage per file from lcov, istanbul (summary and final) and Cobertura reports, and matches globs. Pure.
import type { CoverageFile } from '../facts/deploy.js';
import { asObject, isObject, numberOr, stringOf } from './json.js';

export interface FileCoverage {
  file: string;
  lines: number;
  covered: number;
}

function normalize(path: string, root: string): string {
  let p = path.replace(/\\/g, '/');
  const r = root.replace(/\\/g, '/').replace(/\/$/, '');
  if (r && p.startsWith(`${r}/`)) p = p.slice(r.length + 1);
  return p.replace(/^\.\//, '');
}

function lcov(text: string, root: string): FileCoverage[] {
  const out: FileCoverage[] = [];
  let file = '';
  let lines = 0;
  let covered = 0;
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (l.startsWith('SF:')) { file = normalize(l.slice(3), root); lines = 0; covered = 0; }
    else if (l.startsWith('LF:')) lines = Number(l.slice(3));
    else if (l.startsWith('LH:')) covered = Number(l.slice(3));
    else if (l === 'end_of_record' && file) { out.push({ file, lines, covered }); file = ''; }
  }
  return out;
}

function istanbulSummary(text: string, root: string): FileCoverage[] {
  const doc: unknown = JSON.parse(text);
  return Object.entries(asObject(doc)).filter(([k, v]) => k !== 'total' && isObject(v)).map(([file, v]) => {
    const lines = asObject(asObject(v).lines);
    return { file: normalize(file, root), lines: numberOr(lines.total, 0), covered: numberOr(lines.covered, 0) };
  });
}

function istanbulFinal(text: string, root: string): FileCoverage[] {
  const doc: unknown = JSON.parse(text);
  return Object.entries(asObject(doc)).filter(([, v]) => isObject(v)).map(([key, entry]) => {
    const v = asObject(entry);
    const hits = asObject(v.s);
    // Line coverage as istanbul computes it: a line is covered when any statement starting on it ran.
    const byLine = new Map<number, boolean>();
    for (const [id, loc] of Object.entries(asObject(v.statementMap))) {
      const line = asObject(asObject(loc).start).line;
      if (typeof line !== 'number') continue;
      byLine.set(line, (byLine.get(line) ?? false) || numberOr(hits[id], 0) > 0);
    }
    return { file: normalize(stringOf(v.path) ?? key, root), lines: byLine.size, covered: [...byLine.values()].filter(Boolean).length };
  });
}

function cobertura(text: string, root: string): FileCoverage[] {
  const sources = [...text.matchAll(/<source>([^<]*)<\/source>/g)].map((m) => m[1]!.trim());
  const byFile = new Map<string, Map<number, boolean>>();
  for (const cls of text.matchAll(/<class\b[^>]*\bfilename="([^"]+)"[^>]*>([\s\S]*?)<\/class>/g)) {
    let file = cls[1]!;
    if (sources[0] && !file.startsWith('/')) file = `${sources[0].replace(/\/$/, '')}/${file}`;
    const key = normalize(file, root);
    const lines = byFile.get(key) ?? new Map<number, boolean>();
    for (const l of cls[2]!.matchAll(/<line\b[^>]*\bnumber="(\d+)"[^>]*\bhits="(\d+)"/g)) {
      const n = Number(l[1]);
      lines.set(n, (lines.get(n) ?? false) || Number(l[2]) > 0);
    }
    byFile.set(key, lines);
  }
  return [...byFile].map(([file, lines]) => ({ file, lines: lines.size, covered: [...lines.values()].filter(Boolean).length }));
}

export function readCoverage(report: CoverageFile, root: string): FileCoverage[] {
  switch (report.format) {
    case 'lcov': return lcov(report.text, root);
    case 'istanbul-summary': return istanbulSummary(report.text, root);
    case 'istanbul-final': return istanbulFinal(report.text, root);
    case 'cobertura': return cobertura(report.text, root);
  }
}

/** `**` any depth, `*` within a segment, `?` one character; a glob without a slash matches at any depth. */
export function globToRegExp(glob: string): RegExp {
  let g = glob.replace(/^\.\//, '');
  if (!g.includes('/')) g = `**/${g}`;
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*' && g[i + 1] === '*') {
      re += g[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += g[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
