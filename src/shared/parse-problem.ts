import { closestName } from './did-you-mean.js';

/**
 * One line for a person from node:util parseArgs's error: its first sentence, and for an unknown
 * option the nearest known one ("Unknown option '--jsn' (did you mean --json?)"). Callers add their
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
  return message.split('\n')[0]!.replace(/\.$/, '');
}
