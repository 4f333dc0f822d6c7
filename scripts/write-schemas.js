// Build step (run by `npm run build`): writes schemas/{config,report}.schema.json from the compiled zod schemas, and
// dist/checks/catalog.json, the checks' meta, so `launch-ready checks` lists them without loading every check.
import { writeFileSync } from 'node:fs';
import { allChecks } from '../dist/checks/index.js';
import { catalogOf } from '../dist/run/catalog.js';
import { jsonSchemaFor } from '../dist/cli/schema.js';

for (const which of ['config', 'report']) {
  writeFileSync(new URL(`../schemas/${which}.schema.json`, import.meta.url), `${JSON.stringify(await jsonSchemaFor(which), null, 2)}\n`);
}
writeFileSync(new URL('../dist/checks/catalog.json', import.meta.url), `${JSON.stringify(catalogOf(allChecks))}\n`);
