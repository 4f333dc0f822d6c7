// `launch-ready checks`: the catalogue of checks, as aligned text or JSON.
import { loadCatalog } from '../run/catalog.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

export async function checksCommand(flags: { format: string }, streams: Streams): Promise<number> {
  const rows = await loadCatalog();
  if (flags.format === 'json') {
    streams.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.go;
  }
  const head = ['CHECK', 'AREA', 'SEVERITY', 'TITLE'];
  const cells = rows.map((r) => [`${r.area}.${r.id}`, r.area, r.severity, r.title]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (cols: string[]) => cols.map((c, i) => (i === cols.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const out = [line(head), ...cells.map(line), '', `${rows.length} checks. Select with --only/--skip by area (e.g. dns) or check id (e.g. dangling-cname).`];
  streams.stdout.write(`${out.join('\n')}\n`);
  return EXIT.go;
}
