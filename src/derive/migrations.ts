// Reads migration files (SQL for PostgreSQL, and Rails' Ruby DSL) into statements with line numbers, and finds the
// operations that lock or break a live database during a deploy. Pure: text in, problems out.
import type { MigrationFile } from '../facts/deploy.js';

export type MigrationProblem =
  | 'not-null-without-default'
  | 'set-not-null'
  | 'index-without-concurrently'
  | 'constraint-without-not-valid'
  | 'column-type-change'
  | 'rename'
  | 'drop'
  | 'backfill-in-migration';

export interface Statement {
  text: string;
  line: number;
}

export interface MigrationHit {
  problem: MigrationProblem;
  line: number;
  /** The object it touches: table, table.column or index. */
  object: string;
  statement: string;
}

/** Splits SQL into statements, skipping comments and respecting quotes and dollar-quoted bodies. */
export function splitSql(sql: string): Statement[] {
  const out: Statement[] = [];
  let cur = '';
  let line = 1;
  let start = 0;
  let i = 0;
  const push = () => {
    const text = cur.replace(/\s+/g, ' ').trim();
    if (text) out.push({ text, line: start || line });
    cur = '';
    start = 0;
  };
  const add = (s: string) => {
    if (!start && s.trim()) start = line;
    cur += s;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const two = sql.slice(i, i + 2);
    if (two === '--') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
      continue;
    }
    if (two === '/*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      line += (sql.slice(i, stop).match(/\n/g) ?? []).length;
      cur += ' ';
      i = stop;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      const s = sql.slice(i, j + 1);
      add(s);
      line += (s.match(/\n/g) ?? []).length;
      i = j + 1;
      continue;
    }
    const dollar = /^\$([A-Za-z_]\w*)?\$/.exec(sql.slice(i, i + 64));
    if (dollar) {
      const tag = dollar[0];
      const end = sql.indexOf(tag, i + tag.length);
      const stop = end < 0 ? sql.length : end + tag.length;
      const s = sql.slice(i, stop);
      add(s);
      line += (s.match(/\n/g) ?? []).length;
      i = stop;
      continue;
    }
    if (c === ';') {
      push();
      i++;
      continue;
    }
    if (c === '\n') line++;
    add(c);
    i++;
  }
  push();
  return out;
}

const ident = String.raw`(?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))?`;
const unquote = (s: string) => s.replace(/"/g, '').toLowerCase();

/** Splits an ALTER TABLE's action list on top-level commas. */
function clauses(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of body) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { out.push(cur.trim()); cur = ''; } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function sqlHits(file: MigrationFile): MigrationHit[] {
  const statements = splitSql(file.text);
  // Operations on a table this same migration creates touch an empty table: no lock worth a finding.
  const created = new Set(statements.flatMap((s) => {
    const m = new RegExp(String.raw`^CREATE\s+(?:UNLOGGED\s+|TEMP(?:ORARY)?\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(${ident})`, 'i').exec(s.text);
    return m ? [unquote(m[1]!)] : [];
  }));
  const isNew = (table: string) => created.has(unquote(table));
  const hits: MigrationHit[] = [];
  const hit = (problem: MigrationProblem, s: Statement, object: string) => hits.push({ problem, line: s.line, object: unquote(object), statement: s.text });
  for (const s of statements) {
    const t = s.text;
    const alter = new RegExp(String.raw`^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(${ident})\s+(.*)$`, 'is').exec(t);
    if (alter) {
      const table = alter[1]!;
      const rename = new RegExp(String.raw`^RENAME\s+(?:COLUMN\s+)?(${ident})\s+TO\s+`, 'i').exec(alter[2]!);
      if (/^RENAME\s+TO\s+/i.test(alter[2]!)) { hit('rename', s, table); continue; }
      if (rename) { hit('rename', s, `${unquote(table)}.${unquote(rename[1]!)}`); continue; }
      for (const clause of clauses(alter[2]!)) {
        const add = new RegExp(String.raw`^ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(${ident})\s+(.*)$`, 'is').exec(clause);
        const isConstraint = /^ADD\s+(CONSTRAINT\s+\S+\s+)?(FOREIGN\s+KEY|CHECK|PRIMARY\s+KEY|UNIQUE|EXCLUDE)\b/i.test(clause);
        if (isConstraint) {
          if (/\b(FOREIGN\s+KEY|CHECK)\b/i.test(clause) && !/\bNOT\s+VALID\b/i.test(clause) && !isNew(table)) hit('constraint-without-not-valid', s, table);
        } else if (add) {
          if (/\bNOT\s+NULL\b/i.test(add[2]!) && !/\bDEFAULT\b/i.test(add[2]!) && !/\bGENERATED\b/i.test(add[2]!) && !isNew(table)) {
            hit('not-null-without-default', s, `${unquote(table)}.${unquote(add[1]!)}`);
          }
        }
        const col = new RegExp(String.raw`^ALTER\s+(?:COLUMN\s+)?(${ident})\s+(.*)$`, 'is').exec(clause);
        if (col) {
          if (/^SET\s+NOT\s+NULL\b/i.test(col[2]!) && !isNew(table)) hit('set-not-null', s, `${unquote(table)}.${unquote(col[1]!)}`);
          if (/^(SET\s+DATA\s+)?TYPE\b/i.test(col[2]!) && !isNew(table)) hit('column-type-change', s, `${unquote(table)}.${unquote(col[1]!)}`);
        }
        const drop = new RegExp(String.raw`^DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?(${ident})`, 'i').exec(clause);
        if (drop && !/^DROP\s+(CONSTRAINT|DEFAULT|NOT\s+NULL|IDENTITY|EXPRESSION)\b/i.test(clause)) hit('drop', s, `${unquote(table)}.${unquote(drop[1]!)}`);
      }
      continue;
    }
    const index = new RegExp(String.raw`^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:${ident}\s+)?ON\s+(?:ONLY\s+)?(${ident})`, 'i').exec(t);
    if (index) {
      if (!index[1] && !isNew(index[2]!)) hit('index-without-concurrently', s, index[2]!);
      continue;
    }
    const dropTable = new RegExp(String.raw`^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(${ident})`, 'i').exec(t);
    if (dropTable) { hit('drop', s, dropTable[1]!); continue; }
    const dml = new RegExp(String.raw`^(?:WITH\s+.*?\)\s*)?(UPDATE\s+(?:ONLY\s+)?(${ident})|DELETE\s+FROM\s+(?:ONLY\s+)?(${ident})|INSERT\s+INTO\s+(${ident})[^;]*?\bSELECT\b)`, 'is').exec(t);
    if (dml) {
      const table = dml[2] ?? dml[3] ?? dml[4]!;
      if (!isNew(table)) hit('backfill-in-migration', s, table);
    }
  }
  return hits;
}

function railsHits(file: MigrationFile): MigrationHit[] {
  const hits: MigrationHit[] = [];
  const lines = file.text.split('\n');
  const created = new Set([...file.text.matchAll(/create_table\s+[:"']?(\w+)/g)].map((m) => m[1]!.toLowerCase()));
  const sym = String.raw`[:"']?(\w+)["']?`;
  lines.forEach((raw, i) => {
    const l = raw.replace(/#.*$/, '');
    const line = i + 1;
    const push = (problem: MigrationProblem, object: string) => hits.push({ problem, line, object: object.toLowerCase(), statement: raw.trim() });
    let m: RegExpExecArray | null;
    if ((m = new RegExp(String.raw`\badd_column\s+${sym}\s*,\s*${sym}`).exec(l)) && /null:\s*false/.test(l) && !/default:/.test(l) && !created.has(m[1]!.toLowerCase())) push('not-null-without-default', `${m[1]}.${m[2]}`);
    if ((m = new RegExp(String.raw`\bchange_column_null\s+${sym}\s*,\s*${sym}\s*,\s*false`).exec(l))) push('set-not-null', `${m[1]}.${m[2]}`);
    if ((m = new RegExp(String.raw`\badd_index\s+${sym}`).exec(l)) && !/algorithm:\s*:concurrently/.test(l) && !created.has(m[1]!.toLowerCase())) push('index-without-concurrently', m[1]!);
    if ((m = new RegExp(String.raw`\b(add_foreign_key|add_check_constraint)\s+${sym}`).exec(l)) && !/validate:\s*false/.test(l) && !created.has(m[2]!.toLowerCase())) push('constraint-without-not-valid', m[2]!);
    if ((m = new RegExp(String.raw`\bchange_column\s+${sym}\s*,\s*${sym}`).exec(l))) push('column-type-change', `${m[1]}.${m[2]}`);
    if ((m = new RegExp(String.raw`\brename_column\s+${sym}\s*,\s*${sym}`).exec(l))) push('rename', `${m[1]}.${m[2]}`);
    if ((m = new RegExp(String.raw`\brename_table\s+${sym}`).exec(l))) push('rename', m[1]!);
    if ((m = new RegExp(String.raw`\bremove_column\s+${sym}\s*,\s*${sym}`).exec(l))) push('drop', `${m[1]}.${m[2]}`);
    if ((m = new RegExp(String.raw`\bdrop_table\s+${sym}`).exec(l))) push('drop', m[1]!);
    if ((m = /\b(\w+)\.(update_all|delete_all|in_batches)\b/.exec(l)) || (m = /\bexecute\s*\(?\s*(?:<<~?\w+|["'])\s*(UPDATE|DELETE)\b/i.exec(l))) push('backfill-in-migration', m[1]!);
  });
  return hits;
}

export function migrationHits(file: MigrationFile): MigrationHit[] {
  return file.dialect === 'rails' ? railsHits(file) : sqlHits(file);
}
