// `launch-ready schema config|report`: JSON Schemas generated from the zod schemas (also shipped in schemas/).
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

export async function jsonSchemaFor(which: 'config' | 'report'): Promise<object> {
  const { z } = await import('zod');
  if (which === 'config') {
    const { ConfigSchema } = await import('../config/schema.js');
    return { $id: 'https://launch-ready.dev/schemas/config.schema.json', title: 'launch-ready config', ...z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) };
  }
  const { ReportSchema } = await import('../report/schema.js');
  return { $id: 'https://launch-ready.dev/schemas/report.schema.json', title: 'launch-ready JSON report', ...z.toJSONSchema(ReportSchema, { io: 'output', unrepresentable: 'any' }) };
}

export async function schemaCommand(which: 'config' | 'report', streams: Streams): Promise<number> {
  streams.stdout.write(`${JSON.stringify(await jsonSchemaFor(which), null, 2)}\n`);
  return EXIT.go;
}
