/**
 * Turning `scs diary` flags into validated values; every mistake names the flag, the value and what to
 * write instead. Exit codes (README): a value that is wrong (type, range, format) is bad input, a
 * UserError with exit 1; only a command line that cannot be read as asked (unknown or missing option,
 * options that exclude each other) is a UsageError with exit 2.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError, UsageError } from '../errors/user-error.js';
import { DiaryCsvError, type DiaryRow, decodeUtf8, formatProblems, readDiaryCsv } from './diary-csv.js';
import { type EntryText, parseEntry, type DiaryEntry } from './entry.js';
import { type Fraction, parseDecimal } from './fraction.js';
import { InstantError, type Instant, parseInstant } from './instant.js';
import type { CriterionOptions } from './trial-criterion.js';

/** A diary file larger than this is refused (a 14-day diary is a few kilobytes). */
export const MAX_DIARY_FILE_BYTES = 10 * 1024 * 1024;

export function decimalFlag(
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
  minExclusive = false,
): Fraction | undefined {
  if (value === undefined) return undefined;
  const f = parseDecimal(value);
  const n = f ? Number(f.num) / Number(f.den) : NaN;
  if (!f || n < min || n > max || (minExclusive && n === min)) {
    const range = `${minExclusive ? 'above' : 'from'} ${min} ${minExclusive ? 'and at most' : 'to'} ${max}`;
    throw new UserError(
      `${flag} '${value}' is not a number ${range} (plain decimal, e.g. ${flag === '--baseline' ? '6.5' : '30'})`,
    );
  }
  return f;
}

export function hoursFlag(flag: string, value: string | undefined, minExclusive: boolean): number | undefined {
  const f = decimalFlag(flag, value, 0, 24 * 366, minExclusive);
  return f === undefined ? undefined : Number(f.num) / Number(f.den);
}

export function instantFlag(flag: string, value: string | undefined): Instant | undefined {
  if (value === undefined) return undefined;
  try {
    return parseInstant(value);
  } catch (err) {
    if (err instanceof InstantError) throw new UserError(`${flag}: ${err.message}`);
    throw err;
  }
}

export interface CriterionFlags {
  baseline?: string | undefined;
  percent?: string | undefined;
  'sustain-hours'?: string | undefined;
  'max-gap'?: string | undefined;
  'pdi-min-improvement'?: string | undefined;
  'late-hours'?: string | undefined;
}

export function criterionOptions(v: CriterionFlags): CriterionOptions {
  return {
    baseline: decimalFlag('--baseline', v.baseline, 0, 10),
    percent: decimalFlag('--percent', v.percent, 0, 100, true),
    sustainHours: hoursFlag('--sustain-hours', v['sustain-hours'], false),
    maxGapHours: hoursFlag('--max-gap', v['max-gap'], true),
    pdiMinImprovement: decimalFlag('--pdi-min-improvement', v['pdi-min-improvement'], 0, 70),
    lateHours: hoursFlag('--late-hours', v['late-hours'], false),
  };
}

const FLAG_OF: Record<keyof EntryText, string> = {
  timestamp: '--at',
  recorded: '--recorded',
  phase: '--phase',
  nrs: '--nrs',
  pdi: '--pdi',
  activity: '--activity',
  note: '--note',
};

/** Validates an entry given as flags; problems are reported by flag name. */
export function entryFromFlags(text: EntryText): DiaryEntry {
  const result = parseEntry(text);
  if (!result.ok) {
    const missingOnly = result.problems.every((p) => p.message.startsWith('an entry needs'));
    const lines = result.problems.map((p) =>
      p.message.startsWith('an entry needs')
        ? 'give at least one of --nrs, --pdi, --activity'
        : `${FLAG_OF[p.field]}: ${p.message}`,
    );
    // Only "no measure given" is a usage mistake; any value given and refused is bad input.
    throw missingOnly ? new UsageError(lines.join('\n')) : new UserError(lines.join('\n'));
  }
  return result.entry;
}

/** `--pdi 34`, or `--pdi-domains 5,4,6,3,2,1,0` (7 scores) turned into the CSV form `5;4;...`. */
export function pdiText(pdi: string | undefined, domains: string | undefined): string | undefined {
  if (pdi !== undefined && domains !== undefined)
    throw new UsageError('give --pdi (total) or --pdi-domains (7 scores), not both');
  return domains !== undefined ? domains.split(/[,;]/).join(';') : pdi;
}

/** Reads and validates a diary CSV file; any problem → UserError listing file:line, column, reason. */
export function readDiaryFile(file: string): DiaryRow[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UserError(`${file}: no such file`);
  }
  if (!stat.isFile()) throw new UserError(`${file}: not a regular file`);
  if (stat.size > MAX_DIARY_FILE_BYTES)
    throw new UserError(
      `${file}: ${stat.size} bytes is larger than the ${MAX_DIARY_FILE_BYTES}-byte limit for a diary file`,
    );
  const name = path.basename(file);
  try {
    return readDiaryCsv(decodeUtf8(fs.readFileSync(file)));
  } catch (err) {
    if (err instanceof DiaryCsvError) {
      throw new UserError(
        `${name}: ${err.problems.length} problem(s); nothing was read:\n${formatProblems(err.problems, name)}`,
      );
    }
    throw err;
  }
}
