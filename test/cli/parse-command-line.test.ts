import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScs } from '../reliability/run-scs.js';

/**
 * One flag parser for every command (src/shared/parse-command-line.ts): a misspelt option is a usage
 * mistake (exit 2, README "Exit codes") said in one form — what was wrong, the nearest option, and
 * which help to read: "Unknown option '--x' (did you mean --y?). Run 'scs … --help'."
 */

const ROOT = path.resolve(import.meta.dirname, '../..');

/** [argv, the option meant, the help named] — every command that parses flags. */
const CASES: [string[], string, string][] = [
  [['start', '--prot', 'x'], '--port', 'scs'],
  [['ports', '--jsn'], '--json', 'scs ports'],
  [['sim', '--lnk', 'x'], '--link', 'scs sim'],
  [['script', '--dwel-ms', '1'], '--dwell-ms', 'scs script'],
  [['audit', 'verify', '--jsn'], '--json', 'scs audit'],
  [['cohort', 'report', '--jsn'], '--json', 'scs cohort'],
  [['diary', 'add', '--nrss', '5'], '--nrs', 'scs diary'],
  [['diary', 'invite', '--patint', 'P-1'], '--patient', 'scs diary invite'],
  [['diary', 'serve', '--prt', '1'], '--port', 'scs diary serve'],
  [['patient', 'add', '--patint', 'P-1'], '--patient', 'scs patient add'],
  [['followup', 'add', '--patint', 'P-1'], '--patient', 'scs followup add'],
  [['db', 'init', '--sit', 'x'], '--site', 'scs db init'],
];

describe('flag parsing, one form for every command', () => {
  it.each(CASES)('%j: exit 2, the nearest option and the help to read', async (argv, meant, help) => {
    const typed = argv.find((a) => a.startsWith('--'))!;
    const r = await runScs(argv);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`scs: Unknown option '${typed}' (did you mean ${meant}?). Run '${help} --help'.\n`);
  });

  it('no command calls node:util parseArgs itself: they all go through parseCommandLine', () => {
    const callers = ['src/cli', 'src/outcomes', 'src/diary', 'src/audit', 'src/store']
      .flatMap((dir) =>
        fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)),
      )
      .filter((f) => /\.tsx?$/.test(f) && /\bparseArgs\(/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(callers).toEqual([]);
  });
});
