import { parseCommandLine } from '../shared/parse-command-line.js';
import { readFileSync } from 'node:fs';
import { verifyChain } from '../audit/audit-chain.js';
import { replayAudit } from '../audit/audit-replay.js';
import type { Command, CommandIo } from './command.js';
import { UserError, UsageError } from '../errors/user-error.js';
import { didYouMean } from '../shared/did-you-mean.js';

const HELP = `Usage: scs audit verify FILE [--json]
       scs audit replay FILE [--json]

A session audit log (written by 'scs script --audit FILE' and the bedside UI) is append-only JSON
lines, each record hash-chained to the one before it (sha256 of the previous hash and the record).

  verify   prints "OK: N records, chain intact" and exits 0, or names the first edited, inserted
           or removed record by its line number and exits 1
  replay   prints the session step by step (time, event, intent, accepted, notices, generator)
           and a summary of decisions, refusals, clamps, stops, commits and faults

Options:
  --json   one JSON document: verify → {"ok":true,"records":N} or
           {"ok":false,"line":L,"problem":"edited|inserted|removed|malformed","detail":".."};
           replay → {"integrity":{..},"counts":{..},"steps":[..],"lastGenerator":{..}}
  --help   show this help
`;

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(
      `cannot read audit log ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}. Check the path.`,
    );
  }
}

const OPTIONS = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

async function run(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { allowPositionals: true, options: OPTIONS }, 'scs audit');
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const [sub, file, ...extra] = positionals;
  if (sub !== 'verify' && sub !== 'replay')
    throw new UsageError(
      `expected 'verify' or 'replay', got ${sub === undefined ? 'nothing' : `'${sub}'`}.${sub === undefined ? '' : didYouMean(sub, ['verify', 'replay'])} Run 'scs audit --help'.`,
    );
  if (file === undefined) throw new UsageError(`scs audit ${sub} needs a FILE. Run 'scs audit --help'.`);
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'. Run 'scs audit --help'.`);
  const text = read(file);
  if (sub === 'verify') {
    const result = verifyChain(text);
    if (values.json) io.stdout.write(JSON.stringify(result) + '\n');
    else if (result.ok) io.stdout.write(`OK: ${result.records} records, chain intact (${file})\n`);
    else io.stdout.write(`${file}:${result.line}: record ${result.problem}: ${result.detail}\n`);
    return result.ok ? 0 : 1;
  }
  const replay = replayAudit(text);
  if (values.json) {
    io.stdout.write(JSON.stringify(replay) + '\n');
  } else {
    for (const s of replay.steps) {
      const g = s.generator
        ? ` | generator ${s.generator.output} ${s.generator.mode} ${s.generator.rateHz} Hz ${s.generator.pulseWidthUs} µs ${s.generator.amplitudeUa / 1000} mA ${s.generator.contacts}`
        : '';
      const what = s.intent ? ` ${s.intent}${s.accepted === false ? ' (refused)' : ''}` : '';
      io.stdout.write(`${s.line} ${s.ts} ${s.kind}${what}${g}\n`);
      for (const n of s.notices as Array<{ kind: string; field: string; reason: string }>)
        io.stdout.write(`    ${n.kind} ${n.field}: ${n.reason}\n`);
    }
    const c = replay.counts;
    io.stdout.write(
      `${c.decisions} decisions (${c.refused} refused, ${c.clamps} clamps), ${c.stops} stops, ${c.commits} commits, ${c.faults} faults\n`,
    );
    if (!replay.integrity.ok)
      io.stdout.write(
        `chain broken at line ${replay.integrity.line} (${replay.integrity.problem}): replay stops there\n`,
      );
  }
  return replay.integrity.ok ? 0 : 1;
}

/** `scs audit verify FILE` and `scs audit replay FILE`: check and read a session audit log. */
const command: Command = { summary: 'session audit log: verify the hash chain or replay it (--json)', run };
export default command;
