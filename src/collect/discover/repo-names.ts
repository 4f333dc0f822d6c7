// Host names a repository's deploy and config files mention: GitHub Pages CNAME files, vercel.json, netlify.toml and
// _redirects, fly.toml, Caddyfiles, nginx configs, Terraform DNS records, Kubernetes ingress hosts, URLs in env and
// config files. Pure: which files to read, and the names (with their line) in one file's text. Comments name nothing.
import { posix } from 'node:path';
import { auditedDomainOf, hostName } from './pages.js';

export type RepoFileKind = 'cname' | 'vercel' | 'netlify' | 'fly' | 'caddy' | 'nginx' | 'terraform' | 'env' | 'yaml' | 'toml' | 'json';

/** Folders of other people's code or of build output: never read. */
const SKIPPED_DIRS = new Set([
  'node_modules', 'vendor', 'dist', 'build', 'out', '.next', '.nuxt', '.svelte-kit', '.git', 'coverage', '.terraform',
  'bower_components', 'target', '__pycache__', '.venv', 'venv', '.cache', '.turbo', '.vercel', '.netlify',
]);
/** Lock files: large, and only registry URLs in them. */
const SKIPPED_FILES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'composer.lock', 'yarn.lock', 'pnpm-lock.yaml', 'cargo.lock', 'poetry.lock', 'gemfile.lock']);

/** The files that say most about hosts come first when the file count is cut. */
export const KIND_ORDER: readonly RepoFileKind[] = ['cname', 'vercel', 'netlify', 'fly', 'caddy', 'nginx', 'terraform', 'env', 'yaml', 'toml', 'json'];

/** What kind of file a repository path is, or undefined when it is not read (other files, skipped folders). */
export function repoFileKind(path: string): RepoFileKind | undefined {
  const parts = path.split('/');
  if (parts.slice(0, -1).some((p) => SKIPPED_DIRS.has(p.toLowerCase()))) return undefined;
  const base = posix.basename(path);
  const lower = base.toLowerCase();
  if (SKIPPED_FILES.has(lower) || /\.min\.json$/.test(lower)) return undefined;
  if (base === 'CNAME') return 'cname';
  if (lower === 'vercel.json' || lower === 'now.json') return 'vercel';
  if (lower === 'netlify.toml' || lower === '_redirects') return 'netlify';
  if (lower === 'fly.toml') return 'fly';
  if (lower === 'caddyfile' || lower.startsWith('caddyfile.') || lower.endsWith('.caddyfile') || lower.endsWith('.caddy')) return 'caddy';
  if (lower === 'nginx.conf' || lower.endsWith('.nginx') || (lower.endsWith('.conf') && /(^|\/)(nginx|sites-available|sites-enabled|conf\.d)(\/|$)/i.test(posix.dirname(path)))) return 'nginx';
  if (parts.slice(0, -1).some((p) => /^sites-(available|enabled)$/i.test(p))) return 'nginx';
  if (lower.endsWith('.tf') || lower.endsWith('.tfvars')) return 'terraform';
  if (lower === '.env' || lower.startsWith('.env.') || lower.endsWith('.env')) return 'env';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.toml')) return 'toml';
  if (lower.endsWith('.json') || lower.endsWith('.jsonc') || lower.endsWith('.json5')) return 'json';
  return undefined;
}

/** Terraform resources that are DNS records, whose `name` is the record's name (FQDN or relative to the zone). */
const DNS_RECORD_RESOURCES = /^\s*resource\s+"(aws_route53_record|cloudflare_record|cloudflare_dns_record|google_dns_record_set|digitalocean_record|azurerm_dns_[a-z]+_record|dnsimple_record|dnsimple_zone_record|ns1_record)"/;

export interface RepoName {
  name: string;
  line: number;
}

/** One line without its comment, for the kind's comment syntax (block comments are the caller's). */
function uncommented(kind: RepoFileKind, line: string): string {
  const t = line.trimStart();
  if (kind === 'cname') return line;
  if (kind === 'json') return t.startsWith('//') ? '' : line;
  if (t.startsWith('#') || (kind === 'terraform' && t.startsWith('//'))) return '';
  // A trailing comment starts with whitespace then '#' ('#' inside a URL's fragment does not).
  const cut = line.search(/\s#/);
  const rest = cut >= 0 ? line.slice(0, cut) : line;
  if (kind !== 'terraform') return rest;
  const slashes = rest.search(/(^|\s)\/\//);
  return slashes >= 0 ? rest.slice(0, slashes) : rest;
}

/** Host-like tokens of a text (labels, dots, hyphens; '*' and '_' kept so that wildcards and service names fail). */
const TOKEN = /[a-z0-9*_.-]+/gi;

function tokenNames(text: string): string[] {
  return [...text.matchAll(TOKEN)].flatMap(([t]) => {
    if (t.startsWith('.') || t.includes('*')) return [];
    const name = hostName(t);
    return name && !name.split('.').some((l) => l.startsWith('_')) ? [name] : [];
  });
}

/** Where `marker` first occurs outside double-quoted strings, or -1. */
function outsideStrings(line: string, marker: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') { i++; continue; }
    if (line[i] === '"') quoted = !quoted;
    else if (!quoted && line.startsWith(marker, i)) return i;
  }
  return -1;
}

/** A Terraform record's relative name ("promo", "promo.${var.domain}", "promo.eu"), or undefined. */
function relativeRecordName(value: string): string | undefined {
  const literal = value.split('${')[0]!.replace(/\.$/, '').toLowerCase();
  if (!literal || literal === '@' || literal.includes('*')) return undefined;
  return /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/.test(literal) ? literal : undefined;
}

/**
 * Names under the audited domains in one file, each with the line it is on (first mention only). Terraform DNS
 * records' relative names (`name = "promo"`) are tried under every audited domain: resolution keeps the real one.
 */
export function repoFileNames(kind: RepoFileKind, text: string, domains: readonly string[]): RepoName[] {
  const out = new Map<string, number>();
  const add = (name: string, line: number) => {
    if (domains.includes(name) || out.has(name) || !auditedDomainOf(name, domains)) return;
    out.set(name, line);
  };
  let inBlockComment = false;
  let record = false;
  let depth = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    let line = raw;
    if (kind === 'terraform') {
      // /* ... */ comments, possibly over several lines ("/api/*" inside a string is not one).
      let kept = '';
      let rest = line;
      for (;;) {
        if (inBlockComment) {
          const end = rest.indexOf('*/');
          if (end < 0) { rest = ''; break; }
          rest = rest.slice(end + 2);
          inBlockComment = false;
        }
        const start = outsideStrings(rest, '/*');
        if (start < 0) break;
        kept += rest.slice(0, start);
        rest = rest.slice(start + 2);
        inBlockComment = true;
      }
      line = kept + rest;
    }
    line = uncommented(kind, line);
    for (const name of tokenNames(line)) add(name, i + 1);
    if (kind !== 'terraform') return;
    if (!record && DNS_RECORD_RESOURCES.test(line)) { record = true; depth = 0; }
    if (!record) return;
    const m = /^\s*name\s*=\s*"([^"]*)"/.exec(line);
    const rel = m && depth === 1 ? relativeRecordName(m[1]!) : undefined;
    if (rel && !domains.some((d) => rel === d || rel.endsWith(`.${d}`))) for (const d of domains) add(`${rel}.${d}`, i + 1);
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth <= 0 && line.includes('}')) record = false;
  });
  return [...out].map(([name, line]) => ({ name, line }));
}
