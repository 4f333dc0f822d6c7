// The check reference cannot drift: docs/checks.md must be what `npm run docs` writes from the checks' meta now,
// and no check may ship without the words a founder reads (what breaks, how to fix it).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../src/checks/index.js';
import { renderCheckReference } from '../src/report/check-reference.js';
import { catalogOf } from '../src/run/catalog.js';

describe('check reference', () => {
  it.each(allChecks.map((c) => [`${c.area}.${c.id}`, c] as const))('%s has a title, what breaks, a fix and a reference', (_, c) => {
    expect(c.title.trim().length).toBeGreaterThan(5);
    expect(c.description.trim().length).toBeGreaterThan(20);
    expect(c.remediation.trim().length).toBeGreaterThan(20);
    expect(c.references.length).toBeGreaterThan(0);
  });

  it('docs/checks.md is up to date (run `npm run docs` after changing a check)', () => {
    const committed = readFileSync(new URL('../docs/checks.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderCheckReference(catalogOf(allChecks)));
  });

  it('lists every check once', () => {
    const text = renderCheckReference(catalogOf(allChecks));
    for (const c of allChecks) expect(text.split(`| \`${c.area}.${c.id}\` |`).length - 1).toBe(1);
  });
});
