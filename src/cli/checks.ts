// `launch-ready checks`: the catalogue of checks, as aligned text or JSON. It reads the catalogue the build wrote
// (dist/checks/catalog.json) so listing does not load every check and its parsers; from sources it builds it.
import { readFile } from 'node:fs/promises';
import type { AnyCheck } from '../checks/define.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

export interface CatalogEntry {
  id: string;
  area: string;
  severity: string;
  impact: string;
  title: string;
  description: string;
  remediation: string;
  references: string[];
  requires: string[];
  codes: string[];
}

export function catalogOf(checks: readonly AnyCheck[]): CatalogEntry[] {
  return checks.map((c) => ({
    id: c.id, area: c.area, severity: c.severity, impact: c.impact, title: c.title,
    description: c.description, remediation: c.remediation, references: c.references, requires: [...c.requires],
    codes: Object.keys(c.messages),
  }));
}

async function loadCatalog(): Promise<CatalogEntry[]> {
  try {
    return JSON.parse(await readFile(new URL('../checks/catalog.json', import.meta.url), 'utf8')) as CatalogEntry[];
  } catch {
    return catalogOf((await import('../checks/index.js')).allChecks);
  }
}

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
