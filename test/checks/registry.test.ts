// Every check module is registered, named after its file, in its area's folder, with complete meta.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../src/checks/index.js';
import { AREAS, IMPACTS, SEVERITIES } from '../../src/types.js';

const root = join(import.meta.dirname, '../../src/checks');

function checkFiles(): { area: string; id: string; text: string }[] {
  const out: { area: string; id: string; text: string }[] = [];
  for (const area of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const f of readdirSync(join(root, area.name)).filter((n) => n.endsWith('.ts'))) {
      const text = readFileSync(join(root, area.name, f), 'utf8');
      if (/export default defineCheck\(/.test(text)) out.push({ area: area.name, id: basename(f, '.ts'), text });
    }
  }
  return out;
}

describe('check registry', () => {
  const files = checkFiles();

  it('registers every check module exactly once', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(allChecks.map((c) => `${c.area}/${c.id}`).sort()).toEqual(files.map((f) => `${f.area}/${f.id}`).sort());
  });

  for (const check of allChecks) {
    it(`${check.area}.${check.id} has complete meta`, () => {
      expect(check.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(AREAS).toContain(check.area);
      expect(SEVERITIES).toContain(check.severity);
      expect(IMPACTS).toContain(check.impact);
      expect(check.title.length).toBeGreaterThan(10);
      expect(check.description.length, 'description says what breaks for users').toBeGreaterThan(40);
      expect(check.remediation.length).toBeGreaterThan(20);
      const codes = Object.keys(check.messages);
      expect(codes.length).toBeGreaterThan(0);
      for (const code of codes) {
        expect(code).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
        const spec = check.messages[code]!;
        if (spec.severity) expect(SEVERITIES).toContain(spec.severity);
        if (spec.impact) expect(IMPACTS).toContain(spec.impact);
      }
      for (const ref of check.references) expect(ref).toMatch(/^https:\/\//);
    });
  }

  it('check ids are unique', () => {
    expect(new Set(allChecks.map((c) => c.id)).size).toBe(allChecks.length);
  });

  it('checks import no I/O module', () => {
    for (const f of files) {
      expect(f.text, `${f.area}/${f.id}`).not.toMatch(/from '(node:|fs|net|dgram|tls|dns|http|undici|dns-packet)|collect\//);
    }
  });
});
