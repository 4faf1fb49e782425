/** Which kind of mistake it is: the CLI's exit code follows from it. */
export type UserErrorKind =
  /** Bad input or a situation that stops the operation (exit 1 in the CLI). */
  | 'input'
  /** A mistake in how the command was called: flags, arguments (exit 2 in the CLI). */
  | 'usage';

/**
 * The person's input or situation is wrong: a bad flag, an unreadable or malformed file, a database
 * that is not ours, a generator bound to another patient. The message is written for them (what was
 * wrong, where, what to do) and is shown without a stack trace. Any layer may throw it; only the
 * shell (src/cli/) turns it into an exit code, from its kind.
 */

export class UserError extends Error {
  constructor(
    message: string,
    readonly kind: UserErrorKind = 'input',
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** A UserError of kind 'usage'. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, 'usage');
    this.name = 'UsageError';
  }
}
