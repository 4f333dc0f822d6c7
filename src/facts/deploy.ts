// Deploy-readiness facts: the repository files that say how the product ships (migrations, CI, platform configs,
// runbooks, coverage reports), read as text with a size cap. Types only.

export interface RepoFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  text: string;
  /** The file was longer than the cap and `text` holds only its start. */
  truncated?: boolean;
}

export type MigrationDialect = 'sql' | 'rails';

export interface MigrationFile extends RepoFile {
  dialect: MigrationDialect;
  /** Which layout found it: prisma, drizzle, knex, rails, flyway, supabase, plain. */
  layout: string;
}

export type CiProvider = 'github-actions' | 'gitlab-ci' | 'circleci' | 'bitbucket' | 'azure-pipelines' | 'jenkins';

export interface CiFile extends RepoFile {
  provider: CiProvider;
  /** GitHub Actions and GitLab CI files parsed from YAML by the collector (plain data); other providers are read as text. */
  doc?: unknown;
  /** The YAML could not be parsed: why. */
  parseError?: string;
}

export interface PlatformFile {
  path: string;
  /** vercel, netlify, fly, render, heroku, railway, docker, serverless, ... */
  platform: string;
  /** Whether the platform keeps previous releases and can roll back to one in a click or command. */
  rollback: boolean;
}

export type CoverageFormat = 'lcov' | 'istanbul-summary' | 'istanbul-final' | 'cobertura';

export interface CoverageFile extends RepoFile {
  format: CoverageFormat;
}

export interface DeployFacts {
  root: string;
  migrations: MigrationFile[];
  ci: CiFile[];
  platforms: PlatformFile[];
  /** README, RUNBOOK, docs/*.md: where a rollback procedure would be written. */
  docs: RepoFile[];
  coverage: CoverageFile[];
  /** From the config: critical path globs and the minimum line coverage. */
  coverageConfig?: { critical: string[]; min: number; report?: string };
  /** Files passed over (too many, unreadable), so a check can say what it did not see. */
  skipped: string[];
}

export interface HttpPeek {
  /** Absent when the request failed. */
  status?: number;
  /** Lower-cased header names; values cut to 512 characters. */
  headers?: Record<string, string>;
  /** The body's start (robots.txt), up to 16 KiB. */
  body?: string;
  error?: string;
}

export interface EnvironmentHost {
  name: string;
  addresses: string[];
  /** CNAME targets in order. */
  chain: string[];
  /** A DNS failure: addresses unknown. */
  dnsError?: string;
  /** GET https://host/ (headers only matter) and GET https://host/robots.txt; absent for production hosts. */
  root?: HttpPeek;
  robots?: HttpPeek;
}

export interface EnvironmentFacts {
  name: string;
  production: boolean;
  owner?: string;
  hosts: EnvironmentHost[];
}
