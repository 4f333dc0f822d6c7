// Redaction: secret values never leave the process whole, in reports, logs or error messages.

/** A short, non-reversible view of a secret: its first characters (at most `keep`, never over a quarter) and its length. */
export function maskSecret(secret: string, keep = 4): string {
  // A quarter at most: a 9-character value showing 4 would give away nearly half of it.
  const shown = Math.min(keep, Math.floor(secret.length / 4));
  return `${secret.slice(0, shown)}…[redacted, ${secret.length} chars]`;
}

/** Remembers the run's secret values (e.g. from ${env:NAME}) and scrubs them from any text before it is written. */
export class Redactor {
  private readonly entries = new Map<string, string>();

  add(value: string, label: string): void {
    // Very short values would turn ordinary words into noise; they are still never logged by us on purpose.
    if (value.length < 3) return;
    // JSON output escapes some characters and URLs encode others: scrub those spellings too (a Map keeps one of each).
    for (const spelling of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) this.entries.set(spelling, label);
  }

  get size(): number {
    return this.entries.size;
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const [value, label] of [...this.entries].sort((a, b) => b[0].length - a[0].length)) out = out.split(value).join(`[redacted:${label}]`);
    return out;
  }
}

/**
 * A Set-Cookie header with its value masked: name and attributes stay readable, the session token does not. A first
 * pair without "=" is a nameless cookie's value (RFC 6265bis, as browsers read it): masked too, and written "=value",
 * the same cookie with its empty name spelled out (so no reader takes the token's first characters for a name).
 */
export function maskCookie(raw: string): string {
  return raw.replace(/^(\s*(?:[^=;]*=)?)([^;]*)/, (whole: string, name: string, value: string) =>
    (value === '' ? whole : `${name.includes('=') ? name : `${name}=`}${maskSecret(value, 2)}`));
}
