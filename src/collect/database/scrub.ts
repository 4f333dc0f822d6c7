// Literal scrubbing for live query texts: pg_stat_activity shows statements with their values (emails, tokens),
// which must never reach a report. Strings, numbers and dollar-quoted bodies become $n, like pg_stat_statements.

/** Replaces every literal in SQL text by a placeholder and bounds its length. */
export function scrubLiterals(sql: string, max = 500): string {
  // Numbering continues after the text's own $n parameters, in reading order, as pg_stat_statements does.
  let n = 0;
  for (const m of sql.matchAll(/\$(\d+)\b/g)) n = Math.max(n, Number(m[1]));
  const literal = new RegExp([
    // Dollar-quoted bodies ($$...$$, $tag$...$tag$).
    String.raw`\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$\1\$`,
    // Standard, escape (E'...'), bit and hex strings, with doubled quotes or backslash escapes inside.
    String.raw`(?:\b[EeBbXxUu]&?)?'(?:[^'\\]|''|\\.)*'`,
    // Numbers that are not part of an identifier or an existing $n placeholder.
    String.raw`(?<![\w$.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\b`,
  ].join('|'), 'g');
  let out = sql.replace(literal, () => `$${++n}`);
  // An unterminated string (a truncated text) would leak its tail: cut at the quote.
  const open = out.indexOf("'");
  if (open >= 0) out = `${out.slice(0, open)}…`;
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

/** Collapses whitespace and bounds a normalized statement for reports. */
export function oneLine(sql: string, max = 300): string {
  const out = sql.replace(/\s+/g, ' ').trim();
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}
