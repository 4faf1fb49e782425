import { type Instant, InstantError, parseInstant } from './instant.js';

export const PHASES = ['baseline', 'trial'] as const;
export type Phase = (typeof PHASES)[number];

export const ACTIVITY_VALUES = ['improved', 'not-improved'] as const;
export type Activity = (typeof ACTIVITY_VALUES)[number];

/** The seven Pain Disability Index domains, each 0–10; the total (0–70) is their sum. */
export const PDI_DOMAINS = [
  'family/home responsibilities',
  'recreation',
  'social activity',
  'occupation',
  'sexual behaviour',
  'self-care',
  'life-support activity',
] as const;

export const NOTE_MAX_LENGTH = 2000;

/**
 * A diary entry and the validation of its fields as text (from CSV cells or CLI flags). Pure.
 * Every entry keeps both the time it describes (`at`) and the time it was recorded (`recordedAt`, H16).
 */
export interface DiaryEntry {
  /** The time the entry describes. */
  at: Instant;
  /** When it was written down; null when unknown (a file without a `recorded` column). */
  recordedAt: Instant | null;
  phase: Phase;
  /** Pain now, 0–10. */
  nrs: number | null;
  /** PDI total 0–70 (derived from the domains when those are given). */
  pdi: number | null;
  pdiDomains: number[] | null;
  activity: Activity | null;
  note: string | null;
}

/** Field values as text; a missing or blank value means "not given". */
export interface EntryText {
  timestamp?: string | undefined;
  recorded?: string | undefined;
  phase?: string | undefined;
  nrs?: string | undefined;
  /** A total (`34`) or the 7 domain scores separated by `;` (`5;4;6;3;2;1;0`). */
  pdi?: string | undefined;
  activity?: string | undefined;
  note?: string | undefined;
}

export interface FieldProblem {
  field: keyof EntryText;
  message: string;
}

export type EntryResult = { ok: true; entry: DiaryEntry } | { ok: false; problems: FieldProblem[] };

const blank = (v: string | undefined): boolean => v === undefined || v.trim() === '';

/** Validates one entry; collects every problem rather than stopping at the first. */
export function parseEntry(text: EntryText): EntryResult {
  const problems: FieldProblem[] = [];
  const problem = (field: keyof EntryText, message: string) => problems.push({ field, message });

  let at: Instant | undefined;
  if (blank(text.timestamp)) problem('timestamp', 'missing; give the date, time and UTC offset the entry describes');
  else at = tryInstant(text.timestamp!, 'timestamp', problem);

  let recordedAt: Instant | null = null;
  if (!blank(text.recorded)) recordedAt = tryInstant(text.recorded!, 'recorded', problem) ?? null;

  let phase: Phase | undefined;
  const phaseText = text.phase?.trim().toLowerCase();
  if (!phaseText) problem('phase', `missing; use one of ${PHASES.join(', ')}`);
  else if ((PHASES as readonly string[]).includes(phaseText)) phase = phaseText as Phase;
  else problem('phase', `'${text.phase}' is not one of ${PHASES.join(', ')}`);

  const nrs = blank(text.nrs) ? null : parseIntIn(text.nrs!, 0, 10, 'NRS', (m) => problem('nrs', m));

  let pdi: number | null = null;
  let pdiDomains: number[] | null = null;
  if (!blank(text.pdi)) {
    const parts = text.pdi!.split(';');
    if (parts.length === 1) {
      pdi = parseIntIn(parts[0]!, 0, 70, 'PDI total', (m) => problem('pdi', m));
    } else if (parts.length === PDI_DOMAINS.length) {
      const scores = parts.map((p, i) =>
        parseIntIn(p, 0, 10, `PDI domain ${i + 1} (${PDI_DOMAINS[i]})`, (m) => problem('pdi', m)),
      );
      if (scores.every((s) => s !== null)) {
        pdiDomains = scores as number[];
        pdi = pdiDomains.reduce((a, b) => a + b, 0);
      }
    } else {
      problem(
        'pdi',
        `'${text.pdi}' has ${parts.length} domain scores; give a total 0–70 or all ${PDI_DOMAINS.length} domain scores 0–10 separated by ';'`,
      );
    }
  }

  let activity: Activity | null = null;
  if (!blank(text.activity)) {
    const a = text.activity!.trim().toLowerCase();
    if ((ACTIVITY_VALUES as readonly string[]).includes(a)) activity = a as Activity;
    else problem('activity', `'${text.activity}' is not one of ${ACTIVITY_VALUES.join(', ')}`);
  }

  let note: string | null = null;
  if (!blank(text.note)) {
    note = text.note!;
    if (note.length > NOTE_MAX_LENGTH) problem('note', `is ${note.length} characters; the limit is ${NOTE_MAX_LENGTH}`);
    // Terminal control sequences in a note could rewrite the screen of whoever reads the diary.
    // eslint-disable-next-line no-control-regex
    const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.exec(note);
    if (control)
      problem(
        'note',
        `contains the control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}; remove it`,
      );
  }

  const hasMeasure = !blank(text.nrs) || !blank(text.pdi) || !blank(text.activity);
  if (!hasMeasure) problem('nrs', 'an entry needs at least one of nrs, pdi, activity');

  if (problems.length > 0 || at === undefined || phase === undefined) return { ok: false, problems };
  return { ok: true, entry: { at, recordedAt, phase, nrs, pdi, pdiDomains, activity, note } };
}

function tryInstant(
  value: string,
  field: keyof EntryText,
  problem: (f: keyof EntryText, m: string) => void,
): Instant | undefined {
  try {
    return parseInstant(value);
  } catch (err) {
    if (err instanceof InstantError) problem(field, err.message);
    else throw err;
    return undefined;
  }
}

function parseIntIn(value: string, min: number, max: number, what: string, fail: (m: string) => void): number | null {
  const t = value.trim();
  if (!/^\d+$/.test(t)) {
    fail(`${what} '${value}' is not a whole number ${min}–${max}`);
    return null;
  }
  const n = Number(t);
  if (n < min || n > max) {
    fail(`${what} ${t} is out of range ${min}–${max}`);
    return null;
  }
  return n;
}

/** The problems as one line each, e.g. `nrs: NRS 11 is out of range 0–10`. */
export function describeProblems(problems: readonly FieldProblem[]): string[] {
  return problems.map((p) => `${p.field}: ${p.message}`);
}
