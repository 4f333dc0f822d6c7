// A way back: a platform that keeps releases, or a written rollback procedure someone else can follow.
import { defineCheck, repoOrSkip } from '../define.js';

const ROLLBACK = /\b(roll\s?-?back|revert(ing)? (a |the )?(deploy|release)|previous release|undo (a |the )?deploy)/i;
/** A runbook-like file: any mention there is a procedure. Elsewhere (a README) only a heading counts, not prose. */
const RUNBOOK_FILE = /(^|\/)(RUNBOOK|ROLLBACK|DEPLOY(ING|MENT)?|OPERATIONS)[^/]*$|(^|\/)(runbooks?|ops)\//i;

function rollbackLine(path: string, text: string): number {
  const lines = text.split('\n');
  const i = RUNBOOK_FILE.test(path)
    ? lines.findIndex((l) => ROLLBACK.test(l))
    : lines.findIndex((l) => /^\s{0,3}#{1,6}\s/.test(l) && ROLLBACK.test(l));
  return i + 1;
}

export default defineCheck({
  id: 'missing-rollback-path',
  area: 'deploy',
  severity: 'medium',
  impact: 'availability',
  title: 'There is a one-click or documented rollback path',
  description:
    'When a release breaks sign-up or payments, nobody knows how to put the previous version back: the outage lasts as long as it takes to debug and ship a fix forward.',
  remediation:
    'Write a short rollback runbook (RUNBOOK.md or a "Rollback" section in the README: the command or button, who can do it, how migrations are handled), or deploy on a platform that keeps releases (Vercel, Netlify, Fly, Render, Heroku, Kubernetes rollout undo).',
  references: ['https://sre.google/workbook/canarying-releases/'],
  requires: ['deploy.repo'],
  messages: {
    none: { message: 'No rollback procedure in the docs ({docs}) and no platform that keeps releases to roll back to.' },
  },
  run({ 'deploy.repo': repo, target }, ctx) {
    const facts = repoOrSkip(target, repo, ctx);
    if (!facts) return;
    const docs = facts.docs.flatMap((d) => {
      const line = rollbackLine(d.path, d.text);
      return line > 0 ? [`${d.path}:${line}`] : [];
    });
    const platforms = facts.platforms.filter((p) => p.rollback).map((p) => `${p.platform} (${p.path})`);
    if (docs.length === 0 && platforms.length === 0) {
      ctx.report({ code: 'none', args: { docs: facts.docs.length ? facts.docs.map((d) => d.path) : 'none found' }, location: { file: 'RUNBOOK.md' } });
    }
    ctx.details({ rollbackDocs: docs, rollbackPlatforms: platforms });
  },
});
