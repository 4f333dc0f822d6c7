// Reads CI configs (YAML already parsed by the collector): which jobs run tests, which deploy, and whether every
// deploy waits for the tests. Pure.
import type { CiFile, DeployFacts } from '../facts/deploy.js';
import { asObject, isObject, type JsonObject, stringOf } from './json.js';

const TEST_COMMAND = /\b(npm (run )?test|npm run test:\w+|npx (vitest|jest|mocha|playwright test)|pnpm (run )?test|yarn (run )?test|bun test|vitest|jest|mocha|pytest|python -m (pytest|unittest)|tox\b|go test|cargo (test|nextest)|rspec|rails test|bundle exec (rake|rspec)|mvn (-\S+ )*(test|verify)|gradlew? (test|check|build)|dotnet test|phpunit|mix test|swift test|make (test|check))\b/i;
const DEPLOY_COMMAND = /\b(vercel( deploy| --prod|\b)|netlify deploy|flyctl deploy|fly deploy|heroku (container:release|releases)|git push heroku|railway up|render deploy|kubectl (apply|rollout|set image)|helm (upgrade|install)|serverless deploy|sls deploy|cdk deploy|terraform apply|pulumi up|gcloud (app|run) deploy|aws (ecs update-service|deploy|s3 sync|lambda update-function-code|amplify)|eb deploy|docker (push|compose .*up)|firebase deploy|wrangler (deploy|publish)|supabase (db push|functions deploy)|capistrano|cap production deploy|ansible-playbook)\b/i;
const DEPLOY_ACTION = /(vercel-action|flyctl-actions|netlify-actions|deploy-to-heroku|heroku-deploy|aws-actions\/amazon-ecs-deploy|google-github-actions\/deploy|azure\/webapps-deploy|cloudflare\/wrangler-action|railwayapp|render-deploy|actions\/deploy-pages|appleboy\/ssh-action)/i;
const DEPLOY_NAME = /\b(deploy|release|publish|ship|production|prod)\b/i;

export interface CiJob {
  file: string;
  id: string;
  /** Jobs it waits for (GitHub needs, GitLab needs or an earlier stage). */
  needs: string[];
  runsTests: boolean;
  deploys: boolean;
  line: number;
}

function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  return i < 0 ? 1 : text.slice(0, i).split('\n').length;
}

function stepText(step: unknown): string {
  if (!isObject(step)) return String(step ?? '');
  return [step.run, step.uses, step.name, step.script, step.command].filter((x) => typeof x === 'string').join('\n');
}

/** An environment given as a name or as `{ name: ... }`. */
function environmentName(v: unknown): string | undefined {
  return stringOf(v) ?? stringOf(asObject(v).name);
}

function githubJobs(file: CiFile, doc: JsonObject): CiJob[] {
  return Object.entries(asObject(doc.jobs)).map(([id, raw]) => {
    const job = asObject(raw);
    const steps: unknown[] = Array.isArray(job.steps) ? job.steps : [];
    const text = steps.map(stepText).join('\n');
    const uses = stringOf(job.uses) ?? '';
    const needs = job.needs === undefined ? [] : [job.needs].flat().map(String);
    const environment = environmentName(job.environment) ?? '';
    return {
      file: file.path, id, needs,
      runsTests: TEST_COMMAND.test(text) || /test/i.test(uses),
      deploys: DEPLOY_COMMAND.test(text) || DEPLOY_ACTION.test(text) || DEPLOY_ACTION.test(uses) || (DEPLOY_NAME.test(`${id} ${String(job.name ?? '')} ${environment}`) && !TEST_COMMAND.test(text)),
      line: lineOf(file.text, `${id}:`),
    };
  });
}

function gitlabJobs(file: CiFile, doc: JsonObject): CiJob[] {
  const reserved = new Set(['stages', 'variables', 'default', 'include', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script']);
  const stages = Array.isArray(doc.stages) ? doc.stages.map(String) : ['build', 'test', 'deploy'];
  const entries = Object.entries(doc).flatMap(([k, v]): [string, JsonObject][] => (!reserved.has(k) && !k.startsWith('.') && isObject(v) ? [[k, v]] : []));
  const jobs = entries.map(([id, job]) => {
    const text = ['before_script', 'script', 'after_script'].flatMap((k) => [job[k]].flat()).filter((x) => typeof x === 'string').join('\n');
    const stage = typeof job.stage === 'string' ? job.stage : 'test';
    return { id, job, text, stage };
  });
  return jobs.map(({ id, job, text, stage }) => {
    const explicit = Array.isArray(job.needs) ? job.needs.map((n: unknown) => stringOf(n) ?? String(asObject(n).job)) : undefined;
    // Without `needs`, a GitLab job waits for every job of the earlier stages.
    const earlier = jobs.filter((j) => stages.indexOf(j.stage) < stages.indexOf(stage)).map((j) => j.id);
    return {
      file: file.path, id, needs: explicit ?? earlier,
      runsTests: TEST_COMMAND.test(text),
      deploys: DEPLOY_COMMAND.test(text) || stage === 'deploy' || DEPLOY_NAME.test(`${id} ${String(environmentName(job.environment) ?? job.environment ?? '')}`),
      line: lineOf(file.text, `${id}:`),
    };
  });
}

/** Other providers: one pseudo-job per file, judged on its text (deploy after tests when the test command comes first). */
function textJobs(file: CiFile): CiJob[] {
  const t = TEST_COMMAND.exec(file.text);
  const d = DEPLOY_COMMAND.exec(file.text) ?? DEPLOY_ACTION.exec(file.text);
  const testAt = t ? t.index : Infinity;
  const deployAt = d ? d.index : Infinity;
  const jobs: CiJob[] = [];
  if (t) jobs.push({ file: file.path, id: 'test', needs: [], runsTests: true, deploys: false, line: lineOf(file.text, t[0]) });
  if (d) jobs.push({ file: file.path, id: 'deploy', needs: testAt < deployAt ? ['test'] : [], runsTests: false, deploys: true, line: lineOf(file.text, d[0]) });
  return jobs;
}

export interface CiAnalysis {
  jobs: CiJob[];
  unparsable: { file: string; error: string }[];
}

export function analyzeCi(facts: Pick<DeployFacts, 'ci'>): CiAnalysis {
  const jobs: CiJob[] = [];
  const unparsable: CiAnalysis['unparsable'] = [];
  for (const file of facts.ci) {
    if (file.provider === 'github-actions' || file.provider === 'gitlab-ci') {
      if (file.parseError !== undefined) {
        unparsable.push({ file: file.path, error: file.parseError });
        continue;
      }
      const doc = file.doc;
      if (!isObject(doc)) continue;
      jobs.push(...(file.provider === 'github-actions' ? githubJobs(file, doc) : gitlabJobs(file, doc)));
    } else {
      jobs.push(...textJobs(file));
    }
  }
  return { jobs, unparsable };
}

/** Whether a deploy job runs tests itself or (transitively) waits for a job of the same file that does. */
export function deployWaitsForTests(job: CiJob, jobs: CiJob[]): boolean {
  const byId = new Map(jobs.filter((j) => j.file === job.file).map((j) => [j.id, j]));
  const seen = new Set<string>();
  const stack = [job.id];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const j = byId.get(id);
    if (!j) continue;
    if (j.runsTests) return true;
    stack.push(...j.needs);
  }
  return false;
}
