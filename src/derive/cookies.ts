// Cookie readings the cookie checks share: which names carry a session, which are load-balancer affinity, and the
// SameSite value browsers actually apply (an unknown value is ignored, as if the attribute were absent).
import type { ParsedCookie } from './responses.js';

/** Load-balancer and proxy stickiness cookies: they pick a backend, they do not authenticate anyone. */
const AFFINITY = /affinity|^(awsalb|awsalbcors|awselb|awselbcors|bigipserver|srv_?id|serverid|route|ingresscookie|__cflb|gclb|jsessionid_?route|sticky)/i;

export function isAffinityCookie(name: string): boolean {
  return AFFINITY.test(name);
}

/**
 * Cookie names that carry a session or a credential. Kept narrow on purpose: `user_pref`, `remember_lang` or
 * `theme` are preferences, not sessions.
 */
export function isSessionCookie(name: string): boolean {
  if (isAffinityCookie(name)) return false;
  return /sess|(^|[_.-])sid($|[_.-])|auth|token|jwt|login|identity|^_?id$|csrf|xsrf|remember[_-]?(me|token|user|web)|^user$|user[_-]?(id|token|session|auth)$/i.test(name);
}

export type SameSite = 'strict' | 'lax' | 'none';

/** The SameSite browsers apply: Strict, Lax or None (case-insensitive); anything else is ignored. */
export function effectiveSameSite(c: ParsedCookie): SameSite | undefined {
  const v = c.sameSite?.trim().toLowerCase();
  return v === 'strict' || v === 'lax' || v === 'none' ? v : undefined;
}
