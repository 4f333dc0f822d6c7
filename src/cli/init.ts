// `launch-ready init [domain]`: writes a commented starter config that validates against the schema.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

export function starterConfig(domain: string): string {
  const d = domain.toLowerCase().replace(/\.$/, '');
  return `{
  // JSON with comments. Every key: \`launch-ready schema config\`.
  "$schema": "./node_modules/launch-ready/schemas/config.schema.json",
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

export async function initCommand(domain: string, flags: { output: string; force?: boolean }, streams: Streams, cwd: string): Promise<number> {
  try {
    const file = resolve(cwd, flags.output);
    if (existsSync(file) && !flags.force) throw new UsageError(`${flags.output} already exists: use --force to overwrite it`);
    await writeFile(file, starterConfig(domain));
    streams.stderr.write(`Wrote ${flags.output}. Next: launch-ready audit --config ${flags.output}\n`);
    return EXIT.go;
  } catch (err) {
    return reportError(err, streams);
  }
}
