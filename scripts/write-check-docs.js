// Writes docs/checks.md from the built catalogue (run after `npm run build`; `npm run docs` does both).
import { writeFileSync } from 'node:fs';
import { allChecks } from '../dist/checks/index.js';
import { catalogOf } from '../dist/run/catalog.js';
import { renderCheckReference } from '../dist/report/check-reference.js';

writeFileSync(new URL('../docs/checks.md', import.meta.url), renderCheckReference(catalogOf(allChecks)));
