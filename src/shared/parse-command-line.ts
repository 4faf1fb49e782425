import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors/user-error.js';
import { parseProblem } from './parse-problem.js';

/** What a command tells parseArgs: its options and whether it takes positionals (always strict). */
export type CommandLineConfig = Omit<ParseArgsConfig, 'args' | 'strict' | 'tokens'>;

/** parseArgs's own result for a config, as strict parsing of `argv` gives it. */
export type ParsedCommandLine<T extends CommandLineConfig> = ReturnType<
  typeof parseArgs<T & { args: string[]; strict: true }>
>;

/**
 * Every command's flag parsing: node:util parseArgs, strict, and any problem it finds turned into one
 * usage mistake (UsageError, exit 2) in one form — the problem in a person's words (parseProblem: the
 * nearest option for a typo, how to write a value starting with '-'), then "Run '<command> --help'."
 */
export function parseCommandLine<const T extends CommandLineConfig>(
  argv: string[],
  config: T,
  command: string,
): ParsedCommandLine<T> {
  try {
    return parseArgs({ ...config, args: argv, strict: true }) as ParsedCommandLine<T>;
  } catch (e) {
    throw new UsageError(`${parseProblem(e, config.options ?? {})}. Run '${command} --help'.`);
  }
}
