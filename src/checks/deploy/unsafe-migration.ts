// Schema migrations must be safe while the previous release still serves traffic: no long locks, no breaking renames.
import { defineCheck, repoOrSkip } from '../define.js';
import { migrationHits } from '../../derive/migrations.js';

export default defineCheck({
  id: 'unsafe-migration',
  area: 'deploy',
  severity: 'high',
  impact: 'availability',
  title: 'Migrations are safe to run under live traffic',
  description:
    'The migration locks a busy table or breaks the release still serving users during the deploy: sign-ups, logins and checkouts hang or fail for everyone until it finishes, or error out right after it.',
  remediation: 'Rewrite the migration in the safe pattern given for each finding, and run long data changes as a separate batched job.',
  references: ['https://github.com/sbdchd/squawk', 'https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES'],
  requires: ['deploy.repo'],
  messages: {
    'not-null-without-default': {
      message: '{file}:{line} adds NOT NULL column {object} without a default.',
      whatBreaks: 'On a table with rows the migration fails outright (the deploy stops half-way), and the old release inserting rows without the column starts failing.',
      remediation: 'Add the column as nullable (or with a constant DEFAULT), deploy code that writes it, backfill in batches, then add NOT NULL via a CHECK (col IS NOT NULL) NOT VALID constraint, VALIDATE it, and SET NOT NULL.',
    },
    'set-not-null': {
      message: '{file}:{line} sets {object} NOT NULL, scanning the whole table under an exclusive lock.',
      severity: 'medium',
      whatBreaks: 'Every read and write of the table waits while PostgreSQL scans it: requests time out for as long as the scan takes.',
      remediation: 'Add CHECK ({column} IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT in a later migration (no exclusive lock); SET NOT NULL is then instant on PostgreSQL 12+.',
    },
    'index-without-concurrently': {
      message: '{file}:{line} creates an index on {object} without CONCURRENTLY.',
      whatBreaks: 'Writes to the table (sign-ups, orders, messages) block until the index is built: minutes of failed requests on a large table.',
      remediation: 'Use CREATE INDEX CONCURRENTLY (outside a transaction: mark the migration non-transactional), or algorithm: :concurrently with disable_ddl_transaction! in Rails.',
    },
    'constraint-without-not-valid': {
      message: '{file}:{line} adds a foreign key or check constraint on {object} that is validated at once.',
      severity: 'medium',
      whatBreaks: 'Both tables are locked while every existing row is checked: writes stall for the duration.',
      remediation: 'Add the constraint with NOT VALID (validate: false in Rails), then VALIDATE CONSTRAINT in a separate migration.',
    },
    'column-type-change': {
      message: '{file}:{line} changes the type of {object}.',
      whatBreaks: 'Most type changes rewrite the table under an exclusive lock (everything waits), and the release still running may read or write values the new type rejects.',
      remediation: 'Add a new column of the new type, write to both, backfill in batches, switch reads, then drop the old column in a later release.',
    },
    rename: {
      message: '{file}:{line} renames {object}.',
      whatBreaks: 'The release still serving traffic during the deploy queries the old name: its requests fail with "column/relation does not exist" until the new code is everywhere.',
      remediation: 'Expand and contract: add the new name (column or view), write to both, move reads, and remove the old name one release later.',
    },
    drop: {
      message: '{file}:{line} drops {object}.',
      whatBreaks: 'The previous release, still running while the deploy rolls out (and the one you would roll back to), still reads it: its requests fail.',
      remediation: 'First ship code that no longer reads or writes it (and ignore the column in the ORM), then drop it in a later release.',
    },
    'backfill-in-migration': {
      message: '{file}:{line} changes data in {object} inside the schema migration.',
      severity: 'medium',
      whatBreaks: 'A long UPDATE/DELETE holds row locks inside the migration transaction: requests touching those rows hang, and a failure rolls back the whole deploy.',
      remediation: 'Move data changes to a separate, batched, resumable job run after the schema change (limit each batch, commit between batches).',
    },
  },
  run({ 'deploy.repo': repo, target }, ctx) {
    const facts = repoOrSkip(target, repo, ctx);
    if (!facts) return;
    if (facts.migrations.length === 0) {
      ctx.notApplicable('no migration files found (Prisma, Drizzle, Rails, Flyway, Supabase or migrations/*.sql layouts)');
      return;
    }
    let hits = 0;
    for (const file of facts.migrations) {
      for (const h of migrationHits(file)) {
        hits++;
        const column = h.object.includes('.') ? h.object.slice(h.object.indexOf('.') + 1) : h.object;
        ctx.report({
          code: h.problem,
          args: { file: file.path, line: h.line, object: h.object, column },
          location: { file: file.path, line: h.line },
          evidence: h.statement.length > 160 ? `${h.statement.slice(0, 157)}...` : h.statement,
        });
      }
    }
    ctx.details({ migrations: facts.migrations.length, layouts: [...new Set(facts.migrations.map((m) => m.layout))], problems: hits });
  },
});
