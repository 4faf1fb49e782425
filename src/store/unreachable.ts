import { DatabaseFileError } from './database.js';

/** Node's socket errors that say nobody answered at that address. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOENT', // a Unix socket that is not there: the server is stopped
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EPIPE',
  'EAI_AGAIN',
]);

/** pg's own messages for a connection that failed or dropped. */
const DRIVER_MESSAGES =
  /Connection terminated|timeout expired|Client has encountered a connection error|Connection ended unexpectedly/i;

/**
 * Whether an error from the PostgreSQL driver means "the server cannot be reached now" (refused, no
 * socket, timed out, the connection dropped, the server shutting down or starting) rather than "the
 * server answered no" (wrong password, a foreign database, a refused TLS certificate, a rule). Only
 * the first lets a station go on from its own copies (bindings, diary outbox): a misconfiguration
 * must still stop it, so a wrong URL never looks like an outage.
 */
export function isServerUnreachable(err: unknown): boolean {
  if (err instanceof DatabaseUnreachableError) return true;
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true;
    // SQLSTATE class 08 (connection exception) and 57P01–57P03 (shutting down, crashed, starting up).
    if (/^08...$/.test(code) || /^57P0[123]$/.test(code)) return true;
  }
  if (DRIVER_MESSAGES.test(err.message)) return true;
  const errors = (err as { errors?: unknown }).errors; // AggregateError: every address refused
  return Array.isArray(errors) && errors.length > 0 && errors.every(isServerUnreachable);
}

/** The store could not be opened because its server is unreachable (a DatabaseFileError, exit 1). */
export class DatabaseUnreachableError extends DatabaseFileError {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnreachableError';
  }
}
