import { UsageError } from '../errors/user-error.js';
import { type FlagValues, type Options, parseFlags } from '../outcomes/registry-cli-flags.js';
import { didYouMean } from '../shared/did-you-mean.js';
import type { CommandIo } from './command.js';

export type SubcommandLine = { exit: number } | { sub: string; values: FlagValues };

/**
 * The opening every `scs NOUN SUBCOMMAND [flags]` command shares (db, patient, followup): help for no
 * subcommand (exit 2) or --help (exit 0), an unknown subcommand named with the list and a
 * did-you-mean, the subcommand's own flags only, and no stray positional arguments.
 */
export function readSubcommand(
  argv: string[],
  io: CommandIo,
  spec: { command: string; help: string; options: Record<string, Options> },
): SubcommandLine {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout.write(spec.help);
    return { exit: sub === undefined ? 2 : 0 };
  }
  const names = Object.keys(spec.options);
  const options = Object.hasOwn(spec.options, sub) ? spec.options[sub] : undefined;
  if (!options)
    throw new UsageError(
      `unknown subcommand '${spec.command} ${sub}'; use: ${names.join(', ')}.${didYouMean(sub, names)} Run 'scs ${spec.command} --help'.`,
    );
  const { values, positionals } = parseFlags(rest, options, `scs ${spec.command} ${sub}`);
  if (values.help) {
    io.stdout.write(spec.help);
    return { exit: 0 };
  }
  if (positionals.length)
    throw new UsageError(`unexpected argument '${positionals[0]}'. Run 'scs ${spec.command} --help'.`);
  return { sub, values };
}
