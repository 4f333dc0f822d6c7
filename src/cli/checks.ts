// `launch-ready checks`: the catalogue of checks, as a table or JSON.
import Table from 'cli-table3';
import { allChecks } from '../checks/index.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

export async function checksCommand(flags: { format: string }, streams: Streams): Promise<number> {
  const rows = allChecks.map((c) => ({ id: c.id, area: c.area, severity: c.severity, title: c.title, description: c.description, remediation: c.remediation, references: c.references, requires: [...c.requires] }));
  if (flags.format === 'json') {
    streams.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.go;
  }
  const table = new Table({ head: ['id', 'area', 'severity', 'title'], style: { head: [], border: [] } });
  for (const r of rows) table.push([`${r.area}.${r.id}`, r.area, r.severity, r.title]);
  streams.stdout.write(`${table.toString()}\n${rows.length} checks. Use --only/--skip with an area or a check id.\n`);
  return EXIT.go;
}
