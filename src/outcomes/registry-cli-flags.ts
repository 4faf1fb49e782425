import { parseCommandLine } from '../shared/parse-command-line.js';
import { type ParseArgsConfig } from 'node:util';
import { UserError, UsageError } from '../errors/user-error.js';
import { patientIdProblem } from '../diary/patient-id.js';
import { PDI_DOMAINS } from '../diary/entry.js';
import { parseDermatomeRange, type DermatomeRange } from './dermatome-range.js';

/**
 * Flag parsing shared by `scs patient`, `scs followup` and `scs cohort`: each helper names the flag
 * and the accepted values in its message, so a person sees what to type. A value that is wrong is bad
 * input (UserError, exit 1); a missing or unknown flag is a usage mistake (UsageError, exit 2).
 */
export type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with only the flags a subcommand allows; errors name the command's help. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export function parseFlags(
  argv: string[],
  options: Options,
  help: string,
  positionals = false,
): { values: FlagValues; positionals: string[] } {
  const r = parseCommandLine(
    argv,
    { options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: positionals },
    help,
  );
  return { values: r.values as FlagValues, positionals: r.positionals };
}

export function requireFlag(value: string | undefined, flag: string, hint: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required (${hint})`);
  return value.trim();
}

export function patientFlag(value: string | undefined): string {
  const problem = patientIdProblem(value);
  if (problem) throw value === undefined ? new UsageError(problem) : new UserError(problem);
  return value!;
}

export function choiceFlag<T extends string>(
  value: string | undefined,
  flag: string,
  allowed: readonly T[],
  caseInsensitive = true,
): T | undefined {
  if (value === undefined) return undefined;
  const v = caseInsensitive ? value.trim().toLowerCase() : value.trim();
  const hit = allowed.find((a) => (caseInsensitive ? a.toLowerCase() : a) === v);
  if (hit === undefined) throw new UserError(`${flag} must be one of ${allowed.join(', ')}, not '${value}'`);
  return hit;
}

/** A non-negative decimal (digits, optional point) within [0, max]; whole numbers when asked. */
export function numberFlag(value: string | undefined, flag: string, max: number, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const ok = integer ? /^\d+$/.test(value.trim()) : /^\d+(?:\.\d+)?$/.test(value.trim());
  const n = Number(value);
  if (!ok || n > max)
    throw new UserError(`${flag} must be ${integer ? 'a whole number' : 'a number'} from 0 to ${max}, not '${value}'`);
  return n;
}

export function locationFlag(value: string | undefined): DermatomeRange | undefined {
  if (value === undefined) return undefined;
  const r = parseDermatomeRange(value);
  if (!r.ok) throw new UserError(`--location: ${r.reason}`);
  return r.range;
}

/** `--pdi 34` or `--pdi-domains 5,4,6,3,2,1,0` (the 7 domains, 0–10 each; the total is their sum). */
export function pdiFlags(
  total: string | undefined,
  domains: string | undefined,
): { pdi: number | null; pdiDomains: number[] | null } {
  if (total !== undefined && domains !== undefined)
    throw new UsageError('give --pdi (total) or --pdi-domains (7 scores), not both');
  if (domains !== undefined) {
    const parts = domains.split(/[,;]/).map((s) => s.trim());
    if (parts.length !== PDI_DOMAINS.length || parts.some((p) => !/^\d+$/.test(p) || Number(p) > 10)) {
      throw new UserError(
        `--pdi-domains needs ${PDI_DOMAINS.length} whole scores 0–10 separated by commas (${PDI_DOMAINS.join(', ')}), not '${domains}'`,
      );
    }
    const scores = parts.map(Number);
    return { pdi: scores.reduce((a, b) => a + b, 0), pdiDomains: scores };
  }
  return { pdi: numberFlag(total, '--pdi', 70, true) ?? null, pdiDomains: null };
}

export function dateFlag(value: string | undefined, flag = '--date'): string | null {
  if (value === undefined) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value.trim()))
    throw new UserError(`${flag} must be a date YYYY-MM-DD, not '${value}'`);
  return value.trim();
}
