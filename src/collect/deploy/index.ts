// Deploy collector: walks the repository once and reads the files that say how the product ships — migrations, CI
// configs, platform configs, runbooks and coverage reports — as size-capped text.
import { open, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parse } from 'yaml';
import type { CiProvider, CoverageFormat, DeployFacts, MigrationFile, RepoFile } from '../../facts/deploy.js';
import type { TargetFacts } from '../../facts/index.js';
import type { CollectContext } from '../context.js';

const SKIP_DIRS = new Set(['node_modules', '.git', 'vendor', 'dist', 'build', '.next', '.nuxt', 'target', 'Pods', '.venv', 'venv', '__pycache__', '.turbo', '.cache']);
const MAX_FILES = 50_000;
const MAX_DEPTH = 12;
const TEXT_CAP = 1 << 20; // 1 MiB per file
const COVERAGE_CAP = 32 << 20; // coverage-final.json of a mid-size app runs to tens of MiB

export async function walk(root: string, signal?: AbortSignal): Promise<{ files: string[]; skipped: string[] }> {
  const files: string[] = [];
  const skipped: string[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    if (signal?.aborted) return;
    if (files.length >= MAX_FILES) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      skipped.push(`${relative(root, dir) || '.'}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name)) continue;
        if (depth >= MAX_DEPTH) { skipped.push(`${relative(root, full)}: deeper than ${MAX_DEPTH} levels`); continue; }
        await visit(full, depth + 1);
      } else if (e.isFile()) {
        if (files.length >= MAX_FILES) { skipped.push(`more than ${MAX_FILES} files: the rest were not read`); return; }
        files.push(relative(root, full).split(sep).join('/'));
      }
    }
  };
  await visit(root, 0);
  return { files, skipped };
}

async function readCapped(root: string, path: string, cap: number): Promise<RepoFile> {
  const handle = await open(join(root, path), 'r');
  try {
    const buf = Buffer.alloc(cap + 1);
    const { bytesRead } = await handle.read(buf, 0, cap + 1, 0);
    const truncated = bytesRead > cap;
    return { path, text: buf.subarray(0, Math.min(bytesRead, cap)).toString('utf8'), ...(truncated ? { truncated } : {}) };
  } finally {
    await handle.close();
  }
}

const MIGRATION_LAYOUTS: [RegExp, string, MigrationFile['dialect']][] = [
  [/(^|\/)prisma\/migrations\/[^/]+\/migration\.sql$/, 'prisma', 'sql'],
  [/(^|\/)supabase\/migrations\/[^/]+\.sql$/, 'supabase', 'sql'],
  [/(^|\/)drizzle\/(.+\/)?[^/]+\.sql$/, 'drizzle', 'sql'],
  [/(^|\/)db\/migrate\/[^/]+\.rb$/, 'rails', 'rails'],
  [/(^|\/)(src\/main\/resources\/)?db\/migration\/[VU][^/]*\.sql$/, 'flyway', 'sql'],
  [/(^|\/)migrations?\/(.+\/)?[^/]+\.sql$/, 'plain', 'sql'],
];

const CI_FILES: [RegExp, CiProvider][] = [
  [/^\.github\/workflows\/[^/]+\.ya?ml$/, 'github-actions'],
  [/^\.gitlab-ci\.ya?ml$/, 'gitlab-ci'],
  [/^\.circleci\/config\.ya?ml$/, 'circleci'],
  [/^bitbucket-pipelines\.ya?ml$/, 'bitbucket'],
  [/^azure-pipelines\.ya?ml$/, 'azure-pipelines'],
  [/^Jenkinsfile$/, 'jenkins'],
];

/** Platforms that deploy from the repository, and whether they keep releases to roll back to. */
const PLATFORMS: [RegExp, string, boolean][] = [
  [/^vercel\.json$/, 'vercel', true],
  [/^netlify\.toml$/, 'netlify', true],
  [/^fly\.toml$/, 'fly', true],
  [/^render\.ya?ml$/, 'render', true],
  [/^(Procfile|app\.json)$/, 'heroku', true],
  [/^railway\.(json|toml)$/, 'railway', true],
  [/^app\.ya?ml$/, 'google-app-engine', true],
  [/^(serverless\.ya?ml)$/, 'serverless', false],
  [/^(Dockerfile|docker-compose\.ya?ml|compose\.ya?ml)$/, 'docker', false],
  [/^(k8s|kubernetes|helm|charts)\/.+\.ya?ml$/, 'kubernetes', true],
  [/^\.platform\.app\.yaml$/, 'platform.sh', true],
  [/^amplify\.ya?ml$/, 'aws-amplify', true],
];

const DOCS = /^(README|RUNBOOK|DEPLOY(ING|MENT)?|OPERATIONS|ROLLBACK)[^/]*\.(md|markdown|txt|rst)$|^(docs?|runbooks?|ops)\/.+\.(md|markdown)$/i;

const COVERAGE: [RegExp, CoverageFormat][] = [
  [/(^|\/)lcov\.info$/, 'lcov'],
  [/(^|\/)coverage-summary\.json$/, 'istanbul-summary'],
  [/(^|\/)coverage-final\.json$/, 'istanbul-final'],
  [/(^|\/)(cobertura(-coverage)?|coverage)\.xml$/, 'cobertura'],
];

/** GitHub Actions and GitLab CI are YAML: parsed here, so checks get plain data. */
function parseCi(provider: CiProvider, text: string): { doc?: unknown; parseError?: string } {
  if (provider !== 'github-actions' && provider !== 'gitlab-ci') return {};
  try {
    return { doc: parse(text) as unknown };
  } catch (err) {
    return { parseError: (err as Error).message.split('\n')[0]! };
  }
}

export interface DeployConfig {
  coverage?: { critical: string[]; min: number; report?: string };
}

export async function collectDeploy(ctx: CollectContext, target: TargetFacts & { deploy?: DeployConfig }): Promise<DeployFacts> {
  const root = target.repo;
  const empty: DeployFacts = { root: root ?? '', migrations: [], ci: [], platforms: [], docs: [], coverage: [], skipped: [] };
  if (!root) return empty;
  const { files, skipped } = await walk(root, ctx.signal);
  const facts: DeployFacts = { ...empty, skipped, ...(target.deploy?.coverage ? { coverageConfig: target.deploy.coverage } : {}) };
  const explicitReport = target.deploy?.coverage?.report?.replace(/^\.\//, '');
  const reads: Promise<void>[] = [];
  for (const path of files) {
    const migration = MIGRATION_LAYOUTS.find(([re]) => re.test(path));
    const ci = CI_FILES.find(([re]) => re.test(path));
    const platform = PLATFORMS.find(([re]) => re.test(path));
    const coverage = COVERAGE.find(([re]) => re.test(path));
    const read = (cap: number, use: (f: RepoFile) => void) =>
      reads.push(readCapped(root, path, cap).then(use, (err: NodeJS.ErrnoException) => { skipped.push(`${path}: ${err.code ?? err.message}`); }));
    if (migration) read(TEXT_CAP, (f) => facts.migrations.push({ ...f, layout: migration[1], dialect: migration[2] }));
    if (ci) read(TEXT_CAP, (f) => facts.ci.push({ ...f, provider: ci[1], ...parseCi(ci[1], f.text) }));
    if (platform) facts.platforms.push({ path, platform: platform[1], rollback: platform[2] });
    if (DOCS.test(path)) read(TEXT_CAP, (f) => facts.docs.push(f));
    if (coverage && (!explicitReport || explicitReport === path)) read(COVERAGE_CAP, (f) => facts.coverage.push({ ...f, format: coverage[1] }));
  }
  if (explicitReport && !files.includes(explicitReport)) skipped.push(`${explicitReport}: the coverage report named in the config does not exist`);
  await Promise.all(reads);
  // Reads finish in any order: sort so facts (and findings) are deterministic.
  for (const list of [facts.migrations, facts.ci, facts.docs, facts.coverage] as { path: string }[][]) list.sort((a, b) => a.path.localeCompare(b.path));
  return facts;
}
