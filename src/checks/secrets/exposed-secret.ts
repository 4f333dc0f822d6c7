// Secrets in the working tree or anywhere in the git history: each distinct value once, with where it is now and
// the commit that introduced it. Values are already masked in the facts; nothing here can print one whole.
import type { SecretMatch } from '../../facts/secrets.js';
import { defineCheck, scanOrSkip } from '../define.js';

const HISTORY_NOTE = 'Deleting it from the code does not help: it stays in every clone and fork of the history.';

function origin(m: SecretMatch, historyRead: boolean): string {
  if (!m.introduced) return historyRead ? 'not committed yet (working tree only)' : 'its commit is unknown (the history could not be read)';
  const c = m.introduced;
  const at = `${c.file}${c.line !== undefined ? `:${c.line}` : ''}`;
  const now = m.inTree ? `${m.inTree.file}${m.inTree.line !== undefined ? `:${m.inTree.line}` : ''}` : undefined;
  // The place it was committed is worth saying only when it is not where it is now.
  return `first committed in ${c.commit!.slice(0, 7)} on ${c.date!.slice(0, 10)}${at === now ? '' : ` (${at})`}${m.commits > 1 ? `, added again in ${m.commits - 1} later commit(s)` : ''}`;
}

function codeFor(m: SecretMatch): 'in-tree' | 'in-history' | 'in-tree-high' | 'in-history-high' | 'in-tree-medium' | 'in-history-medium' | 'low-risk' | 'public-key' {
  if (m.severity === 'info') return 'public-key';
  if (m.severity === 'medium') return m.inTree ? 'in-tree-medium' : 'in-history-medium';
  if (m.severity === 'low') return 'low-risk';
  const place = m.inTree ? 'in-tree' : 'in-history';
  return m.severity === 'critical' ? place : `${place}-high`;
}

export default defineCheck({
  id: 'exposed-secret',
  area: 'secrets',
  severity: 'critical',
  impact: 'data-exposure',
  title: 'No secrets in the code or anywhere in the git history',
  description:
    'Anyone who can read the repository (a contractor, a leaked laptop, a public fork, a CI log) can use the credential: charge cards, read customer data, send mail as you, or run up a cloud bill.',
  remediation:
    'Rotate the secret where it was issued first (the message says where), then move it to the deployment environment or a secret store. Rewriting history is optional once it is rotated; the rotation is what matters.',
  references: [
    'https://docs.github.com/en/code-security/secret-scanning/about-secret-scanning',
    'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
  ],
  requires: ['secrets.scan'],
  messages: {
    'in-tree': { message: '{description} {masked} in {file}{line}, {origin}. Rotate it: {rotate}' },
    'in-history': {
      message: '{description} {masked} is no longer in the files but is in the history: {origin}. Rotate it: {rotate}',
      whatBreaks: `Anyone with a clone can still use it. ${HISTORY_NOTE}`,
    },
    'in-tree-high': { message: '{description} {masked} in {file}{line}, {origin}. Rotate it: {rotate}', severity: 'high' },
    'in-history-high': {
      message: '{description} {masked} is no longer in the files but is in the history: {origin}. Rotate it: {rotate}',
      severity: 'high',
      whatBreaks: `Anyone with a clone can still use it. ${HISTORY_NOTE}`,
    },
    'in-tree-medium': { message: '{description} {masked} in {file}{line}, {origin}. Rotate it: {rotate}', severity: 'medium' },
    'in-history-medium': {
      message: '{description} {masked} is no longer in the files but is in the history: {origin}. Rotate it: {rotate}',
      severity: 'medium',
      whatBreaks: `Anyone with a clone can use it until it expires or is revoked. ${HISTORY_NOTE}`,
    },
    'public-key': {
      message: '{description} {masked} in {file}{line} is public by design in client code; make sure it is restricted. {rotate}',
      severity: 'info',
      impact: 'hygiene',
      whatBreaks: 'Nothing while the key is restricted to your apps and APIs; an unrestricted one lets anyone spend your quota.',
    },
    'low-risk': {
      message: '{description} {masked} in {file}{line} ({why}). {rotate}',
      severity: 'low',
      impact: 'hygiene',
      whatBreaks: 'Little by itself (a test-mode or public-by-design key), but it trains the team to commit keys, and the live one is next.',
    },
    'scan-gaps': {
      message: '{count} file(s) were not scanned: {files}. Secrets in them would be missed.',
      severity: 'info',
      impact: 'hygiene',
      whatBreaks: 'Nothing directly; the scan is incomplete for these files.',
      remediation: 'Generated or vendored files over the size cap are usually safe to skip; make sure none of them holds configuration.',
    },
  },
  run({ 'secrets.scan': scan }, ctx) {
    const s = scanOrSkip(scan, ctx);
    if (!s) return;
    const byRule: Record<string, number> = {};
    for (const m of s.matches) {
      byRule[m.ruleId] = (byRule[m.ruleId] ?? 0) + 1;
      const code = codeFor(m);
      // Every place the value sits in the current files, grouped by its identity into one finding.
      const places = [{ where: m.inTree ?? m.introduced!, evidence: m.evidence }, ...(m.alsoInTree ?? []).map((p) => ({ where: p, evidence: p.evidence ?? m.evidence }))];
      for (const [i, { where, evidence }] of places.entries()) ctx.report({
        code,
        args: {
          description: m.description,
          rule: m.ruleId,
          masked: m.masked,
          length: m.length,
          secretId: m.secretId,
          file: where.file,
          line: where.line !== undefined ? `:${where.line}` : ' (binary file)',
          origin: origin(m, !s.history.error),
          stillInTree: Boolean(m.inTree),
          commit: m.introduced?.commit?.slice(0, 7) ?? null,
          date: m.introduced?.date ?? null,
          commits: m.commits,
          rotate: m.rotate,
          why: m.publicByDesign ? 'public by design in this file: restrict it to your apps and APIs' : 'test mode: no real money or data',
        },
        location: {
          file: where.file,
          ...(where.line !== undefined ? { line: where.line } : {}),
          ...(m.introduced?.commit ? { commit: m.introduced.commit } : {}),
          record: `secret ${m.secretId}`,
        },
        // The same secret is the same finding wherever its line moves: baselines keep matching it.
        // The first place keeps the identity every earlier report gave the secret; copies are told apart by file.
        identity: i === 0 ? `secret ${m.secretId}` : `secret ${m.secretId} in ${where.file}`,
        group: `secret ${m.secretId}`,
        evidence,
      });
    }
    // Findings so far stand; a history that could not be read is never a clean one.
    if (s.history.error) ctx.unknown(`the git history could not be scanned: ${s.history.error}`);
    if (s.tree.skipped.length > 0) {
      const files = s.tree.skipped.slice(0, 10).map((f) => `${f.path} (${f.reason === 'too-large' ? `${Math.round((f.size ?? 0) / 1024)} KiB` : 'unreadable'})`);
      ctx.report({
        code: 'scan-gaps',
        args: { count: s.tree.skipped.length, files: s.tree.skipped.length > 10 ? [...files, `and ${s.tree.skipped.length - 10} more`] : files },
        location: { file: s.tree.skipped[0]!.path },
      });
    }
    ctx.details({
      repo: s.repo,
      tree: { files: s.tree.files, bytes: s.tree.bytes, binaries: s.tree.binaries, skipped: s.tree.skipped.length },
      history: { ...s.history, shallow: s.shallow },
      secrets: s.matches.length + (s.overflow ?? 0),
      byRule,
      allowedInline: s.allowedInline,
    });
  },
});
