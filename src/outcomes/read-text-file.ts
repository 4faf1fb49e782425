import fs from 'node:fs';
import { UserError } from '../errors/user-error.js';

/** Refuse absurdly large inputs before reading them into memory. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Reading a user-named input file with errors a person can act on (a thin I/O helper). */
export function readTextFile(file: string, what: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      `cannot read ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}. Check the path.`,
    );
  }
  if (!stat.isFile()) throw new UserError(`${what} ${file} is not a regular file.`);
  if (stat.size > MAX_FILE_BYTES)
    throw new UserError(
      `${what} ${file} is ${stat.size} bytes; the limit is ${MAX_FILE_BYTES}. Split it or check it is the right file.`,
    );
  return fs.readFileSync(file, 'utf8');
}
