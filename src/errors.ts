// The exit codes and the known, user-fixable errors, in one place: every layer throws these, and the command line
// maps them to an exit code and a message without a stack trace (and without knowing who threw them).

/** The exit codes: CI scripts gate on them. */
export const EXIT = {
  go: 0,
  noGo: 1,
  usage: 2,
  incomplete: 3,
  toolFailure: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the user can fix (a bad flag, config, file or rule): printed as its message, never with a stack. */
export class KnownError extends Error {
  override name = 'KnownError';
  /** The exit code the command ends with. */
  readonly exitCode: ExitCode = EXIT.usage;
  /** Printed before the message; config errors carry their own file:path prefix. */
  readonly prefix: string = 'error: ';
}

/** Bad command-line usage: an unknown selector, a bad value, nothing to audit. */
export class UsageError extends KnownError {
  override name = 'UsageError';
}
