import { closestName } from './did-you-mean.js';

/**
 * One line for a person from node:util parseArgs's error: its first sentence, and for an unknown
 * option the nearest known one ("Unknown option '--jsn' (did you mean --json?)"), for a value that
 * starts with a dash what was seen and how to write it (bb3 F-L11). Callers add their
 * own "Run 'scs … --help'" hint.
 */
export function parseProblem(error: unknown, options: Readonly<Record<string, unknown>>): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /^Unknown option '(-{1,2})([^'=]+)'/.exec(message);
  if (unknown) {
    const [, dashes, name] = unknown;
    const suggestion = dashes === '--' ? closestName(name!, Object.keys(options)) : undefined;
    return `Unknown option '${dashes}${name}'${suggestion ? ` (did you mean --${suggestion}?)` : ''}`;
  }
  // `--dwell-ms -1`: parseArgs only says "ambiguous"; say what it saw and how a value with a dash is written.
  const ambiguous = /^Option '(-{1,2}[^']+)' argument is ambiguous/.exec(message);
  if (ambiguous) {
    const [, name] = ambiguous;
    return `Option '${name}' needs a value, and the next argument starts with '-' (a negative number or another option); write a value that starts with '-' as ${name}=VALUE`;
  }
  return message.split('\n')[0]!.replace(/\.$/, '');
}
