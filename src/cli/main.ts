import { commands } from './commands.js';
import { UserError } from '../errors/user-error.js';
import { exitCodeOf } from './cli-error.js';
import { packageVersion } from './version.js';
import { commandArgs, GLOBAL_OPTIONS, isHelp, takeLeadingGlobals } from './global-options.js';
import { closestName } from '../shared/did-you-mean.js';
import type { CommandIo } from './command.js';

// A reader that goes away (`scs ... | head`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const io: CommandIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'scs: spinal cord stimulation trial companion',
    '',
    'Usage: scs [COMMAND] [OPTIONS]   (no command: open the companion against the built-in simulator)',
    '',
    'Commands:',
    ...lines,
    '',
    'Global options, before or after the command (scs --data-dir DIR diary show = scs diary show --data-dir DIR):',
    ...GLOBAL_OPTIONS.map(
      (o) =>
        `  ${`${'short' in o ? `${o.short}, ` : ''}${o.name}${'value' in o ? ` ${o.value}` : ''}`.padEnd(16)}  ${o.help}`,
    ),
    `  ${'--version'.padEnd(16)}  print the version`,
    '',
    "Run 'scs COMMAND --help' for a command's options; 'scs completion bash|zsh|fish' for tab completion.",
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { globals, rest } = takeLeadingGlobals(argv);
  const [first, ...afterFirst] = rest;
  if (first === '--version') {
    io.stdout.write(`scs-companion ${packageVersion()}\n`);
    return 0;
  }
  const wantsHelp = globals.some(isHelp);
  if ((first === undefined && wantsHelp) || (first === 'help' && afterFirst.length === 0)) {
    io.stdout.write(usage() + '\n');
    return 0;
  }
  // `scs help diary` = `scs diary --help`.
  if (first === 'help') return runCommand(afterFirst[0]!, ['--help']);
  // No command, or options only: the default command opens the companion.
  if (first === undefined || first.startsWith('-')) return runCommand('start', [...globals, ...rest]);
  return runCommand(first, commandArgs(afterFirst, globals));
}

async function runCommand(name: string, args: string[]): Promise<number> {
  const entry = commands[name];
  if (!entry) {
    const suggestion = closestName(name, Object.keys(commands));
    const hint = suggestion
      ? `Did you mean '${suggestion}'?`
      : `The commands are: ${Object.keys(commands).join(', ')}.`;
    io.stderr.write(`scs: unknown command '${name}'. ${hint} Run 'scs --help' for what each does.\n`);
    return 2;
  }
  const command = await entry.load();
  return command.run(args, io);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UserError) {
      process.stderr.write(`scs: ${err.message}\n`);
      process.exitCode = exitCodeOf(err);
    } else {
      // Unexpected: one line for the person, the detail only when asked for.
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`scs: internal error: ${message}\n`);
      if (process.env.SCS_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
      process.exitCode = 1;
    }
  },
);
