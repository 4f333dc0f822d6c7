// The front door of `handover`: a full audit, the deployment map from the same facts, and everything the handover
// document is written from.
import type { HandoverInputs } from '../report/handover.js';
import type { DeployFacts, EnvironmentFacts } from '../facts/deploy.js';
import type { HygieneFacts } from '../facts/hygiene.js';
import type { FactKey } from '../facts/index.js';
import type { SecretsFacts } from '../facts/secrets.js';
import type { Report } from '../types.js';
import { factOf, mapFromFacts } from './map.js';
import type { AuditRequest } from './plan.js';

/** Runs `runAudit` (given, so the caller can show progress) and gathers the handover's inputs from its facts. */
export async function handoverInput(req: AuditRequest, runAudit: (req: AuditRequest) => Promise<Report>): Promise<HandoverInputs> {
  let facts: Partial<Record<FactKey, unknown>> = {};
  const report = await runAudit({ ...req, capture: (f) => { facts = f; } });
  const { config } = req.loaded;
  const map = mapFromFacts(facts, config);
  const deploy: DeployFacts | undefined = factOf(facts, 'deploy.repo');
  const environments: EnvironmentFacts[] | undefined = factOf(facts, 'deploy.environments');
  const hygiene: HygieneFacts | undefined = factOf(facts, 'hygiene.repo');
  const secrets: SecretsFacts | undefined = factOf(facts, 'secrets.scan');
  return {
    report,
    ...(map ? { map } : {}),
    ...(deploy ? { deploy } : {}),
    ...(environments ? { environments } : {}),
    ...(hygiene ? { hygiene } : {}),
    ...(secrets ? { secrets } : {}),
    ...(config.monitor ? { monitor: config.monitor } : {}),
    endpoints: config.endpoints,
    accept: config.accept,
    ...(config.project ? { project: config.project } : {}),
  };
}
