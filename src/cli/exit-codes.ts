/** kordon's exit codes (documented in docs/cli.md). */
export const EXIT = {
  /** Scan complete; nothing at or above --fail-on. */
  ok: 0,
  /** Findings at or above the --fail-on severity. */
  findings: 1,
  /** Usage or configuration error (bad flag, bad exceptions file). */
  usage: 2,
  /** Some input could not be read (listed in the report); nothing at or above --fail-on. */
  inputErrors: 3,
  /** The cluster could not be reached. */
  unreachable: 4,
  /** A bug in kordon. */
  internal: 10,
} as const;
