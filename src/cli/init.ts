// `launch-ready init [domain]`: writes a commented starter config that validates against the schema.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeDomain } from '../config/domain.js';
import { UsageError } from '../errors.js';
import { ensureWritable } from './files.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

/**
 * The starter config for a domain (already normalized by normalizeDomain, so it needs no escaping), with `$schema`
 * pointing at the schema this installation ships, relative to where the config is written.
 */
export function starterConfig(d: string, schemaPath = './node_modules/launch-ready/schemas/config.schema.json'): string {
  return `{
  // JSON with comments. Every key: \`launch-ready schema config\`.
  "$schema": ${JSON.stringify(schemaPath)},
  "project": "${d}",
  // Lowest severity that makes the verdict NO-GO: critical, high, medium, low or info.
  "failOn": "high",
  "domains": [
    {
      "name": "${d}",
      // Hosts to audit besides the apex. A listed host that does not resolve is a failure.
      "hosts": ["www", "api", "admin", "app"],
      // Where users should end up: "apex" (https://${d}) or "www".
      "canonical": "apex"
      // Pin records you know, so a stale record is caught:
      // "expect": { "api": { "CNAME": "myapp.herokudns.com" }, "@": { "A": ["203.0.113.10"] } }
    }
  ],
  // Endpoints to time (p95 budget: 300 ms for reads, 700 ms for auth/write). Secrets only through \${env:NAME}.
  "endpoints": [
    // { "name": "health", "url": "https://api.${d}/health", "kind": "read" },
    // { "name": "login", "url": "https://api.${d}/v1/login", "method": "POST", "kind": "auth",
    //   "headers": { "Authorization": "Bearer \${env:LAUNCH_READY_TOKEN}" } }
  ],
  // Auth flows run as a user would (templates: session, password-reset, callbacks; or your own "steps").
  "flows": [
    // { "name": "login", "template": "session",
    //   "login": { "url": "https://api.${d}/v1/login", "body": { "email": "\${env:LR_USER}", "password": "\${env:LR_PASSWORD}" } },
    //   "read": { "url": "https://api.${d}/v1/me" } }
  ],
  // PostgreSQL hot spots (read-only role with pg_read_all_stats): the URL is a secret, always through \${env:NAME}.
  // "database": { "url": "\${env:DATABASE_URL}" },
  // \`launch-ready watch\`: probe every minute, alert after 3 failures in a row.
  // "monitor": { "intervalSec": 60, "failuresBeforeAlert": 3, "webhook": "\${env:SLACK_WEBHOOK_URL}" },
  // Subdomain discovery (on by default): extra wordlist, limits; "online": true also asks certificate transparency.
  // "discover": { "maxHosts": 200 },
  "network": {
    // "resolver": "1.1.1.1",
    "timeoutMs": 5000
  },
  // Risks you accept for now; each stays visible in the report, and stops applying after \`expires\`.
  "accept": [
    // { "id": "dns.missing-caa.absent", "reason": "CAA after launch (owner: ops)", "expires": "2027-01-31" }
  ]
}
`;
}

/** The config schema this installation ships (schemas/ beside dist/), as `$schema` reaches it from `dir`. */
function schemaFrom(dir: string): string {
  const rel = relative(dir, fileURLToPath(new URL('../../schemas/config.schema.json', import.meta.url))).split(sep).join('/');
  return rel.startsWith('.') || isAbsolute(rel) ? rel : `./${rel}`;
}

export async function initCommand(domain: string, flags: { output: string; force?: boolean }, streams: Streams, cwd: string): Promise<number> {
  try {
    const d = normalizeDomain(domain);
    if ('problem' in d) throw new UsageError(`init: ${d.problem}`);
    const file = resolve(cwd, flags.output);
    if (existsSync(file) && !flags.force) throw new UsageError(`${flags.output} already exists: use --force to overwrite it`);
    await ensureWritable(file, `init --output ${flags.output}`);
    await writeFile(file, starterConfig(d.name, schemaFrom(dirname(file))));
    streams.stderr.write(`Wrote ${flags.output}. Next: launch-ready audit --config ${flags.output}\n`);
    return EXIT.go;
  } catch (err) {
    return reportError(err, streams);
  }
}
