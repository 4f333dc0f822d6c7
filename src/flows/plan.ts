// Flow planning: expands the built-in auth templates into plain steps, and fills {{var}} placeholders. Pure.
import type { FlowFailureKind } from '../facts/flows.js';
import type { FlowConfig } from './schema.js';

export type StatusSpec = number | string;

export interface PlannedExpect {
  status: StatusSpec[];
  json?: Record<string, unknown>;
  contains?: string[];
  notContains?: string[];
  /** Name of an earlier step whose status and body this one must match (no user enumeration). */
  sameAs?: string;
  /** The response must not carry a reset token or any credential. */
  noToken?: boolean;
  /** A callback: neither an error status nor an error redirect/page. */
  callback?: boolean;
  /** Two variables that must differ once this step ran (a rotated refresh token). */
  differs?: [string, string];
}

export interface PlannedStep {
  name: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  json?: unknown;
  body?: string;
  extract: Record<string, string>;
  expect: PlannedExpect;
  /** The finding code a status mismatch gets (default unexpected-status). */
  statusFailure?: FlowFailureKind;
  budgetMs?: number;
  userImpact: string;
  /** Values replaced by a marker before a sameAs comparison (the email the response may echo). */
  normalize?: string[];
}

export interface FlowPlan {
  name: string;
  template: string;
  steps: PlannedStep[];
  /** The flow signs up a new account: each run seeds {{email}} and {{password}} with a fresh identity. */
  identity?: { emailDomain: string };
}

const OK = ['2xx', '3xx'];
const REJECTED = ['4xx'];

const IMPACT = {
  login: 'Users cannot sign in: the login screen fails or loops.',
  read: 'Signed-in users get errors or are sent back to the login screen right after signing in.',
  refresh: 'Sessions cannot be renewed: users are logged out whenever the access token expires, e.g. when they reopen the app the next day.',
  readAfterRefresh: 'After a token refresh the app\'s calls fail: users are logged out or see errors mid-session.',
  reuse: 'A leaked or stolen refresh token keeps working after it was used: an attacker keeps a session the user cannot end.',
  logout: 'Logging out fails: users on shared devices cannot end their session.',
  afterLogout: 'A session keeps working after logout: anyone holding the token (shared device, stolen token) stays signed in as the user.',
  enumeration: 'Anyone can find out which email addresses have an account by requesting password resets (user enumeration, targeted phishing).',
  resetToken: 'The reset token (or another credential) is in the response: anyone can reset any user\'s password without their inbox.',
  callback: 'Sign-in through this callback fails: users who log in with this provider land on an error page.',
  signup: 'New users cannot create an account: the launch\'s sign-ups are lost.',
  verify: 'New users cannot verify their address: they are stuck before their first session.',
  firstRead: 'A new account cannot use the product right after signing up.',
  custom: 'This step of the flow fails for users.',
} as const;

function bearer(headers: Record<string, string> | undefined, tokenVar: string): Record<string, string> {
  const h = { ...(headers ?? {}) };
  if (!Object.keys(h).some((k) => k.toLowerCase() === 'authorization')) h.authorization = `Bearer {{${tokenVar}}}`;
  return h;
}

/** A random-looking, never-registered address at the same domain as the existing account. */
export function unknownEmailFor(existing: string, seed: string): string {
  const domain = existing.includes('@') ? existing.slice(existing.lastIndexOf('@') + 1) : 'example.com';
  let h = 0;
  for (const ch of seed + existing) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `lr-no-account-${h.toString(36)}@${domain}`;
}

export function planFlow(f: FlowConfig, seed = ''): FlowPlan {
  const budget = f.budgetMs !== undefined ? { budgetMs: f.budgetMs } : {};
  switch (f.template) {
    case undefined:
    case 'custom':
      return {
        name: f.name,
        template: 'custom',
        steps: f.steps.map((s) => ({
          name: s.name,
          method: s.method,
          url: s.url,
          headers: { ...(s.headers ?? {}) },
          ...(s.json !== undefined ? { json: s.json } : {}),
          ...(s.body !== undefined ? { body: s.body } : {}),
          extract: { ...(s.extract ?? {}) },
          expect: {
            status: s.expect?.status === undefined ? OK : Array.isArray(s.expect.status) ? s.expect.status : [s.expect.status],
            ...(s.expect?.json ? { json: s.expect.json } : {}),
            ...(s.expect?.contains ? { contains: s.expect.contains } : {}),
            ...(s.expect?.notContains ? { notContains: s.expect.notContains } : {}),
          },
          ...(s.budgetMs !== undefined ? { budgetMs: s.budgetMs } : budget),
          userImpact: s.userImpact ?? IMPACT.custom,
        })),
      };
    case 'session': {
      const steps: PlannedStep[] = [];
      const readStep = (name: string, token: string, userImpact: string, expect: PlannedExpect, statusFailure?: FlowFailureKind): PlannedStep => ({
        name, method: f.read.method ?? 'GET', url: f.read.url, headers: bearer(f.read.headers, token),
        ...(f.read.json !== undefined ? { json: f.read.json } : {}), extract: {}, expect, ...budget, userImpact,
        ...(statusFailure ? { statusFailure } : {}),
      });
      steps.push({
        name: 'login', method: f.login.method ?? 'POST', url: f.login.url, headers: { ...(f.login.headers ?? {}) },
        ...(f.login.json !== undefined ? { json: f.login.json } : {}),
        extract: { accessToken: f.login.accessToken, ...(f.refresh ? { refreshToken: f.login.refreshToken } : {}) },
        expect: { status: ['2xx'] }, ...budget, userImpact: IMPACT.login,
      });
      steps.push(readStep('authenticated read', 'accessToken', IMPACT.read, { status: ['2xx'] }));
      let token = 'accessToken';
      let refreshVar = 'refreshToken';
      if (f.refresh) {
        const r = f.refresh;
        const refreshReq = (name: string, refreshToken: string, extract: Record<string, string>, expect: PlannedExpect, userImpact: string, statusFailure?: FlowFailureKind): PlannedStep => ({
          name, method: r.method ?? 'POST', url: r.url, headers: { ...(r.headers ?? {}) },
          json: substituteVarName(r.json ?? { refresh_token: '{{refreshToken}}' }, 'refreshToken', refreshToken),
          extract, expect, ...budget, userImpact, ...(statusFailure ? { statusFailure } : {}),
        });
        steps.push(refreshReq('token refresh', 'refreshToken', {
          newAccessToken: r.accessToken ?? f.login.accessToken,
          ...(f.rotation ? { newRefreshToken: r.refreshToken ?? f.login.refreshToken } : {}),
        }, { status: ['2xx'], ...(f.rotation ? { differs: ['refreshToken', 'newRefreshToken'] as [string, string] } : {}) }, IMPACT.refresh));
        steps.push(readStep('read with the refreshed token', 'newAccessToken', IMPACT.readAfterRefresh, { status: ['2xx'] }));
        token = 'newAccessToken';
        if (f.rotation) {
          steps.push(refreshReq('reuse of the old refresh token', 'refreshToken', {}, { status: REJECTED }, IMPACT.reuse, 'refresh-token-reusable'));
          refreshVar = 'newRefreshToken';
        }
      }
      if (f.logout) {
        steps.push({
          name: 'logout', method: f.logout.method ?? 'POST', url: f.logout.url, headers: bearer(f.logout.headers, token),
          ...(f.logout.json !== undefined ? { json: f.logout.json } : {}), extract: {}, expect: { status: OK }, ...budget, userImpact: IMPACT.logout,
        });
        steps.push(readStep('read after logout', token, IMPACT.afterLogout, { status: REJECTED }, 'session-survives-logout'));
        if (f.refresh) {
          const r = f.refresh;
          steps.push({
            name: 'refresh after logout', method: r.method ?? 'POST', url: r.url, headers: { ...(r.headers ?? {}) },
            json: substituteVarName(r.json ?? { refresh_token: '{{refreshToken}}' }, 'refreshToken', refreshVar),
            extract: {}, expect: { status: REJECTED }, ...budget, userImpact: IMPACT.afterLogout, statusFailure: 'session-survives-logout',
          });
        }
      }
      return { name: f.name, template: 'session', steps };
    }
    case 'password-reset': {
      const unknown = f.unknownEmail ?? unknownEmailFor(f.existingEmail, seed || f.name);
      const req = (name: string, email: string, expect: PlannedExpect, userImpact: string, statusFailure?: FlowFailureKind): PlannedStep => ({
        name, method: f.request.method ?? 'POST', url: fillEmail(f.request.url, email), headers: { ...(f.request.headers ?? {}) },
        json: substituteVarName(f.request.json ?? { email: '{{email}}' }, 'email', email, true),
        extract: {}, expect, ...budget, userImpact, normalize: [email], ...(statusFailure ? { statusFailure } : {}),
      });
      return {
        name: f.name,
        template: 'password-reset',
        steps: [
          req('reset for an existing account', f.existingEmail, { status: OK, noToken: true }, IMPACT.resetToken),
          req('reset for an unknown account', unknown, { status: OK, noToken: true, sameAs: 'reset for an existing account' }, IMPACT.enumeration, 'account-enumeration'),
        ],
      };
    }
    case 'signup': {
      const token = f.signup.accessToken ?? f.verify?.accessToken;
      const steps: PlannedStep[] = [{
        name: 'signup', method: f.signup.method ?? 'POST', url: f.signup.url, headers: { ...(f.signup.headers ?? {}) },
        json: f.signup.json ?? { email: '{{email}}', password: '{{password}}' },
        extract: { ...(f.signup.extract ?? {}), ...(f.signup.accessToken ? { accessToken: f.signup.accessToken } : {}) },
        expect: { status: ['2xx'] }, ...budget, userImpact: IMPACT.signup,
      }];
      if (f.verify) {
        steps.push({
          name: 'verify', method: f.verify.method ?? 'POST', url: f.verify.url, headers: { ...(f.verify.headers ?? {}) },
          ...(f.verify.json !== undefined ? { json: f.verify.json } : {}),
          extract: !f.signup.accessToken && f.verify.accessToken ? { accessToken: f.verify.accessToken } : {},
          expect: { status: OK }, ...budget, userImpact: IMPACT.verify,
        });
      }
      if (f.read) {
        steps.push({
          name: 'first read', method: f.read.method ?? 'GET', url: f.read.url,
          headers: token ? bearer(f.read.headers, 'accessToken') : { ...(f.read.headers ?? {}) },
          ...(f.read.json !== undefined ? { json: f.read.json } : {}), extract: {}, expect: { status: ['2xx'] }, ...budget, userImpact: IMPACT.firstRead,
        });
      }
      return { name: f.name, template: 'signup', steps, identity: { emailDomain: f.emailDomain } };
    }
    case 'callbacks':
      return {
        name: f.name,
        template: 'callbacks',
        steps: f.urls.map((url) => ({
          name: `callback ${pathOf(url)}`, method: 'GET', url, headers: { ...(f.headers ?? {}) }, extract: {},
          expect: { status: ['2xx', '3xx'], callback: true }, ...budget, userImpact: IMPACT.callback, statusFailure: 'callback-error' as const,
        })),
      };
  }
}

function pathOf(url: string): string {
  try { return new URL(url).pathname; } catch { return url; }
}

function fillEmail(s: string, email: string): string {
  return s.split('{{email}}').join(encodeURIComponent(email));
}

/** Renames a {{from}} placeholder to {{to}} in a JSON template, or (literal) puts the value itself there. */
function substituteVarName(v: unknown, from: string, to: string, literal = false): unknown {
  if (typeof v === 'string') return v.split(`{{${from}}}`).join(literal ? to : `{{${to}}}`);
  if (Array.isArray(v)) return v.map((x) => substituteVarName(x, from, to, literal));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substituteVarName(x, from, to, literal)]));
  return v;
}

/**
 * A new identity for one sign-up: unique per run (`run`), virtual user and iteration, so concurrent users never
 * collide on an address and a second run never finds the first one's accounts.
 */
export function generatedIdentity(domain: string, run: string, user: number, iteration: number): Map<string, string> {
  const tag = `${run}-${user}-${iteration}`;
  let h = 2166136261;
  for (const ch of tag) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return new Map([['email', `lr-signup-${tag}@${domain}`], ['password', `Lr-${run}-${h.toString(36)}-pw!`]]);
}

const PLACEHOLDER = /\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g;

/** The variables a step needs that are not set yet. */
export function missingVars(step: PlannedStep, vars: ReadonlyMap<string, string>): string[] {
  const text = JSON.stringify([step.url, step.headers, step.json ?? null, step.body ?? null]);
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))].filter((v) => !vars.has(v));
}

/** Fills {{var}} in a string; `url` percent-encodes the values. */
export function fill(s: string, vars: ReadonlyMap<string, string>, url = false): string {
  return s.replace(PLACEHOLDER, (whole, name: string) => {
    const v = vars.get(name);
    if (v === undefined) return whole;
    return url ? encodeURIComponent(v) : v;
  });
}

export function fillJson(v: unknown, vars: ReadonlyMap<string, string>): unknown {
  if (typeof v === 'string') return fill(v, vars);
  if (Array.isArray(v)) return v.map((x) => fillJson(x, vars));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillJson(x, vars)]));
  return v;
}

/** RFC 6901 JSON pointer; undefined when the path does not exist. */
export function jsonPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/')) return undefined;
  let cur: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(key)) return undefined;
      cur = cur[Number(key)];
    } else if (cur && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, key)) {
      cur = (cur as Record<string, unknown>)[key];
    } else {
      return undefined;
    }
  }
  return cur;
}

export function statusMatches(status: number, specs: readonly StatusSpec[]): boolean {
  return specs.some((s) => (typeof s === 'number' ? s === status : Math.floor(status / 100) === Number(s[0])));
}

export function describeStatus(specs: readonly StatusSpec[]): string {
  return `status ${specs.join(' or ')}`;
}
