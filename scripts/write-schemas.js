// Writes schemas/config.schema.json and schemas/report.schema.json from the compiled zod schemas (run by `npm run build`).
import { writeFileSync } from 'node:fs';
import { jsonSchemaFor } from '../dist/cli/schema.js';

for (const which of ['config', 'report']) {
  writeFileSync(new URL(`../schemas/${which}.schema.json`, import.meta.url), `${JSON.stringify(await jsonSchemaFor(which), null, 2)}\n`);
}
