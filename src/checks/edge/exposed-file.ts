// Files that must never be served (.env, .git, dumps, backups, server-status, debug pages): a hit counts
// only when the body looks like the real file and differs from what a random path returns (catch-all 200 pages).
import type { EdgeResponse, ExposedKind } from '../../facts/edge.js';
import { defineCheck } from '../define.js';

const HTML = /<(?:!doctype|html|head|body)\b/i;

/** Whether a body is the real thing for its kind (a catch-all page never is). */
export function looksLike(kind: ExposedKind, r: EdgeResponse): boolean {
  const body = r.body ?? '';
  const magic = r.magic ?? '';
  switch (kind) {
    case 'env': return !HTML.test(body) && /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/m.test(body);
    case 'git-config': return /^\s*\[(?:core|remote "[^"]*"|branch "[^"]*")\]/m.test(body);
    case 'git-head': return /^(?:ref: refs\/\S+|[0-9a-f]{40})\s*$/.test(body.trim());
    case 'ds-store': return magic.startsWith('0000000142756431');
    case 'config-json': return /^\s*\{/.test(body) && !HTML.test(body) && /"[^"]+"\s*:/.test(body);
    case 'sql-dump': return !HTML.test(body) && /(?:CREATE TABLE|INSERT INTO|-- MySQL dump|PostgreSQL database dump|COPY public\.)/i.test(body);
    case 'archive': return magic.startsWith('504b0304') || magic.startsWith('1f8b');
    case 'server-status': return /Apache Server Status|Server uptime|Total Accesses|Scoreboard/i.test(body);
    case 'phpinfo': return /phpinfo\(\)|<title>PHP \d|PHP Version/i.test(body);
    case 'actuator': return /"activeProfiles"|"propertySources"/.test(body);
    case 'debug-page': return /Types of profiles available|goroutine|Symfony Profiler|sf-toolbar/i.test(body);
    case 'admin-page': return /<title>[^<]*phpMyAdmin|Django (?:site admin|administration)/i.test(body);
  }
}

// Source maps are edge.exposed-source-map's: found from each script's own reference, not a fixed path.
const CODE: Record<ExposedKind, 'env' | 'git' | 'dump' | 'debug' | 'admin' | 'config'> = {
  env: 'env', 'git-config': 'git', 'git-head': 'git', 'ds-store': 'config', 'config-json': 'config',
  'sql-dump': 'dump', archive: 'dump', 'server-status': 'debug', phpinfo: 'debug', actuator: 'debug', 'debug-page': 'debug', 'admin-page': 'admin',
};

/** What the file shows, without any value: .env variable names only. */
function evidenceOf(kind: ExposedKind, r: EdgeResponse): string {
  if (kind === 'env') {
    const names = [...(r.body ?? '').matchAll(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/gm)].map((m) => m[1]!);
    return `${names.length} variable(s): ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''} (values not shown)`;
  }
  return `HTTP ${r.status}, ${r.bodyBytes}${r.bodyTruncated ? '+' : ''} bytes, ${r.headers['content-type'] ?? 'no content-type'}`;
}

export default defineCheck({
  id: 'exposed-file',
  area: 'edge',
  severity: 'high',
  impact: 'data-exposure',
  title: 'No secrets, repositories, dumps or debug pages are served',
  description: 'Anyone can download the file: credentials, source code, customer data or internals that make every other attack easier. Scanners look for these paths within hours of a launch.',
  remediation: 'Remove the file from the web root (or the build output), block dotfiles and backup extensions in the web server or CDN, rotate any credential it contained, and check access logs for earlier downloads.',
  references: ['https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/02-Configuration_and_Deployment_Management_Testing/04-Review_Old_Backup_and_Unreferenced_Files_for_Sensitive_Information'],
  requires: ['edge.http'],
  messages: {
    env: {
      message: '{url} serves an environment file: {evidence}.',
      severity: 'critical',
      remediation: 'Remove the .env file from the served directory now, rotate every credential in it (assume they are known), and deny /.env* at the web server or CDN.',
    },
    git: {
      message: '{url} serves the git repository ({path}): the whole source history can be downloaded.',
      severity: 'critical',
      remediation: 'Deny /.git/ at the web server or CDN, deploy build output rather than the checkout, and rotate any secret ever committed.',
    },
    dump: { message: '{url} serves a backup or database dump: {evidence}.', severity: 'critical' },
    debug: { message: '{url} serves a status or debug page ({path}): {evidence}.' },
    config: { message: '{url} serves {path}: {evidence}.', severity: 'medium' },
    admin: {
      message: '{url} serves a default admin login page ({path}) to the whole internet.',
      severity: 'medium',
      impact: 'auth',
      whatBreaks: 'Anyone can try passwords against your admin panel; one weak or reused admin password hands over every account and all data.',
      remediation: 'Move the admin panel off the public surface (VPN, IP allow-list, SSO proxy), or at least rename its path and put rate limiting and 2FA in front of it.',
    },
  },
  run(facts, ctx) {
    const edge = facts['edge.http'];
    let probed = 0;
    let catchAll = 0;
    const unreachable: string[] = [];
    for (const s of edge.surfaces) {
      if (!s.origin || !s.notFound) continue;
      const baseline = s.notFound;
      for (const p of s.exposed) {
        const r = p.response;
        if (r.status === undefined) {
          unreachable.push(`${s.host}${p.path}`);
          continue;
        }
        probed++;
        if (r.status < 200 || r.status >= 300) continue;
        // The catch-all trap: the same bytes a random path gets are never the file.
        if (baseline.status !== undefined && baseline.status < 300 && baseline.bodyHash === r.bodyHash) {
          catchAll++;
          continue;
        }
        if (!looksLike(p.kind, r)) continue;
        const code = CODE[p.kind];
        ctx.report({ code, args: { url: r.url, path: p.path, evidence: evidenceOf(p.kind, r) }, location: { host: s.host, url: r.url } });
      }
    }
    const reached = edge.surfaces.filter((s) => s.origin).length;
    if (reached === 0) ctx.notApplicable('no surface answered HTTP or HTTPS');
    else if (probed === 0) ctx.unknown(`no exposed-file request got an answer (${unreachable.slice(0, 3).join(', ')})`);
    ctx.details({ surfaces: reached, probed, catchAllAnswers: catchAll, unanswered: unreachable.length });
  },
});
