// JSON reporter: the report as stable, diffable JSON whose key order follows ReportSchema.
import { z } from 'zod';
import type { Report } from '../types.js';
import { ReportSchema } from './schema.js';

/** Pretty-printed report with keys in schema order, so two runs over the same facts diff cleanly. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(ordered(report, ReportSchema), null, 2)}\n`;
}

// Walking the schema rather than hard-coding key lists keeps the order right when fields are added.
function ordered(value: unknown, schema: z.ZodType): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (schema instanceof z.ZodOptional) return ordered(value, schema.unwrap() as z.ZodType);
  if (Array.isArray(value)) {
    const element = schema instanceof z.ZodArray ? (schema.element as z.ZodType) : undefined;
    return value.map((item: unknown) => (element ? ordered(item, element) : sortedDeep(item)));
  }
  const obj = value as Record<string, unknown>;
  if (schema instanceof z.ZodObject) {
    const out: Record<string, unknown> = {};
    // Keys outside the schema are dropped: the output must stay valid against the published JSON Schema.
    for (const [key, fieldSchema] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      if (obj[key] !== undefined) out[key] = ordered(obj[key], fieldSchema);
    }
    return out;
  }
  // Records (args, details) have no schema order; sorting makes output independent of insertion order.
  return sortedDeep(obj);
}

function sortedDeep(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedDeep);
  const obj = value as Record<string, unknown>;
  // A Date (or similar) in details serialises through toJSON; rebuilding it would turn it into {}.
  if (typeof obj.toJSON === 'function') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj).sort()) {
    if (obj[key] !== undefined) out[key] = sortedDeep(obj[key]);
  }
  return out;
}
