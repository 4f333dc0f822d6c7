// Hardcoded dev URLs (localhost, private addresses, .local names, tunnels, configured staging hosts) in app code
// and production config; tests, docs and dev-only files are not looked at by the collector.
import { devHostKind, nonProductionLabel } from '../../secrets/dev-hosts.js';
import { defineCheck, scanOrSkip } from '../define.js';

// A repository full of them is one problem told many times: the count says the rest.
const MAX_FINDINGS = 50;

const KIND_TEXT: Record<string, string> = {
  loopback: 'a loopback address (the user\'s own device)',
  private: 'a private network address',
  'local-domain': 'a local network name',
  tunnel: 'a tunnel to a developer machine',
  staging: 'a staging host',
};

export default defineCheck({
  id: 'dev-url',
  area: 'hygiene',
  severity: 'medium',
  impact: 'availability',
  title: 'No hardcoded dev URLs in app code or production config',
  description:
    'In production the URL points at the user\'s own device, a private network or a developer\'s laptop: requests fail (or, for a tunnel or staging host, send real users\' data somewhere it should not go).',
  remediation: 'Read the URL from configuration per environment (e.g. an env var set at build/deploy time) and default to the production value.',
  references: ['https://12factor.net/config'],
  requires: ['hygiene.repo'],
  messages: {
    'in-code': { message: '{url} in {file}:{line} points at {kind}.' },
    'in-production-config': {
      message: '{url} in production configuration {file}:{line} points at {kind}.',
      severity: 'high',
    },
    tunnel: {
      message: '{url} in {file}:{line} points at {kind}: it only works while that machine and tunnel are up.',
      severity: 'high',
      impact: 'data-exposure',
      whatBreaks: 'Requests reach a developer machine through a public tunnel when it is up and fail when it is not; real users\' data passes through it.',
    },
    more: { message: '{count} more dev URL(s) not listed one by one.', severity: 'info' },
  },
  run({ 'hygiene.repo': facts, target }, ctx) {
    const f = scanOrSkip(facts, ctx);
    if (!f) return;
    const staging = target.repoOptions?.stagingHosts ?? [];
    // A mobile app's base URL settings are judged by mobile-api-url, which knows which build each belongs to.
    const baseUrlLines = new Set(f.mobile.platforms.length ? f.mobile.baseUrls.map((b) => `${b.file}:${b.line}`) : []);
    let reported = 0;
    let over = 0;
    const byKind: Record<string, number> = {};
    for (const u of f.devUrls) {
      const kind = devHostKind(u.host, staging) ?? (u.productionConfig && nonProductionLabel(u.host) ? 'staging' : undefined);
      if (!kind || baseUrlLines.has(`${u.file}:${u.line}`)) continue;
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      if (reported >= MAX_FINDINGS) { over++; continue; }
      reported++;
      const code = kind === 'tunnel' ? 'tunnel' : u.productionConfig ? 'in-production-config' : 'in-code';
      ctx.report({ code, args: { url: u.url, host: u.host, kind: KIND_TEXT[kind]!, file: u.file, line: u.line }, location: { file: u.file, line: u.line, url: u.url } });
    }
    if (over > 0) ctx.report({ code: 'more', args: { count: over } });
    ctx.details({ filesScanned: f.files, devUrls: byKind });
  },
});
