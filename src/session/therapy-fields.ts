import type { GeneratorState, HardwareLimits, Identity } from '../../protocol/index.js';

/**
 * H11 (Nuvectra 2016: "Swap" copied calibration data along with the program and the IPG could no
 * longer recharge): what may leave a session is an allow-list, never "everything but …". A program
 * handed to a generator, a program summary in a report or an export, carries these fields and no
 * other. Calibration and hardware data (contact area, charge-density limit, ranges, watchdog),
 * identity (serial, firmware, boot id), battery, faults and revision counters never move.
 */

/** The stimulation program: what a SET carries and what may be copied to another generator. */
export const THERAPY_PROGRAM_FIELDS = ['rateHz', 'pulseWidthUs', 'amplitudeUa', 'contacts'] as const;
/** Added in reports and exports only: whether that program was committed as therapy. Never written to a generator. */
export const THERAPY_STATUS_FIELDS = ['committed'] as const;

export type TherapyProgram = Pick<GeneratorState, (typeof THERAPY_PROGRAM_FIELDS)[number]>;
export type TherapyRecord = TherapyProgram & Pick<GeneratorState, (typeof THERAPY_STATUS_FIELDS)[number]>;

/** Every field the generator reports, and whether it may move (true: on the allow-list). Checked field by field by a test. */
export type FieldPolicy<T> = { readonly [K in keyof Required<T>]: boolean };

const PROGRAM = new Set<string>(THERAPY_PROGRAM_FIELDS);
const RECORD = new Set<string>([...THERAPY_PROGRAM_FIELDS, ...THERAPY_STATUS_FIELDS]);

export const GENERATOR_STATE_POLICY: FieldPolicy<GeneratorState> = {
  rateHz: true,
  pulseWidthUs: true,
  amplitudeUa: true,
  contacts: true,
  committed: true, // status only (reports); not part of a program copy
  output: false,
  mode: false,
  batteryPct: false,
  faults: false,
  programRev: false,
};
export const HARDWARE_LIMITS_POLICY: FieldPolicy<HardwareLimits> = {
  amplitudeUa: false,
  pulseWidthUs: false,
  rateHz: false,
  contactCount: false,
  contactAreaCm2: false,
  maxChargeDensity: false,
  watchdogMs: false,
};
export const IDENTITY_POLICY: FieldPolicy<Identity> = { proto: false, firmware: false, serial: false, bootId: false };

export class TherapyFieldError extends Error {
  override name = 'TherapyFieldError';
}

const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function pick(source: Readonly<Record<string, unknown>>, fields: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (!(f in source)) throw new TherapyFieldError(`therapy field ${f} is missing`);
    out[f] = source[f];
  }
  const { rateHz, pulseWidthUs, amplitudeUa, contacts } = out;
  if (!isWhole(rateHz) || !isWhole(pulseWidthUs) || !isWhole(amplitudeUa))
    throw new TherapyFieldError('rateHz, pulseWidthUs and amplitudeUa must be whole non-negative numbers');
  if (typeof contacts !== 'string' || !/^[+\-0]{1,32}$/.test(contacts))
    throw new TherapyFieldError('contacts must be 1–32 of + - 0');
  if ('committed' in out && typeof out.committed !== 'boolean')
    throw new TherapyFieldError('committed must be true or false');
  return out;
}

/** The program to hand to a generator: the allow-listed program fields of `source`, nothing else. */
export function therapyProgramOf(source: Readonly<TherapyProgram> | Readonly<Record<string, unknown>>): TherapyProgram {
  return pick(source as Record<string, unknown>, PROGRAM) as unknown as TherapyProgram;
}

/** A program summary for a report or an export: the program fields and whether it was committed. */
export function therapyRecordOf(source: Readonly<TherapyRecord> | Readonly<Record<string, unknown>>): TherapyRecord {
  return pick(source as Record<string, unknown>, RECORD) as unknown as TherapyRecord;
}
