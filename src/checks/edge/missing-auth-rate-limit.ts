// Auth endpoints (login, OTP, password reset) must start refusing a burst of failed attempts: the opt-in probe sends
// at most N requests with invalid credentials and records the number of the first limited answer.
import { defineCheck } from '../define.js';
import { hostOf } from '../../derive/responses.js';

export default defineCheck({
  id: 'missing-auth-rate-limit',
  area: 'edge',
  severity: 'high',
  impact: 'auth',
  title: 'Auth endpoints rate-limit repeated attempts',
  description: 'Attackers can hammer login, OTP and password-reset endpoints without friction: passwords get guessed (credential stuffing), 6-digit codes brute-forced, and reset emails or SMS sent by the thousand on your bill.',
  remediation:
    'Limit attempts per account and per IP on every auth endpoint (e.g. 5-10 per minute), answering 429 with Retry-After; add exponential back-off or a CAPTCHA after repeated failures. Most frameworks and CDNs/WAFs have a rate-limit rule for this.',
  references: ['https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#protect-against-automated-attacks', 'https://www.rfc-editor.org/rfc/rfc6585#section-4'],
  requires: ['edge.http'],
  messages: {
    'never-limited': { message: 'The auth endpoint "{name}" ({url}) answered all {sent} attempts with invalid credentials without limiting (statuses: {statuses}).' },
    'limit-not-reached': {
      message: 'The auth endpoint "{name}" advertises a limit of {advertised} requests, above the {sent} attempts probed: limiting was not seen.',
      severity: 'low',
      whatBreaks: 'The limit may be too loose to slow down guessing: that many tries per window lets short codes and common passwords through.',
    },
  },
  run(facts, ctx) {
    const edge = facts['edge.http'];
    const probed = edge.endpoints.filter((e) => e.rateLimit);
    if (probed.length === 0) {
      ctx.notApplicable('no endpoint opts in with rateLimitProbe: true');
      return;
    }
    const limitedAt: Record<string, number | null> = {};
    const probes = [];
    for (const e of probed) {
      const p = e.rateLimit!;
      probes.push({ name: e.name, url: e.url, sent: p.sent, max: p.max, limitedAt: p.limitedAt, signal: p.signal ?? null, ...(p.skipped ? { skipped: p.skipped } : {}), ...(p.error ? { error: p.error } : {}) });
      if (p.skipped) {
        ctx.unknown(`rate-limit probe of "${e.name}" not run: ${p.skipped} (add the host to load.confirm to allow it)`);
        continue;
      }
      if (p.error && p.limitedAt === null) {
        ctx.unknown(`rate-limit probe of "${e.name}" failed after ${p.sent} request(s): ${p.error}`);
        continue;
      }
      limitedAt[e.name] = p.limitedAt;
      if (p.limitedAt !== null) continue;
      const location = { host: hostOf(e.url), url: e.url };
      const statuses = [...new Set(p.statuses)].map(String);
      if (p.advertisedLimit !== undefined && p.advertisedLimit >= p.sent) {
        ctx.report({ code: 'limit-not-reached', args: { name: e.name, url: e.url, sent: p.sent, advertised: p.advertisedLimit }, location });
      } else {
        ctx.report({ code: 'never-limited', args: { name: e.name, url: e.url, sent: p.sent, statuses }, location });
      }
    }
    ctx.details({ limitedAt, probes });
  },
});
