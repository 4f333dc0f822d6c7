// Each failing step of a configured auth flow, with what it should have answered, what it did, and what users see.
import type { FlowFailureKind } from '../../facts/flows.js';
import { defineCheck, type MessageSpec } from '../define.js';

const STEP = '{flow} › {step}: expected {expected}, got {actual}.';

const messages: Record<FlowFailureKind, MessageSpec> = {
  unreachable: { message: `${STEP} Users: {experience}`, impact: 'availability' },
  'unexpected-status': { message: `${STEP} Users: {experience}` },
  'unexpected-body': { message: `${STEP} Users: {experience}` },
  'missing-value': {
    message: `${STEP} Later steps need it.`,
    whatBreaks: 'The app cannot read the token or id it needs from this answer: the next screen of the flow fails.',
    remediation: 'Return the value where the flow (and the app) expects it, or fix the JSON pointer / header name in the flow\'s extract.',
  },
  'over-budget': {
    message: '{flow} › {step} took {actual} (budget: {expected}).',
    severity: 'medium', impact: 'performance',
    whatBreaks: 'This step of sign-in is slow: users wait on a spinner, mobile clients time out on weak networks.',
    remediation: 'Profile the endpoint (password hashing cost, database lookups, calls to third parties) or raise the budget if it is deliberate.',
  },
  'refresh-token-reusable': {
    message: `${STEP} The old refresh token still works after rotation.`,
    impact: 'auth',
    whatBreaks: 'A leaked or stolen refresh token keeps working after it was used: an attacker keeps a session the user cannot end.',
    remediation: 'Invalidate a refresh token when it is used (rotation) and, on reuse of an old one, revoke the whole token family.',
    severity: 'high',
  },
  'refresh-token-not-rotated': {
    message: '{flow} › {step}: expected {expected}, got {actual}.',
    severity: 'medium',
    whatBreaks: 'Refresh tokens live forever unchanged: one leaked token gives a permanent session.',
    remediation: 'Issue a new refresh token on every refresh and invalidate the old one, or set "rotation": false in the flow if you deliberately do not rotate.',
  },
  'session-survives-logout': {
    message: `${STEP} The session still works after logout.`,
    whatBreaks: 'A session keeps working after logout: anyone holding the token (a shared device, a stolen token) stays signed in as the user.',
    remediation: 'Revoke the session on logout: delete it server-side (or add the token to a deny-list until it expires) and revoke its refresh token.',
  },
  'account-enumeration': {
    message: '{flow} › {step}: expected {expected}, got {actual}.',
    severity: 'medium', impact: 'data-exposure',
    whatBreaks: 'Anyone can find out which email addresses have an account (user enumeration): targeted phishing and credential stuffing get easier.',
    remediation: 'Answer every reset request with the same status and message ("If an account exists, we sent an email"), and do the work asynchronously so timing matches too.',
  },
  'reset-token-leaked': {
    message: '{flow} › {step}: expected {expected}, got {actual}.',
    severity: 'critical', impact: 'auth',
    whatBreaks: 'The reset token is in the HTTP answer: anyone can reset any user\'s password without access to their inbox (account takeover).',
    remediation: 'Send the reset token only by email; the API answer must carry no token, link or code.',
  },
  'callback-error': {
    message: '{flow} › {step}: expected {expected}, got {actual}. Users: {experience}',
    whatBreaks: 'Users who sign in through this callback (OAuth provider, magic link) land on an error page: "broken login callbacks".',
    remediation: 'Register the production callback URL at the identity provider and deploy the callback route on the production domain; then re-run.',
  },
};

export default defineCheck({
  id: 'broken-flow-step',
  area: 'flows',
  severity: 'high',
  impact: 'auth',
  title: 'Auth flows work step by step (login, refresh, logout, password reset, callbacks)',
  description: 'A step of a critical user flow fails: users cannot sign in, stay signed in, or recover their account.',
  remediation: 'Fix the endpoint so the step answers as expected (see the expected vs actual answer), then re-run the audit.',
  references: [
    'https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html',
    'https://cheatsheetseries.owasp.org/cheatsheets/Forgot_Password_Cheat_Sheet.html',
    'https://datatracker.ietf.org/doc/html/rfc9700#name-refresh-token-protection',
  ],
  requires: ['flows.runs'],
  messages,
  run({ 'flows.runs': runs, target }, ctx) {
    const list = runs;
    if (list.length === 0) {
      ctx.notApplicable(target.flows?.names.length ? 'no flow ran' : 'no flows configured (add "flows": [{"name": "login", "template": "session", ...}] to the config)');
      return;
    }
    const summary = list.map((f) => ({
      name: f.name,
      template: f.template,
      steps: f.steps.map((s) => ({
        name: s.name, ran: s.ran, ...(s.status !== undefined ? { status: s.status } : {}),
        ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}), ...(s.budgetMs !== undefined ? { budgetMs: s.budgetMs } : {}),
        ...(s.skippedBecause ? { skippedBecause: s.skippedBecause } : {}), failures: s.failures.map((x) => x.kind),
      })),
    }));
    ctx.details({ flows: summary });
    for (const flow of list) {
      for (const step of flow.steps) {
        for (const f of step.failures) {
          ctx.report({
            code: f.kind,
            args: { flow: flow.name, step: step.name, expected: f.expected, actual: f.actual, experience: step.userImpact, method: step.method },
            location: { url: step.url, record: `${flow.name} › ${step.name}` },
            evidence: `${step.method} ${step.url} → ${f.actual}`,
          });
        }
      }
    }
  },
});
