// Environment variables the code reads but .env.example does not list: the next deploy (or the next engineer)
// misses one and the app starts without it. The full inventory goes in the report.
import { defineCheck, scanOrSkip } from '../define.js';

const MAX_FINDINGS = 50;

export default defineCheck({
  id: 'undocumented-env-var',
  area: 'hygiene',
  severity: 'medium',
  impact: 'availability',
  title: 'Every environment variable the code reads is documented',
  description:
    'A variable nobody knows about is missing on the production server: the feature behind it fails (or falls back to a dev default) on launch day.',
  remediation: 'List every variable in .env.example with an empty or placeholder value and a comment, and set it in every environment.',
  references: ['https://12factor.net/config'],
  requires: ['hygiene.repo'],
  messages: {
    undocumented: { message: '{name} is read at {file}:{line} but not listed in {examples}.' },
    'no-example-file': {
      message: 'The code reads {count} environment variable(s) that no .env.example (or .env.sample/.env.template, README, docs) documents: {names}.',
    },
    inventory: {
      message: 'Environment variables the code reads ({count}): {names}.',
      severity: 'info',
      impact: 'hygiene',
      whatBreaks: 'Nothing: this is the inventory to set in every environment.',
      remediation: 'Set each of these in production before launch.',
    },
  },
  run({ 'hygiene.repo': facts }, ctx) {
    const f = scanOrSkip(facts, ctx);
    if (!f) return;
    const { reads, documented, exampleFiles, mentionedInDocs, docFiles } = f.env;
    const docs = new Set([...documented, ...mentionedInDocs]);
    if (reads.length === 0) {
      ctx.notApplicable('the code reads no environment variables');
      return;
    }
    const missing = reads.filter((r) => !docs.has(r.name));
    if (exampleFiles.length === 0 && missing.length > 0) {
      ctx.report({ code: 'no-example-file', args: { count: missing.length, names: missing.map((r) => r.name) }, location: { file: '.env.example' } });
    } else {
      const where = [...exampleFiles, ...docFiles].join(', ');
      missing.slice(0, MAX_FINDINGS).forEach((r) =>
        ctx.report({ code: 'undocumented', args: { name: r.name, file: r.file, line: r.line, examples: where }, location: { file: r.file, line: r.line, record: r.name } }));
    }
    ctx.report({
      code: 'inventory',
      args: { count: reads.length, names: reads.map((r) => (docs.has(r.name) ? r.name : `${r.name} (undocumented)`)) },
    });
    const readNames = new Set(reads.map((r) => r.name));
    ctx.details({
      inventory: reads.map((r) => ({ name: r.name, documented: docs.has(r.name), reads: r.reads, first: `${r.file}:${r.line}` })),
      exampleFiles,
      docFiles,
      documentedButUnused: documented.filter((d) => !readNames.has(d)),
    });
  },
});
