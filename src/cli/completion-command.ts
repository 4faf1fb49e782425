import type { Command } from './command.js';
import { commands } from './commands.js';
import { completionScript, SHELLS, type Shell } from './completion-scripts.js';
import { GLOBAL_OPTIONS } from './global-options.js';
import { UsageError } from '../errors/user-error.js';
import { closestName } from '../shared/did-you-mean.js';

const HELP = `Usage: scs completion bash|zsh|fish

Prints a completion script for the shell: command names, subcommands, the global options
(--data-dir, --json, --help) and file names.

  bash   eval "$(scs completion bash)"        or save it in ~/.local/share/bash-completion/completions/scs
  zsh    eval "$(scs completion zsh)"         (after compinit) or save it as _scs in a directory on $fpath
  fish   scs completion fish | source         or save it in ~/.config/fish/completions/scs.fish
`;

/** `scs completion bash|zsh|fish`: prints the completion script for that shell. */
const command: Command = {
  summary: commands.completion!.summary,
  async run(argv, io) {
    const [shell, ...extra] = argv;
    if (argv.some((a) => a === '--help' || a === '-h')) {
      io.stdout.write(HELP);
      return 0;
    }
    if (shell === undefined || extra.length > 0 || !(SHELLS as readonly string[]).includes(shell)) {
      const guess = shell === undefined ? undefined : closestName(shell, SHELLS);
      const got = shell === undefined ? 'nothing' : `'${[shell, ...extra].join(' ')}'`;
      throw new UsageError(
        `scs completion takes one shell: bash, zsh or fish, got ${got}${guess ? ` (did you mean ${guess}?)` : ''}. Run 'scs completion --help'.`,
      );
    }
    const model = {
      commands: Object.entries(commands).map(([name, c]) => ({ name, summary: c.summary, subcommands: c.subcommands })),
      options: GLOBAL_OPTIONS.map((o) => ({
        name: o.name,
        help: o.help,
        ...('short' in o ? { short: o.short } : {}),
        ...('value' in o ? { value: o.value } : {}),
      })),
    };
    io.stdout.write(completionScript(shell as Shell, model));
    return 0;
  },
};
export default command;
