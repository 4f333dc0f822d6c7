// The exit codes' help text; the codes themselves live with the known errors (src/errors.ts).
export { EXIT } from '../errors.js';

export const EXIT_HELP = `Exit codes:
  0  GO: no finding at or above --fail-on, every important check completed
  1  NO-GO: at least one unaccepted finding at or above --fail-on
  2  bad usage or invalid config
  3  INCOMPLETE: nothing blocking found, but a check of severity high or above could not be completed
  4  launch-ready itself failed`;
