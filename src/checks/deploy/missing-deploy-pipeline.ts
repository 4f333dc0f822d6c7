// A repeatable deploy: a CI deploy job or a platform that deploys from the repository, not someone's laptop.
import { defineCheck, repoOrSkip } from '../define.js';
import { analyzeCi } from '../../derive/ci.js';

export default defineCheck({
  id: 'missing-deploy-pipeline',
  area: 'deploy',
  severity: 'medium',
  impact: 'availability',
  title: 'Deploys are repeatable (a pipeline or a platform deploys from the repo)',
  description:
    'Releases depend on one person running the right commands from their machine: a hotfix at 2 a.m. or a contractor handover turns into guesswork, and a bad manual step takes the product down.',
  remediation: 'Deploy from the repository: a CI deploy job on the main branch, or a platform that builds from git (Vercel, Netlify, Fly, Render, Heroku, Railway...). Keep its config in the repo.',
  references: ['https://docs.github.com/en/actions/use-cases-and-examples/deploying/deploying-with-github-actions'],
  requires: ['deploy.repo'],
  messages: {
    none: { message: 'No deploy job in CI and no platform deploy config were found in {repo}.' },
  },
  run({ 'deploy.repo': repo, target }, ctx) {
    const facts = repoOrSkip(target, repo, ctx);
    if (!facts) return;
    const deployJobs = analyzeCi(facts).jobs.filter((j) => j.deploys);
    const platforms = facts.platforms.filter((p) => p.platform !== 'docker');
    if (deployJobs.length === 0 && platforms.length === 0) ctx.report({ code: 'none', args: { repo: facts.root }, location: { file: '.' } });
    ctx.details({ deployJobs: deployJobs.map((j) => `${j.file}#${j.id}`), platforms: facts.platforms.map((p) => `${p.platform} (${p.path})`) });
  },
});
