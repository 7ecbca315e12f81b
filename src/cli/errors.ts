// Errors the user can act on: printed as one line, never with a stack trace (describe-error.ts).

/** A problem with the command line. */
export class UsageError extends Error {
  override name = "UsageError";
}
