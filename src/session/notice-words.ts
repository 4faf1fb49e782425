import type { ErrorCodeName } from '../../protocol/index.js';
import type { Fact } from './mismatch.js';
import type { Notice, NoticeField } from './notice.js';
import type { Ramp } from './ramp.js';
import type { IntentType, LinkOp } from './session-types.js';
import { uaToMa } from './units.js';

/** Each notice field in the clinician's words (the UI, the script report and the audit reader share it). */
export const FIELD_LABEL: Record<NoticeField, string> = {
  rate: 'Rate',
  pulseWidth: 'Pulse width',
  amplitude: 'Amplitude',
  patientWindow: 'Patient window',
  electrodes: 'Electrodes',
  posture: 'Posture',
  threshold: 'Threshold',
  output: 'Output',
  mode: 'Therapy',
  program: 'Program',
  generator: 'Generator',
  link: 'Link',
  battery: 'Battery',
  session: 'Session',
};

/** What a person asked for, in words, when the request carries no value of its own (a key, a command). */
export const INTENT_WORDS: Record<IntentType, string> = {
  ELECTRODES: 'electrode change',
  POSTURE: 'posture change',
  RATE: 'rate change',
  PULSE_WIDTH: 'pulse width change',
  RATE_UP: 'one step up',
  RATE_DOWN: 'one step down',
  PULSE_WIDTH_UP: 'one step up',
  PULSE_WIDTH_DOWN: 'one step down',
  SEARCH_START: 'threshold search',
  AMPLITUDE_UP: 'one step up',
  AMPLITUDE_DOWN: 'one step down',
  AMPLITUDE_SET: 'a set value',
  MARK_SENSORY: 'mark sensory',
  MARK_DISCOMFORT: 'mark discomfort',
  COMMIT: 'commit',
  OUTPUT_ON: 'on',
  OUTPUT_OFF: 'off',
  PATIENT_MODE: 'patient mode',
  PATIENT_WINDOW: 'patient window change',
  IMPEDANCE_CHECK: 'impedance check',
};

/** What the session held when a request was asked, for the words of what it asked. */
export interface AskedAt {
  /** The amplitude programmed before the request (µA), when known. */
  amplitudeUa: number | null;
  /** The patient window in force (µA), when there is one. */
  patientWindow: { lowUa: number; highUa: number } | null;
}

const NOTHING_KNOWN: AskedAt = { amplitudeUa: null, patientWindow: null };

/**
 * What a request the link went down under asked, in the clinician's words (bb3 F-L5, bb4-L1): the
 * amplitude an `amp` command was setting ("amplitude 0.3 mA"), "output on (test) at 0 mA", "therapy
 * commit at 0.3 mA", "patient mode on, window 0.2–0.3 mA"; never an internal word ("on", "patient
 * mode", "a set value"). Other requests as INTENT_WORDS says ("electrode change").
 */
export function askedWords(
  u: { intent: string; ops: readonly LinkOp[]; ramp: Ramp | null },
  at: AskedAt = NOTHING_KNOWN,
): string {
  const set = u.ops.find((op) => op.op === 'setProgram');
  const setUa = u.ramp?.targetUa ?? (set?.op === 'setProgram' ? set.program.amplitudeUa : undefined);
  const ma = (ua: number | null | undefined) => (ua === null || ua === undefined ? '' : ` at ${uaToMa(ua)} mA`);
  switch (u.intent) {
    case 'AMPLITUDE_SET':
    case 'AMPLITUDE_UP':
    case 'AMPLITUDE_DOWN':
      if (setUa !== undefined) return `amplitude ${uaToMa(setUa)} mA`;
      break;
    case 'OUTPUT_ON':
      return `output on (test)${ma(setUa ?? at.amplitudeUa)}`;
    case 'COMMIT':
      return `therapy commit${ma(setUa ?? at.amplitudeUa)}`;
    case 'OUTPUT_OFF':
      return 'output off';
    case 'PATIENT_MODE': {
      const w = at.patientWindow;
      return w ? `patient mode on, window ${uaToMa(w.lowUa)}–${uaToMa(w.highUa)} mA` : 'patient mode on';
    }
  }
  return INTENT_WORDS[u.intent as IntentType] ?? u.intent;
}

/** Why the generator refused a request (its NAK code, PROTOCOL.md "Error codes"), in words. */
export const REFUSAL_WORDS: Record<ErrorCodeName | 'UNKNOWN', string> = {
  BAD_CRC: 'the line arrived damaged',
  LINE_TOO_LONG: 'the line was too long',
  MALFORMED: 'the line could not be read',
  UNKNOWN_VERB: 'it does not know the request',
  BAD_FIELD: 'a value in the request is not valid',
  VERSION_MISMATCH: 'it speaks another protocol version',
  NOT_READY: 'it is not ready',
  STALE_SEQ: 'the request came late, after a newer one',
  STALE_SESSION: 'the request belongs to an earlier connection',
  REV_MISMATCH: 'its program was changed elsewhere since the companion last read it',
  OUT_OF_RANGE: 'a value is outside its range',
  OFF_STEP: 'a value is not on its step',
  NO_ANODE: 'no anode is set',
  NO_CATHODE: 'no cathode is set',
  CHARGE_DENSITY: 'the charge density would exceed its limit',
  LIVE_CHANGE: 'only amplitude may change while output is on',
  CONTACT_COUNT: 'the number of contacts is wrong',
  NO_PROGRAM: 'it has no program to run',
  MODE_CHANGE: 'committed therapy cannot be turned into test stimulation',
  BATTERY_EMPTY: 'its battery is empty',
  UNKNOWN: 'of an error it did not name',
};

/** The generator facts a difference can concern (mismatch.ts), in words. */
export const FACT_WORDS: Record<Fact, string> = {
  output: 'output',
  mode: 'mode',
  amplitudeUa: 'amplitude',
  rateHz: 'rate',
  pulseWidthUs: 'pulse width',
  contacts: 'contacts',
};

const UNIT: Partial<Record<NoticeField, string>> = {
  amplitude: 'mA',
  patientWindow: 'mA',
  threshold: 'mA',
  rate: 'Hz',
  pulseWidth: 'µs',
};

/** A notice value with its unit: `0.3 mA`, `50 Hz`; words stay as they are. */
export function noticeValue(field: NoticeField, value: number | string): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return 'a value that is not a number';
  const unit = UNIT[field];
  return typeof value === 'number' && unit ? `${value} ${unit}` : String(value);
}

const withoutStop = (text: string) => text.trim().replace(/\.+$/, '');

/**
 * One notice as one sentence a clinician reads, naming its field in words:
 * `Amplitude: 5 mA asked, 3.2 mA applied — discomfort threshold 3.2 mA.`,
 * `Rate: one step up refused — patient mode allows amplitude changes inside the window only.`,
 * `Generator: The generator restarted (a reset); its state is being read again.`
 */
export function noticeSentence(n: Notice): string {
  const label = FIELD_LABEL[n.field];
  const reason = withoutStop(n.reason);
  const asked = n.requested === null ? null : noticeValue(n.field, n.requested);
  const applied = n.applied === null ? null : noticeValue(n.field, n.applied);
  if (n.kind === 'reject') return `${label}: ${asked === null ? '' : `${asked} `}refused — ${reason}.`;
  if (n.kind === 'clamp' && applied !== null)
    return `${label}: ${asked === null ? '' : `${asked} asked, `}${applied} applied — ${reason}.`;
  // Warnings and information say what happened in their reason; a number it does not name is added.
  const value = typeof n.applied === 'number' && !reason.includes(String(n.applied)) ? ` — ${applied}` : '';
  return `${label}: ${reason}${value}.`;
}
