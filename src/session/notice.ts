/**
 * Every decision the session makes about a request is reported as a notice: nothing is clamped,
 * refused or warned about silently. Scripts print them, the UI shows them, the audit log keeps them.
 */

export const NOTICE_KINDS = ['clamp', 'reject', 'warn', 'info'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Every field a notice can name; `FIELD_LABEL` (notice-words.ts) gives each its clinician's words. */
export const NOTICE_FIELDS = [
  'rate',
  'pulseWidth',
  'amplitude',
  /** The clinician's window for patient mode (PATIENT_WINDOW). */
  'patientWindow',
  'electrodes',
  'posture',
  'threshold',
  'output',
  'mode',
  'program',
  'generator',
  'link',
  'battery',
  'session',
] as const;

export type NoticeField = (typeof NOTICE_FIELDS)[number];

export interface Notice {
  kind: NoticeKind;
  field: NoticeField;
  /** What was asked for, in the unit people use (Hz, µs, mA), or a word for non-numeric requests. */
  requested: number | string | null;
  /** What was applied instead (null when nothing was applied). */
  applied: number | string | null;
  /** Which limit or rule decided, in words a clinician understands. */
  reason: string;
}

export function notice(
  kind: NoticeKind,
  field: NoticeField,
  requested: Notice['requested'],
  applied: Notice['applied'],
  reason: string,
): Notice {
  return { kind, field, requested, applied, reason };
}

export const reject = (field: NoticeField, requested: Notice['requested'], reason: string): Notice =>
  notice('reject', field, requested, null, reason);
