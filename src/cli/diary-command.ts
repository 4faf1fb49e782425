import { UsageError } from '../errors/user-error.js';
import { DiaryStore } from '../diary/diary-store.js';
import { didYouMean } from '../shared/did-you-mean.js';
import type { Command, CommandIo } from './command.js';
import { type DiarySubcommand, storeOptions } from './diary-context.js';
import { DIARY_ALLOWED, DIARY_HELP, parseDiaryFlags } from './diary-flags.js';
import { evaluate, exportCsv, show } from './diary-read-commands.js';
import { inviteCommand, serveCommand } from './diary-web-command.js';
import { add, correct, importCsv, trial } from './diary-write-commands.js';

const SUBCOMMANDS: Record<string, DiarySubcommand> = {
  add,
  import: importCsv,
  export: exportCsv,
  show,
  correct,
  trial,
};

/** Subcommands that may create the store; the others only read (or correct what exists). */
const CREATES_STORE = ['add', 'import', 'trial'];

/** `scs diary add|import|export|show|correct|trial|evaluate`: the trial diary and the 48 h ≥ 30 % criterion. */
const command: Command = {
  summary: 'trial diary: add, import, export, show, correct entries; evaluate the 48 h ≥30% criterion',
  async run(argv: string[], io: CommandIo): Promise<number> {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      io.stdout.write(DIARY_HELP);
      return sub === undefined ? 2 : 0;
    }
    // The web diary's subcommands parse their own flags (diary-web-command.ts).
    if (sub === 'invite') return inviteCommand(rest, io);
    if (sub === 'serve') return serveCommand(rest, io);
    const names = [...Object.keys(DIARY_ALLOWED), 'invite', 'serve'];
    const allowed = DIARY_ALLOWED[sub];
    if (!allowed)
      throw new UsageError(
        `unknown diary subcommand '${sub}'; use one of ${names.join(', ')}.${didYouMean(sub, names)}`,
      );
    const { values, positionals } = parseDiaryFlags(rest);
    if (values.help) {
      io.stdout.write(DIARY_HELP);
      return 0;
    }
    for (const [key, value] of Object.entries(values)) {
      if (value !== undefined && !allowed.includes(key))
        throw new UsageError(`scs diary ${sub} does not take --${key}; see 'scs diary --help'`);
    }
    if (sub === 'import' && positionals.length === 1 && !values.file) values.file = positionals[0];
    else if (positionals.length > 0)
      throw new UsageError(`unexpected argument '${positionals[0]}'; see 'scs diary --help'`);
    if (sub === 'evaluate') return evaluate(values, io);
    // Opened only once the input is known good, so bad input never even creates the database.
    let store: Promise<DiaryStore> | undefined;
    const open = () =>
      (store ??= DiaryStore.open({ ...storeOptions(values, io), mustExist: !CREATES_STORE.includes(sub) }));
    try {
      return await SUBCOMMANDS[sub]!(open, values, io);
    } finally {
      await (await store?.catch(() => undefined))?.close();
    }
  },
};
export default command;
