// Every deploy should wait for the tests: CI exists, runs the tests, and no deploy job can skip them.
import { defineCheck, repoOrSkip } from '../define.js';
import { analyzeCi, deployWaitsForTests } from '../../derive/ci.js';

export default defineCheck({
  id: 'untested-deploy',
  area: 'deploy',
  severity: 'high',
  impact: 'availability',
  title: 'CI runs the tests before anything deploys',
  description:
    'A change that breaks login or checkout reaches users without any test having run: the first person to notice is a customer, and fixes ship under pressure.',
  remediation: 'Run the test suite in CI on every push, and make each deploy job depend on it (GitHub: `needs: test`; GitLab: a test stage before deploy).',
  references: ['https://docs.github.com/en/actions/using-jobs/using-jobs-in-a-workflow#defining-prerequisite-jobs'],
  requires: ['deploy.repo'],
  messages: {
    'no-ci': {
      message: 'No CI configuration was found in {repo} (GitHub Actions, GitLab CI, CircleCI, Bitbucket, Azure Pipelines or Jenkins).',
      severity: 'medium',
      remediation: 'Add a CI workflow that installs dependencies and runs the tests on every push and pull request (e.g. .github/workflows/ci.yml running `npm ci && npm test`).',
    },
    'no-tests-in-ci': { message: 'CI ({files}) never runs a test command.', severity: 'medium' },
    'deploy-without-tests': { message: 'Job "{job}" in {file}:{line} deploys without running or waiting for the tests.' },
  },
  run({ 'deploy.repo': repo, target }, ctx) {
    const facts = repoOrSkip(target, repo, ctx);
    if (!facts) return;
    if (facts.ci.length === 0) {
      ctx.report({ code: 'no-ci', args: { repo: facts.root }, location: { file: '.github/workflows/' } });
      return;
    }
    const { jobs, unparsable } = analyzeCi(facts);
    for (const u of unparsable) ctx.unknown(`${u.file} could not be parsed: ${u.error}`);
    // A file we could not read may hold the tests: no verdict on "never runs tests" then.
    if (!jobs.some((j) => j.runsTests) && unparsable.length === 0) {
      ctx.report({ code: 'no-tests-in-ci', args: { files: facts.ci.map((c) => c.path) }, location: { file: facts.ci[0]!.path } });
    }
    for (const job of jobs.filter((j) => j.deploys)) {
      if (!deployWaitsForTests(job, jobs)) {
        ctx.report({ code: 'deploy-without-tests', args: { job: job.id, file: job.file, line: job.line }, location: { file: job.file, line: job.line } });
      }
    }
    ctx.details({
      ciFiles: facts.ci.map((c) => `${c.path} (${c.provider})`),
      testJobs: jobs.filter((j) => j.runsTests).map((j) => `${j.file}#${j.id}`),
      deployJobs: jobs.filter((j) => j.deploys).map((j) => `${j.file}#${j.id}`),
    });
  },
});
