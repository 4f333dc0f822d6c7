// The exit codes, one place: CI scripts gate on them.
export const EXIT = {
  go: 0,
  noGo: 1,
  usage: 2,
  incomplete: 3,
  toolFailure: 4,
} as const;

export const EXIT_HELP = `Exit codes:
  0  GO: no finding at or above --fail-on, every important check completed
  1  NO-GO: at least one unaccepted finding at or above --fail-on
  2  bad usage or invalid config
  3  INCOMPLETE: nothing blocking found, but a check of severity high or above could not be completed
  4  launch-ready itself failed`;
