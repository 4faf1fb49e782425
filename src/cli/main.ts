import { commands } from './commands.js';
import { UserError } from '../errors/user-error.js';
import { exitCodeOf } from './cli-error.js';
import { packageVersion } from './version.js';
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
    "Run 'scs COMMAND --help' for a command's options.",
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(usage() + '\n');
    return 0;
  }
  if (first === '--version') {
    io.stdout.write(`scs-companion ${packageVersion()}\n`);
    return 0;
  }
  // No command, or options only: the default command opens the companion.
  const name = first === undefined || first.startsWith('-') ? 'start' : first;
  const args = name === first ? rest : argv;
  const entry = commands[name];
  if (!entry) {
    io.stderr.write(`scs: unknown command '${name}'.\n\n${usage()}\n`);
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
