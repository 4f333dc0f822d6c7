// Coverage reading: lcov, istanbul (summary and final) and Cobertura to per-file line figures, and path globs.
import { describe, expect, it } from 'vitest';
import { globToRegExp, readCoverage } from '../../src/derive/coverage.js';

describe('coverage', () => {
  it('reads every report format to the same per-file figures', () => {
    const root = '/srv/app';
    const summary = JSON.stringify({ total: {}, '/srv/app/src/auth/login.ts': { lines: { total: 10, covered: 7 } } });
    const final = JSON.stringify({ '/srv/app/src/auth/login.ts': { path: '/srv/app/src/auth/login.ts', statementMap: { 0: { start: { line: 1 } }, 1: { start: { line: 2 } }, 2: { start: { line: 2 } } }, s: { 0: 1, 1: 0, 2: 3 } } });
    const xml = '<coverage><sources><source>/srv/app</source></sources><packages><package><classes><class name="l" filename="src/auth/login.ts"><lines><line number="1" hits="1"/><line number="2" hits="0"/></lines></class></classes></package></packages></coverage>';
    expect(readCoverage({ path: 's.json', text: summary, format: 'istanbul-summary' }, root)).toEqual([{ file: 'src/auth/login.ts', lines: 10, covered: 7 }]);
    expect(readCoverage({ path: 'f.json', text: final, format: 'istanbul-final' }, root)).toEqual([{ file: 'src/auth/login.ts', lines: 2, covered: 2 }]);
    expect(readCoverage({ path: 'c.xml', text: xml, format: 'cobertura' }, root)).toEqual([{ file: 'src/auth/login.ts', lines: 2, covered: 1 }]);
    expect(globToRegExp('src/auth/**').test('src/auth/a/b.ts')).toBe(true);
    expect(globToRegExp('*.ts').test('deep/x.ts')).toBe(true);
    expect(globToRegExp('src/*.ts').test('src/a/b.ts')).toBe(false);
  });

  it('skips istanbul entries that are not objects instead of throwing', () => {
    const summary = JSON.stringify({ total: {}, 'src/a.ts': null, 'src/b.ts': { lines: { total: 4, covered: 'x' } } });
    expect(readCoverage({ path: 's.json', text: summary, format: 'istanbul-summary' }, '')).toEqual([{ file: 'src/b.ts', lines: 4, covered: 0 }]);
  });
});
