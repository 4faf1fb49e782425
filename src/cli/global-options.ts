/**
 * Options every command understands the same way, accepted before or after the command's name:
 * `scs --data-dir DIR diary show` means `scs diary show --data-dir DIR`. Each command still parses
 * them itself (one that has no --json says so); this only moves them to where it looks.
 */
export const GLOBAL_OPTIONS = [
  {
    name: '--data-dir',
    value: 'DIR',
    help: 'the data directory (else $SCS_DATA_DIR, $XDG_DATA_HOME/scs-companion, ~/.local/share/scs-companion)',
  },
  { name: '--json', help: 'one JSON document (or one JSON line per step) on stdout' },
  { name: '--help', short: '-h', help: "this help, or with a command that command's options" },
] as const;

const FLAGS = new Set<string>(
  GLOBAL_OPTIONS.flatMap((o) => ('value' in o ? [] : 'short' in o ? [o.name, o.short] : [o.name])),
);
const VALUED = new Set<string>(GLOBAL_OPTIONS.flatMap((o) => ('value' in o ? [o.name] : [])));

/** Global options at the start of argv (with their values), and what follows them. */
export function takeLeadingGlobals(argv: readonly string[]): { globals: string[]; rest: string[] } {
  const globals: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (FLAGS.has(arg) || [...VALUED].some((v) => arg.startsWith(`${v}=`))) {
      globals.push(arg);
      i += 1;
    } else if (VALUED.has(arg) && i + 1 < argv.length) {
      globals.push(arg, argv[i + 1]!);
      i += 2;
    } else break;
  }
  return { globals, rest: argv.slice(i) };
}

export const isHelp = (arg: string): boolean => arg === '--help' || arg === '-h';

/**
 * A command's arguments with the global options given before its name, or between its name and a
 * subcommand (`scs diary --json show`), moved to the end (before a `--`, after which all is positional).
 */
export function commandArgs(afterName: readonly string[], globalsBefore: readonly string[]): string[] {
  const { globals, rest } = takeLeadingGlobals(afterName);
  const moved = [...globals, ...globalsBefore];
  const end = rest.indexOf('--');
  return end < 0 ? [...rest, ...moved] : [...rest.slice(0, end), ...moved, ...rest.slice(end)];
}
