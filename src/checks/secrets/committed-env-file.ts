// Environment and credential files in the repository: a finding of their own even when no rule matches a value.
import { defineCheck, scanOrSkip } from '../define.js';

const KIND: Record<string, string> = {
  env: 'environment file',
  credentials: 'credentials file',
  'private-key': 'private key file',
  keystore: 'keystore',
};

export default defineCheck({
  id: 'committed-env-file',
  area: 'secrets',
  severity: 'high',
  impact: 'data-exposure',
  title: 'No .env or credentials files in the repository or its history',
  description:
    'Everything in the file (database passwords, API keys, signing keys) is readable by anyone with the repository, including values no scanner rule recognises.',
  remediation:
    'Rotate every value the file holds, `git rm --cached <file>`, add it to .gitignore, and keep a .env.example with names only. Set real values in the deployment environment.',
  references: ['https://12factor.net/config', 'https://docs.github.com/en/get-started/getting-started-with-git/ignoring-files'],
  requires: ['secrets.scan'],
  messages: {
    tracked: { message: '{path} ({kind}) is committed{added}.' },
    'in-history': {
      message: '{path} ({kind}) was committed in {commit} on {date} and later removed: its values are still in the history.',
    },
    unignored: {
      message: '{path} ({kind}) is in the working tree and not ignored: the next `git add .` commits it.',
      severity: 'medium',
      whatBreaks: 'Nothing yet; one careless commit publishes every value in it.',
      remediation: 'Add the file to .gitignore (e.g. `.env*` with `!.env.example`).',
    },
  },
  run({ 'secrets.scan': scan }, ctx) {
    const s = scanOrSkip(scan, ctx);
    if (!s) return;
    for (const f of s.sensitiveFiles) {
      const kind = KIND[f.kind] ?? f.kind;
      const commit = f.addedIn?.commit.slice(0, 7);
      const date = f.addedIn?.date.slice(0, 10);
      const location = { file: f.path, ...(f.addedIn ? { commit: f.addedIn.commit } : {}) };
      if (f.tracked) {
        ctx.report({ code: 'tracked', args: { path: f.path, kind, added: f.addedIn ? ` (since ${commit} on ${date})` : '' }, location });
      } else if (f.addedIn) {
        ctx.report({ code: 'in-history', args: { path: f.path, kind, commit: commit!, date: date! }, location });
        // Removed from git but still on disk and unignored: both problems.
        if (f.unignored) ctx.report({ code: 'unignored', args: { path: f.path, kind }, location: { file: f.path } });
      } else if (f.unignored) {
        ctx.report({ code: 'unignored', args: { path: f.path, kind }, location });
      }
    }
    ctx.details({ sensitiveFiles: s.sensitiveFiles.length });
  },
});
