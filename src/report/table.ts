// Terminal reporter for a first-time reader: verdict first, then what to fix in order, then what could not be checked.
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { CheckOutcome, CheckStatus, Finding, Location, Occurrence, Report, Severity, Summary } from '../types.js';
import { CHECK_STATUSES, SEVERITIES } from '../types.js';
import { DISCOVERY_SOURCES } from '../facts/discover.js';

export interface TableOptions {
  color: boolean;
  /** Terminal columns, e.g. 100; use 100 when unknown. */
  width: number;
  /** Full check notes instead of one line per check, plus evidence, references and ids on each risk. */
  verbose?: boolean;
}

type Paint = (text: string) => string;

const plain: Paint = (text) => text;
const DEFAULT_WIDTH = 100;
// Below this the fixed columns (severity, status, timings) leave no room for text; above it lines get too long to read.
const MIN_WIDTH = 60;
const MAX_WIDTH = 160;
const BANNER_MAX = 80;
const LABEL_INDENT = 11;

export function renderTable(report: Report, opts: TableOptions): string {
  // An explicit level, never the global instance: output must depend on opts alone, not on the TTY or env.
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const width = effectiveWidth(opts.width);
  const verbose = opts.verbose ?? false;
  const open = report.findings.filter((f) => !f.accepted);
  const accepted = report.findings.filter((f) => f.accepted);

  const blocks: string[][] = [
    banner(report, width, c),
    rankedSection(open, accepted.length, report.incomplete.length > 0, width, verbose, c),
  ];
  if (accepted.length > 0) blocks.push(acceptedSection(accepted, width, c));
  if (report.incomplete.length > 0) blocks.push(incompleteSection(report, width, c));
  blocks.push(checksSection(report.checks, width, verbose, c));
  blocks.push(footer(report, width, c));

  // Padding from borderless tables would otherwise leave trailing blanks that terminals and diffs show.
  const text = blocks.map((lines) => lines.join('\n')).join('\n\n');
  return `${text.split('\n').map((line) => line.trimEnd()).join('\n')}\n`;
}

function effectiveWidth(width: number): number {
  if (!Number.isFinite(width) || width <= 0) return DEFAULT_WIDTH;
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.floor(width)));
}


function banner(report: Report, width: number, c: ChalkInstance): string[] {
  const look = {
    go: { word: 'GO', paint: c.green, badge: c.bold.black.bgGreen, tagline: 'Ready to launch: no blocking risks found.' },
    'no-go': { word: 'NO-GO', paint: c.red, badge: c.bold.white.bgRed, tagline: 'Do not launch yet: fix the blocking risks below.' },
    incomplete: {
      word: 'INCOMPLETE', paint: c.yellow, badge: c.bold.black.bgYellow,
      tagline: 'Not verified: some checks could not finish, and an unknown is not a pass.',
    },
  }[report.verdict];

  const boxWidth = Math.min(width, BANNER_MAX);
  const inner = boxWidth - 2;
  const badge = ` ${look.word} `;
  const beside = 3 + badge.length + 3;
  // On narrow terminals the tagline goes under the badge instead of beside it.
  const besideFits = inner - beside - 2 >= 16;
  const tagIndent = besideFits ? beside : 3;
  const tagLines = flow([{ text: look.tagline }], inner - tagIndent - 2);
  const body: string[] = [];
  if (besideFits) {
    tagLines.forEach((line, i) => {
      const lead = i === 0 ? `   ${look.badge(badge)}   ` : ' '.repeat(beside);
      body.push(lead + line);
    });
  } else {
    body.push(`   ${look.badge(badge)}`);
    for (const line of tagLines) body.push(' '.repeat(tagIndent) + line);
  }
  const side = look.paint('┃');
  const blank = side + ' '.repeat(inner) + side;
  const box = [
    look.paint(`┏${'━'.repeat(inner)}┓`),
    blank,
    ...body.map((line) => side + line + ' '.repeat(Math.max(0, inner - visibleLength(line))) + side),
    blank,
    look.paint(`┗${'━'.repeat(inner)}┛`),
  ];

  const domains = report.target.domains.length > 0 ? report.target.domains : report.target.hosts;
  return [
    ...box,
    ...labelled('Target', [{ text: domains.length > 0 ? domains.join(', ') : '(none given)' }], width, c),
    ...(report.target.discovery ? labelled('Hosts', [{ text: discoveryLine(report.target) }], width, c) : []),
    ...labelled('Why', [{ text: report.verdictReason }], width, c),
    ...labelled('Found', countPieces(report.summary, c), width, c),
  ];
}

const SOURCE_NAMES: Record<string, string> = {
  mx: 'MX', ns: 'NS', spf: 'SPF', dmarc: 'DMARC', cname: 'CNAME', srv: 'SRV', 'zone-transfer': 'zone transfer', online: 'online',
};

/** "Discovered 7 hosts beyond the 5 standard ones (wordlist 5, certificate 1, MX 1)", each host under its first source. */
export function discoveryLine(target: Report['target']): string {
  const d = target.discovery!;
  const bySource = new Map<string, number>();
  for (const h of target.discovered ?? []) {
    const s = h.via[0]?.source ?? 'wordlist';
    bySource.set(s, (bySource.get(s) ?? 0) + 1);
  }
  // Most hosts first; a tie in the sources' own order (wordlist, certificate, page, MX, ...).
  const order = (s: string) => (DISCOVERY_SOURCES as readonly string[]).indexOf(s);
  const sources = [...bySource].sort(([a, x], [b, y]) => y - x || order(a) - order(b)).map(([s, n]) => `${SOURCE_NAMES[s] ?? s} ${n}`).join(', ');
  let text = d.found === 0
    ? `Discovery found no hosts beyond the ${d.standard} standard ones`
    : `Discovered ${d.found} host${d.found === 1 ? '' : 's'} beyond the ${d.standard} standard one${d.standard === 1 ? '' : 's'} (${sources})`;
  if (d.cut > 0) text += `; ${d.cut} more left out (discover.maxHosts)`;
  if (d.exhausted) text += `; stopped early: ${d.exhausted === 'time' ? 'time' : 'query'} budget spent`;
  if (d.wildcards.length) text += `; wildcard answers ignored on ${d.wildcards.join(', ')}`;
  if (d.errors?.length) text += `; ${d.errors.length === 1 ? d.errors[0]! : `${d.errors.length} source problems (${d.errors[0]!}, ...)`}`;
  return `${text}.`;
}

function countPieces(summary: Summary, c: ChalkInstance): Piece[] {
  const pieces: Piece[] = [];
  for (const severity of SEVERITIES) {
    const n = summary[severity];
    pieces.push({ text: `${n} ${severity}`, style: n > 0 ? severityPaint(severity, c) : c.dim, atomic: true });
    pieces.push({ text: '·', style: c.dim, attach: true });
  }
  pieces.push({ text: `${summary.accepted} accepted`, style: summary.accepted > 0 ? plain : c.dim, atomic: true });
  pieces.push({ text: '·', style: c.dim, attach: true });
  pieces.push({ text: `open problems at ${summary.places} place${summary.places === 1 ? '' : 's'}`, style: c.dim, atomic: true });
  return pieces;
}

/** Continuation lines align under the value so a wrapped reason still reads as one field. */
function labelled(label: string, pieces: Piece[], width: number, c: ChalkInstance): string[] {
  const lines = flow(pieces, width - LABEL_INDENT);
  return lines.map((line, i) => (i === 0 ? `  ${c.bold(label.padEnd(LABEL_INDENT - 2))}` : ' '.repeat(LABEL_INDENT)) + line);
}


function rankedSection(
  open: Finding[], acceptedCount: number, incomplete: boolean, width: number, verbose: boolean, c: ChalkInstance,
): string[] {
  const lines = heading(`Ranked risks (${open.length})`, 'Most urgent first. Fix from the top down.', width, c);
  if (open.length === 0) {
    let note = 'No open risks found.';
    if (acceptedCount > 0) note += ` ${plural(acceptedCount, 'accepted risk')} listed below.`;
    // A clean table next to unfinished checks would read as an all-clear; say that it is not.
    if (incomplete) note += ' Some checks could not finish, so this is not an all-clear: see "Could not be completed".';
    return [...lines, ...flow([{ text: note }], width)];
  }

  const rankW = Math.max(1, ...open.map((f) => String(f.rank).length)) + 2;
  const sevW = 'critical'.length + 2;
  const rest = width - 5 - rankW - sevW;
  const whereW = clamp(Math.round(rest * 0.28), 12, 34);
  const textW = rest - whereW;

  const table = newTable(
    [c.bold('#'), c.bold('Severity'), c.bold('Where'), c.bold("What's wrong, what breaks, how to fix")],
    [rankW, sevW, whereW, textW],
  );
  for (const f of open) {
    const text = [
      ...flow([{ text: f.message }], textW - 2),
      ...flow([{ text: 'Breaks:', style: c.bold }, { text: f.whatBreaks }], textW - 2),
      ...flow([{ text: 'Fix:', style: c.bold.green }, { text: f.remediation }], textW - 2),
    ];
    if (f.count > 1) {
      text.push(...flow([{ text: `${f.count} places:`, style: c.bold }], textW - 2));
      for (const o of f.occurrences) text.push(...flow([{ text: `- ${placeText(o)}${o.accepted ? ` (accepted: ${o.accepted})` : ''}` }], textW - 2));
    }
    if (verbose) {
      if (f.evidence) text.push(...flow([{ text: 'Evidence:', style: c.bold }, { text: f.evidence }], textW - 2));
      for (const ref of f.references) text.push(...flow([{ text: 'See:', style: c.bold }, { text: ref }], textW - 2));
      text.push(...flow([{ text: `id ${f.id}`, style: c.dim }], textW - 2));
    }
    table.push([
      String(f.rank),
      severityPaint(f.severity, c)(f.severity),
      cell([...where(f.location, whereW - 2), ...morePlaces(f, whereW - 2)], whereW),
      cell(text, textW),
    ]);
  }
  return [...lines, table.toString()];
}

/** A grouped finding's other places, counted under its first. */
function morePlaces(f: Finding, width: number): string[] {
  return f.count > 1 ? flow([{ text: `+ ${f.count - 1} more place${f.count === 2 ? '' : 's'}` }], width) : [];
}

/** A place on one line: its case or step, URL, file:line and commit, or record and host. */
function placeText(o: Occurrence): string {
  const file = o.file ? `${o.file}${o.line !== undefined ? `:${o.line}` : ''}${o.commit ? ` (commit ${o.commit.slice(0, 7)})` : ''}` : undefined;
  return [o.case ?? o.record, o.url, file, o.url || file || o.record ? undefined : o.host].filter(Boolean).join(' · ') || '-';
}

/** One location part per line; a part wider than the column is split rather than truncated, so nothing is lost. */
function where(location: Location, width: number): string[] {
  const parts: string[] = [];
  if (location.host) parts.push(location.host);
  if (location.record) parts.push(location.record);
  if (location.file) parts.push(location.line !== undefined ? `${location.file}:${location.line}` : location.file);
  else if (location.line !== undefined) parts.push(`line ${location.line}`);
  if (location.commit) parts.push(`commit ${location.commit.slice(0, 7)}`);
  if (location.url) parts.push(location.url);
  if (parts.length === 0) return ['—'];
  return parts.flatMap((part) => flow([{ text: part }], width));
}


function acceptedSection(accepted: Finding[], width: number, c: ChalkInstance): string[] {
  const lines = heading(
    `Accepted risks (${accepted.length})`,
    'You accepted these explicitly, so they do not count toward the verdict. They are still real.',
    width, c,
  );
  const expiresNeed = Math.max('Expires'.length, ...accepted.map((f) => visibleLength(clean(f.accepted?.expires ?? 'never'))));
  const expW = Math.min(expiresNeed + 2, 14);
  const rest = width - 5 - expW;
  const riskW = clamp(Math.round(rest * 0.36), 12, 40);
  const whereW = clamp(Math.round(rest * 0.26), 10, 30);
  const reasonW = rest - riskW - whereW;
  const table = newTable(
    [c.bold('Risk'), c.bold('Where'), c.bold('Reason accepted'), c.bold('Expires')],
    [riskW, whereW, reasonW, expW],
  );
  for (const f of accepted) {
    const risk = [
      ...flow([{ text: f.title }], riskW - 2),
      ...flow([{ text: f.severity, style: severityPaint(f.severity, c) }, { text: '·', style: c.dim, attach: true }, { text: f.id, style: c.dim }], riskW - 2),
    ];
    table.push([
      cell(risk, riskW),
      cell(where(f.location, whereW - 2), whereW),
      cell(flow([{ text: f.accepted?.reason ?? '' }], reasonW - 2), reasonW),
      cell(flow([{ text: f.accepted?.expires ?? 'never' }], expW - 2), expW),
    ]);
  }
  return [...lines, table.toString()];
}


function incompleteSection(report: Report, width: number, c: ChalkInstance): string[] {
  const lines = heading(
    `Could not be completed (${report.incomplete.length})`,
    'These checks did not finish, so the risks they look for are unknown. An unknown is not a pass: fix the cause and run the audit again before launch.',
    width, c,
  );
  for (const entry of report.incomplete) {
    const check = report.checks.find((k) => k.id === entry.id);
    const name: Piece[] = [{ text: STATUS_LOOK.error.symbol, style: c.magenta }, { text: entry.id, style: c.bold, atomic: true }];
    if (check) name.push({ text: `(${check.area}: ${check.title})` });
    lines.push(...flow(name, width - 2).map((line) => `  ${line}`));
    lines.push(...flow([{ text: 'Why:', style: c.bold }, { text: entry.error }], width - 6).map((line) => `    ${line}`));
  }
  return lines;
}


const STATUS_LOOK: Record<CheckStatus, { symbol: string; word: string; summary: string }> = {
  pass: { symbol: '✓', word: 'pass', summary: 'passed' },
  fail: { symbol: '✗', word: 'fail', summary: 'failed' },
  warn: { symbol: '!', word: 'warn', summary: 'warned' },
  'not-applicable': { symbol: '-', word: 'n/a', summary: 'not applicable' },
  error: { symbol: '?', word: 'error', summary: 'could not finish' },
};

function statusPaint(status: CheckStatus, c: ChalkInstance): Paint {
  switch (status) {
    case 'pass': return c.green;
    case 'fail': return c.red;
    case 'warn': return c.yellow;
    case 'not-applicable': return c.gray;
    case 'error': return c.magenta;
  }
}

function checksSection(checks: CheckOutcome[], width: number, verbose: boolean, c: ChalkInstance): string[] {
  const lines = heading(`Checks (${checks.length})`, 'Every check that ran, in run order.', width, c);
  if (checks.length === 0) return [...lines, 'No checks ran.'];

  const status = (k: CheckOutcome): string => `${STATUS_LOOK[k.status].symbol} ${STATUS_LOOK[k.status].word}`;
  const statusW = Math.max('Status'.length, ...checks.map((k) => status(k).length)) + 2;
  const foundW = 'Found'.length + 2;
  const timeW = Math.max('Time'.length, ...checks.map((k) => ms(k.durationMs).length)) + 2;
  const idNeed = Math.max('Check'.length, ...checks.map((k) => visibleLength(clean(k.id)))) + 2;

  if (!verbose) {
    // Borderless and truncated: a scan-line per check; full notes are one --verbose away.
    const areaW = Math.max('Area'.length, ...checks.map((k) => k.area.length)) + 2;
    // On narrow terminals the area goes first: it is implied by the id, which must stay readable.
    const showArea = width - statusW - areaW - foundW - timeW >= 40;
    const rest = width - statusW - (showArea ? areaW : 0) - foundW - timeW;
    const idW = Math.min(idNeed, Math.max(10, Math.round(rest * 0.5)));
    const pick = <T>(cells: [T, T, T, T, T, T]): T[] => (showArea ? cells : cells.filter((_, i) => i !== 2));
    const table = new Table({
      head: pick([c.bold('Status'), c.bold('Check'), c.bold('Area'), c.bold('Title'), c.bold('Found'), c.bold('Time')]),
      colWidths: pick([statusW, idW, areaW, rest - idW, foundW, timeW]),
      colAligns: pick(['left', 'left', 'left', 'left', 'right', 'right']),
      wordWrap: false,
      chars: NO_BORDER,
      style: { head: [], border: [], 'padding-left': 0, 'padding-right': 2 },
    });
    for (const k of checks) {
      const extra = checkNote(k);
      table.push(pick([
        statusPaint(k.status, c)(status(k)),
        clean(k.id),
        k.area,
        clean(extra ? `${k.title}: ${extra}` : k.title),
        String(k.findings),
        ms(k.durationMs),
      ]));
    }
    return [...lines, table.toString()];
  }

  // The area sits under the id so the notes column keeps a readable width on narrow terminals.
  const rest = width - 6 - statusW - foundW - timeW;
  const idW = Math.min(idNeed, Math.max(12, Math.round(rest * 0.4)));
  const notesW = rest - idW;
  const table = newTable(
    [c.bold('Status'), c.bold('Check'), c.bold('Title and notes'), c.bold('Found'), c.bold('Time')],
    [statusW, idW, notesW, foundW, timeW],
    ['left', 'left', 'left', 'right', 'right'],
  );
  for (const k of checks) {
    const notes = flow([{ text: k.title }], notesW - 2);
    if (k.error) notes.push(...flow([{ text: 'Error:', style: c.bold }, { text: k.error }], notesW - 2));
    if (k.reason) notes.push(...flow([{ text: 'Reason:', style: c.bold }, { text: k.reason }], notesW - 2));
    table.push([
      statusPaint(k.status, c)(status(k)),
      cell([...flow([{ text: k.id }], idW - 2), ...flow([{ text: k.area, style: c.dim }], idW - 2)], idW),
      cell(notes, notesW),
      String(k.findings),
      ms(k.durationMs),
    ]);
  }
  return [...lines, table.toString()];
}

/** Why a check did not judge anything: the error for `error`, the reason for `not-applicable`. */
function checkNote(k: CheckOutcome): string | undefined {
  if (k.status === 'error') return k.error ?? 'unknown error';
  if (k.status === 'not-applicable') return k.reason;
  return k.error ?? k.reason;
}


function footer(report: Report, width: number, c: ChalkInstance): string[] {
  const byStatus = CHECK_STATUSES
    .map((s) => ({ s, n: report.checks.filter((k) => k.status === s).length }))
    .filter(({ n }) => n > 0)
    .map(({ s, n }) => `${n} ${STATUS_LOOK[s].summary}`);
  const accepted = report.findings.filter((f) => f.accepted).length;
  const pieces: Piece[] = [
    { text: `${plural(report.checks.length, 'check')}${byStatus.length > 0 ? `: ${byStatus.join(', ')}` : ''}` },
    { text: '·', style: c.dim, attach: true },
    { text: `${plural(report.findings.length, 'finding')} (${accepted} accepted) at ${plural(report.findings.reduce((n, f) => n + f.count, 0), 'place')}`, atomic: true },
    { text: '·', style: c.dim, attach: true },
    { text: `took ${duration(report.durationMs)}`, atomic: true },
  ];
  return flow(pieces, width);
}


const NO_BORDER = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
  'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '',
};

function newTable(head: string[], colWidths: number[], colAligns?: Array<'left' | 'right'>): InstanceType<typeof Table> {
  // Empty head/border styles: cli-table3 would otherwise colour them through its own env-sniffing colour library.
  return new Table({ head, colWidths, wordWrap: true, ...(colAligns ? { colAligns } : {}), style: { head: [], border: [] } });
}

/**
 * Cell content for pre-wrapped lines. cli-table3 truncates every cell's whole content for a debug message on each
 * drawn line, and for content containing newlines that takes a per-character path (quadratic in cell length, per
 * line: seconds for a long verbose cell). Single-line content takes its fast path, so lines are instead padded to
 * the column's inner width and joined with a space: its greedy word wrap then breaks exactly where flow() did.
 */
function cell(lines: string[], colWidth: number): string {
  const inner = colWidth - 2;
  return lines.map((line, i) => (i < lines.length - 1 ? line + ' '.repeat(Math.max(0, inner - visibleLength(line))) : line)).join(' ');
}

function heading(title: string, hint: string, width: number, c: ChalkInstance): string[] {
  return [c.bold.underline(title), ...flow([{ text: hint, style: c.dim }], width)];
}

function severityPaint(severity: Severity, c: ChalkInstance): Paint {
  switch (severity) {
    case 'critical': return c.bold.red;
    case 'high': return c.red;
    case 'medium': return c.yellow;
    case 'low': return c.cyan;
    case 'info': return c.gray;
  }
}

interface Piece {
  text: string;
  style?: Paint;
  /** Kept on one line when it fits, e.g. "3 high". */
  atomic?: boolean;
  /** Glued to the previous word, so a separator never starts or ends a line alone. */
  attach?: boolean;
}

interface Cell {
  ch: string;
  style: Paint;
}

/**
 * Greedy word wrap over styled pieces. Layout works on plain characters and styling is applied per line
 * afterwards, so widths are exact and no escape sequence ever spans a line break.
 */
function flow(pieces: Piece[], width: number): string[] {
  const max = Math.max(1, width);
  const words: Cell[][] = [];
  for (const piece of pieces) {
    const text = clean(piece.text).trim();
    if (!text) continue;
    const style = piece.style ?? plain;
    const parts = piece.atomic && visibleLength(text) <= max ? [text] : text.split(/ +/);
    parts.forEach((part, i) => {
      const cells = [...part].map((ch) => ({ ch, style }));
      const prev = words[words.length - 1];
      if (i === 0 && piece.attach && prev) prev.push({ ch: ' ', style: plain }, ...cells);
      else words.push(cells);
    });
  }

  const lines: string[] = [];
  let line: Cell[] = [];
  const push = (): void => {
    if (line.length > 0) lines.push(paintCells(line));
    line = [];
  };
  const add = (cells: Cell[]): void => {
    const last = line[line.length - 1];
    if (last && cells[0]) line.push({ ch: ' ', style: last.style === cells[0].style ? last.style : plain });
    line.push(...cells);
  };
  const room = (): number => (line.length > 0 ? max - line.length - 1 : max);
  for (const word of words) {
    if (word.length <= room()) {
      add(word);
      continue;
    }
    if (word.length <= max) {
      push();
      add(word);
      continue;
    }
    // A token wider than the column (URL, path, hash) is split across lines rather than truncated with "…".
    const rest = [...word];
    while (rest.length > 0) {
      if (rest.length <= room()) {
        add(rest.splice(0));
        break;
      }
      const cut = breakPoint(rest.map((cell) => cell.ch), room(), line.length > 0);
      if (cut === 0) {
        push();
        continue;
      }
      add(rest.splice(0, cut));
      push();
    }
  }
  push();
  return lines.length > 0 ? lines : [''];
}

/** One escape sequence per run of equally styled characters, not one per word. */
function paintCells(cells: Cell[]): string {
  let out = '';
  for (let i = 0; i < cells.length;) {
    const style = cells[i]!.style;
    let j = i;
    while (j < cells.length && cells[j]!.style === style) j++;
    out += style(cells.slice(i, j).map((cell) => cell.ch).join(''));
    i = j;
  }
  return out;
}

/**
 * Where to split a token too long for its line: after a separator or before a dot when one falls late enough,
 * so paths and URLs break where a reader expects. 0 means "start a fresh line instead".
 */
function breakPoint(chars: string[], space: number, lineHasText: boolean): number {
  for (let i = Math.min(space, chars.length - 1); i >= 1; i--) {
    const nice = '/?&=:,;_-@'.includes(chars[i - 1] ?? '') || chars[i] === '.';
    if (!nice) continue;
    if (i >= (lineHasText ? 4 : space / 2)) return i;
    break;
  }
  return lineHasText ? 0 : Math.max(1, space);
}

// Report text can carry bytes from DNS records, HTTP responses and files; raw escapes would let them restyle
// or rewrite the terminal, and bidi overrides would let them reorder what the reader sees.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function ms(durationMs: number): string {
  return `${Math.round(durationMs)} ms`;
}

function duration(durationMs: number): string {
  if (durationMs < 1000) return ms(durationMs);
  if (durationMs < 60_000) return `${(durationMs / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(durationMs / 1000);
  return `${Math.floor(totalSeconds / 60)}m ${String(totalSeconds % 60).padStart(2, '0')}s`;
}
