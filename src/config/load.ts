// Loads the config: JSON with comments, ${env:NAME} interpolation (values recorded for redaction), zod validation
// with errors that name the path, what was expected and how to fix it.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { Redactor } from '../redact.js';
import { ConfigSchema, type Config } from './schema.js';
import { KnownError } from '../errors.js';

export const DEFAULT_CONFIG_FILE = 'launch-ready.config.json';

export interface ConfigProblem {
  path: string;
  message: string;
}

/** A known, user-fixable error: printed without a stack trace, exit code 2. */
export class ConfigError extends KnownError {
  override readonly prefix = '';
  constructor(
    readonly file: string | undefined,
    readonly problems: ConfigProblem[],
  ) {
    const where = file ?? 'config';
    super(problems.map((p) => `${where}: ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Strips // and /* *\/ comments and trailing commas outside strings, keeping line breaks so positions hold. */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const c = text[i]!;
    const n = text[i + 1];
    if (inString) {
      out += c;
      if (c === '\\') { out += n ?? ''; i += 2; continue; }
      if (c === '"') inString = false;
      i++;
    } else if (c === '"') {
      inString = true; out += c; i++;
    } else if (c === '/' && n === '/') {
      while (i < text.length && text[i] !== '\n') { out += ' '; i++; }
    } else if (c === '/' && n === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      out += text[j] === '}' || text[j] === ']' ? ' ' : c;
      i++;
    } else {
      out += c; i++;
    }
  }
  return out;
}

function positionOf(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${col}`;
}

/** Deeper than any real config: past it a hostile file would exhaust the stack of whatever walks it. */
export const MAX_CONFIG_DEPTH = 64;

/** Control characters other than tab and line breaks, or bytes that are not UTF-8: not a text file. */
// eslint-disable-next-line no-control-regex -- matching control bytes is the point
const BINARY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;

/** Nesting depth of a JSON text, strings skipped. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max;
}

/** Shows control characters of untrusted input as escapes, so a message never writes raw bytes to the terminal. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex -- matching control bytes is the point
  return s.replace(/[\u0000-\u001F\u007F-\u009F\uFFFD]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function parseJsonc(text: string, file?: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  const binary = BINARY.exec(body);
  if (binary) {
    throw new ConfigError(file, [{ path: '', message: `is not a JSON text file: it holds binary data (a ${printable(binary[0])} byte at ${positionOf(body, binary.index)}). Point --config at the JSON config` }]);
  }
  const stripped = stripJsonComments(body);
  if (nestingDepth(stripped) > MAX_CONFIG_DEPTH) {
    throw new ConfigError(file, [{ path: '', message: `nests objects and arrays more than ${MAX_CONFIG_DEPTH} levels deep: not a launch-ready config` }]);
  }
  try {
    return JSON.parse(stripped);
  } catch (err) {
    const msg = printable((err as Error).message);
    const at = /position (\d+)/.exec(msg);
    const where = at ? ` at ${positionOf(stripped, Number(at[1]))}` : '';
    throw new ConfigError(file, [{ path: '', message: `is not valid JSON${where}: ${msg.replace(/ in JSON at position \d+.*$/, '')}` }]);
  }
}

const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replaces ${env:NAME} in every string; each value is registered with the redactor under its variable name. */
export function interpolateEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  redactor: Redactor,
  path: string[] = [],
  problems: ConfigProblem[] = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (_whole, name: string) => {
      const v = env[name];
      if (v === undefined || v === '') {
        problems.push({
          path: formatPath(path),
          message: `uses \${env:${name}} but the environment variable ${name} is not set. Export it (e.g. \`export ${name}=...\`) or remove the reference`,
        });
        return '';
      }
      redactor.add(v, `env:${name}`);
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateEnv(v, env, redactor, [...path, String(i)], problems));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateEnv(v, env, redactor, [...path, k], problems);
    return out;
  }
  return value;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number' || /^\d+$/.test(String(p))) out += `[${String(p)}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** A bad value shown back to the user, with any credentials in it masked and the length bounded. */
export function quoteInput(value: string): string {
  const masked = value
    .replace(/(\w[\w+.-]*:\/\/)[^\s/@]*@/g, '$1***@')
    .replace(/\b(password|passwd|pwd|secret|token|key)=([^&\s]+)/gi, '$1=***');
  return masked.length > 120 ? `${masked.slice(0, 117)}...` : masked;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: check the spelling (\`launch-ready schema config\` lists every key)`;
    case 'invalid_type':
      if (issue.input === undefined) return `is required: expected ${issue.expected}`;
      return `expected ${issue.expected}, got ${Array.isArray(issue.input) ? 'array' : issue.input === null ? 'null' : typeof issue.input}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default: {
      const got = typeof issue.input === 'string' ? ` (got ${JSON.stringify(quoteInput(issue.input))})` : '';
      return `${issue.message}${got}`;
    }
  }
}

/** Validates a parsed config. Messages quote bad values, so they pass through the redactor: a secret stays hidden. */
export function validateConfig(raw: unknown, file?: string, redactor?: Redactor): Config {
  const parsed = ConfigSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const clean = (s: string) => (redactor ? redactor.redact(s) : s);
    throw new ConfigError(file, parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: clean(describeIssue(issue)) })));
  }
  return parsed.data;
}

export interface LoadedConfig {
  config: Config;
  file?: string;
  redactor: Redactor;
}

export interface LoadOptions {
  /** Explicit --config path: must exist. */
  file?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Loads --config, else ./launch-ready.config.json when present, else an empty config. */
export async function loadConfig(opts: LoadOptions): Promise<LoadedConfig> {
  const redactor = new Redactor();
  let file: string | undefined;
  if (opts.file) {
    file = resolve(opts.cwd, opts.file);
    if (!existsSync(file)) {
      throw new ConfigError(opts.file, [{ path: '', message: 'file not found. Create one with `launch-ready init <domain>` or fix the --config path' }]);
    }
  } else {
    const candidate = resolve(opts.cwd, DEFAULT_CONFIG_FILE);
    if (existsSync(candidate)) file = candidate;
  }
  if (!file) return { config: validateConfig({}), redactor };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [{ path: '', message: `cannot be read: ${(err as Error).message}` }]);
  }
  const raw = parseJsonc(text, file);
  const problems: ConfigProblem[] = [];
  const interpolated = interpolateEnv(raw, opts.env, redactor, [], problems);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return { config: validateConfig(interpolated, file, redactor), file, redactor };
}
