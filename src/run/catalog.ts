// The catalogue of checks (id, area, severity, title, what breaks, fix): written at build time so `checks` lists
// them without loading every check and its parsers; built from the sources when no build is there.
import { readFile } from 'node:fs/promises';
import type { AnyCheck } from '../checks/define.js';

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

export async function loadCatalog(): Promise<CatalogEntry[]> {
  try {
    return JSON.parse(await readFile(new URL('../checks/catalog.json', import.meta.url), 'utf8')) as CatalogEntry[];
  } catch {
    return catalogOf((await import('../checks/index.js')).allChecks);
  }
}
