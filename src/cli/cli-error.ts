import { UserError } from '../errors/user-error.js';

/**
 * The shell's half of error handling: the error types live in src/errors/ (any layer may throw
 * them); here they become exit codes. README: 1 on bad input or a failed operation, 2 on a usage
 * mistake.
 */
export function exitCodeOf(error: UserError): 1 | 2 {
  return error.kind === 'usage' ? 2 : 1;
}
