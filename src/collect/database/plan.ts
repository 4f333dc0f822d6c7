// Generic plans of the top statements, read safely: only plain SELECTs are explained (never ANALYZE, so nothing
// runs), and the plan tree is reduced to the sequential scans and indexes it uses.
import type { PlanSeqScan } from '../../facts/database.js';

/** Why a statement must not be explained, or undefined when it is a plain read. */
export function unsafeToExplain(query: string): string | undefined {
  const text = query.trim();
  if (text.length > 8000) return 'statement too long to explain';
  if (/;\s*\S/.test(text)) return 'several statements in one';
  const body = text.replace(/^(?:\/\*[\s\S]*?\*\/\s*|--[^\n]*\n\s*)+/, '');
  if (!/^(?:select|with|table|values)\b/i.test(body)) return 'not a SELECT (writes and utility statements are never explained)';
  if (/\binto\b/i.test(body.replace(/'(?:[^']|'')*'/g, "''"))) return 'SELECT INTO creates a table';
  if (/\bfor\s+(?:update|share|no\s+key\s+update|key\s+share)\b/i.test(body)) return 'a locking SELECT (FOR UPDATE/SHARE)';
  if (/\b(?:insert|update|delete|merge|truncate|copy|call|do|lock|refresh|create|alter|drop|grant|revoke|vacuum|analyze|listen|notify)\b/i.test(body.replace(/'(?:[^']|'')*'/g, "''").replace(/"(?:[^"]|"")*"/g, '""'))) {
    return 'a SELECT with a writing or utility part';
  }
  return undefined;
}

/** Highest $n placeholder in a normalized statement (PostgreSQL numbers them from 1). */
export function parameterCount(query: string): number {
  let max = 0;
  for (const m of query.replace(/'(?:[^']|'')*'/g, "''").matchAll(/\$(\d+)\b/g)) max = Math.max(max, Number(m[1]));
  return max;
}

interface PlanNode {
  'Node Type'?: string;
  'Relation Name'?: string;
  Schema?: string;
  Alias?: string;
  Filter?: string;
  'Index Name'?: string;
  'Plan Rows'?: number;
  'Total Cost'?: number;
  'Sort Key'?: string[];
  Plans?: PlanNode[];
}

export interface PlanSummary {
  totalCost: number;
  seqScans: Omit<PlanSeqScan, 'columns' | 'sortColumns' | 'equalityOnly'>[];
  indexes: string[];
}

/** Walks EXPLAIN (FORMAT JSON) output; bounded in depth and node count, since the plan is the server's data. */
export function summarizePlan(json: unknown): PlanSummary {
  const root = (Array.isArray(json) ? json[0] : json) as { Plan?: PlanNode } | undefined;
  const out: PlanSummary = { totalCost: root?.Plan?.['Total Cost'] ?? 0, seqScans: [], indexes: [] };
  let seen = 0;
  const visit = (node: PlanNode | undefined, depth: number, parent?: PlanNode) => {
    if (!node || depth > 64 || ++seen > 2000) return;
    if (node['Node Type'] === 'Seq Scan' && node['Relation Name']) {
      // A Sort fed straight by the scan is an ORDER BY the same index could deliver in order.
      const sortKeys = parent?.['Node Type'] === 'Sort' ? (parent['Sort Key'] ?? []).slice(0, 4).map((k) => k.slice(0, 100)) : [];
      out.seqScans.push({
        schema: node.Schema ?? 'public',
        table: node['Relation Name'],
        ...(node.Filter ? { filter: node.Filter.slice(0, 300) } : {}),
        planRows: node['Plan Rows'] ?? 0,
        ...(sortKeys.length > 0 ? { sortKeys } : {}),
      });
    }
    if (node['Index Name'] && !out.indexes.includes(node['Index Name'])) out.indexes.push(node['Index Name']);
    for (const child of node.Plans ?? []) visit(child, depth + 1, node);
  };
  visit(root?.Plan, 0);
  return out;
}

const OPERAND = String.raw`((?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)(?:\.(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*))?)\)?(?:::[A-Za-z_ "\[\]]+?)?`;
const COMPARISON = new RegExp(String.raw`\(*${OPERAND}\s*(=|<>|!=|<=|>=|<|>|~~\*?|!~~\*?|IS\s+(?:NOT\s+)?NULL|=\s*ANY)`, 'gi');

function lastPart(ref: string): string {
  const parts = ref.match(/"(?:[^"]|"")+"|[^.]+/g) ?? [ref];
  return parts[parts.length - 1]!;
}

/**
 * The table columns a plan filter compares, equality first (the order an index should list them), resolved against
 * the table's real columns (quote_ident spelling), so a function name or a parameter is never taken for a column.
 */
export function filterColumns(filter: string, tableColumns: ReadonlySet<string>): string[] {
  return filterColumnsDetail(filter, tableColumns).columns;
}

/** Sort keys (`orders.created_at DESC`) that are plain columns of the table; stops at the first that is not. */
export function sortColumns(keys: readonly string[], tableColumns: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const key of keys) {
    const m = /^((?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)(?:\.(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*))?)(?:\s+(?:DESC|ASC|NULLS\s+(?:FIRST|LAST)))*\s*$/i.exec(key.trim());
    const col = m ? lastPart(m[1]!) : undefined;
    if (!col || !tableColumns.has(col)) break;
    out.push(col);
  }
  return out;
}

export function filterColumnsDetail(filter: string, tableColumns: ReadonlySet<string>): { columns: string[]; equalityOnly: boolean } {
  const eq: string[] = [];
  const other: string[] = [];
  for (const m of filter.matchAll(COMPARISON)) {
    const col = lastPart(m[1]!);
    if (!tableColumns.has(col)) continue;
    const op = m[2]!.replace(/\s+/g, ' ').toUpperCase();
    const list = op === '=' || op === '= ANY' || op.startsWith('IS') ? eq : other;
    if (!eq.includes(col) && !other.includes(col)) list.push(col);
  }
  return { columns: [...eq, ...other].slice(0, 4), equalityOnly: other.length === 0 && eq.length > 0 && !/\bOR\b/i.test(filter) };
}
