// `launch-ready handover`: runs a full audit, builds the deployment map from the same facts, and writes the
// handover document (Markdown) a new contractor can operate the product from.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { DeployFacts, EnvironmentFacts } from '../facts/deploy.js';
import type { HostResolution, ZoneFacts } from '../facts/dns.js';
import type { EmailDomainFacts } from '../facts/email.js';
import type { HygieneFacts } from '../facts/hygiene.js';
import type { FactKey, TargetFacts } from '../facts/index.js';
import { isFactError } from '../facts/index.js';
import type { HttpSurface } from '../facts/http.js';
import type { SecretsFacts } from '../facts/secrets.js';
import type { TlsEndpoint } from '../facts/tls.js';
import { buildMap } from '../map/build.js';
import { renderHandover } from '../report/handover.js';
import { auditWith } from './audit.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { AuditFlags } from './main.js';
import type { Streams } from './output.js';

export async function handoverCommand(domains: string[], flags: AuditFlags, streams: Streams, cwd: string): Promise<number> {
  let loaded: LoadedConfig | undefined;
  try {
    loaded = await loadConfig({ ...(flags.config ? { file: flags.config } : {}), cwd, env: streams.env });
    let facts: Partial<Record<FactKey, unknown>> = {};
    const report = await auditWith(loaded, domains, flags, streams, cwd, (f) => { facts = f; });
    const ok = <T>(k: FactKey): T | undefined => (facts[k] === undefined || isFactError(facts[k]) ? undefined : (facts[k] as T));
    const target = ok<TargetFacts>('target');
    const hosts = ok<HostResolution[]>('dns.hosts');
    const zones = ok<ZoneFacts[]>('dns.zones');
    const email = ok<EmailDomainFacts[]>('email.domains');
    const { config } = loaded;
    const map = target && hosts && zones
      ? buildMap({
          target, hosts, zones,
          ...(ok<TlsEndpoint[]>('tls.endpoints') ? { tls: ok<TlsEndpoint[]>('tls.endpoints')! } : {}),
          ...(ok<HttpSurface[]>('http.surfaces') ? { http: ok<HttpSurface[]>('http.surfaces')! } : {}),
          mx: Object.fromEntries((email ?? []).map((e) => [e.domain, e.mx.targets.map((t) => `${t.preference} ${t.exchange}`)])),
          ...(config.project ? { project: config.project } : {}),
          ...(config.environments ? { environments: config.environments } : {}),
        })
      : undefined;
    const text = renderHandover({
      report,
      ...(map ? { map } : {}),
      ...(ok<DeployFacts>('deploy.repo') ? { deploy: ok<DeployFacts>('deploy.repo')! } : {}),
      ...(ok<EnvironmentFacts[]>('deploy.environments') ? { environments: ok<EnvironmentFacts[]>('deploy.environments')! } : {}),
      ...(ok<HygieneFacts>('hygiene.repo') ? { hygiene: ok<HygieneFacts>('hygiene.repo')! } : {}),
      ...(ok<SecretsFacts>('secrets.scan') ? { secrets: ok<SecretsFacts>('secrets.scan')! } : {}),
      ...(config.monitor ? { monitor: config.monitor } : {}),
      endpoints: config.endpoints,
      accept: config.accept,
      ...(config.project ? { project: config.project } : {}),
    });
    const safe = loaded.redactor.redact(text);
    const out = Array.isArray(flags.output) ? flags.output[0] : flags.output;
    if (out) {
      await writeFile(resolve(cwd, out), safe);
      if (!flags.quiet) streams.stderr.write(`handover written to ${out}\n`);
    } else streams.stdout.write(safe);
    return EXIT.go;
  } catch (err) {
    return reportError(err, streams, loaded?.redactor);
  }
}
