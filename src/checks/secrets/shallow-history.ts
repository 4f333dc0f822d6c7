// A shallow clone hides the older history from the secrets scan: say so rather than report a clean history.
import { defineCheck, scanOrSkip } from '../define.js';

export default defineCheck({
  id: 'shallow-history',
  area: 'secrets',
  severity: 'high',
  impact: 'data-exposure',
  title: 'The whole git history was scanned for secrets',
  description:
    'Only the latest commits were available (a shallow clone), so a secret committed earlier and deleted since would go unnoticed while it still works.',
  remediation:
    'Scan a full clone: in GitHub Actions set `fetch-depth: 0` on actions/checkout (GitLab: `GIT_DEPTH: 0`); locally run `git fetch --unshallow`.',
  references: ['https://github.com/actions/checkout#fetch-all-history-for-all-tags-and-branches'],
  requires: ['secrets.scan'],
  messages: {
    shallow: { message: '{repo} is a shallow clone: only {commits} commit(s) of its history could be scanned; older commits were not.' },
  },
  run({ 'secrets.scan': scan }, ctx) {
    const s = scanOrSkip(scan, ctx);
    if (!s) return;
    ctx.details({ commitsScanned: s.history.commits, shallow: s.shallow });
    if (s.shallow) ctx.report({ code: 'shallow', args: { repo: s.repo, commits: s.history.commits }, location: { file: '.git/shallow' } });
  },
});
