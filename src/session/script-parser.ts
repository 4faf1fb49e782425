import type { ControlEvent } from './session-context.js';
import { POSTURES, type Intent, type Posture } from './session-types.js';

/**
 * `scs script` files: one command per line, `#` starts a comment. Parsed and checked as a whole
 * before anything runs, so a typo on line 40 never leaves a half-run session behind.
 */

export type ScriptAction = Intent | Extract<ControlEvent, { type: 'STOP' | 'REBIND' }> | { type: 'WAIT'; ms: number };

export interface ScriptStep {
  line: number;
  /** The command as written, without comment and surrounding blanks. */
  command: string;
  action: ScriptAction;
}

export interface ScriptError {
  line: number;
  column: number;
  message: string;
}

export type ParsedScript = { ok: true; steps: ScriptStep[] } | { ok: false; errors: ScriptError[] };

export const SCRIPT_COMMANDS = [
  'electrodes CONTACT± ... (e.g. electrodes 1- 2+; listed contacts, others off)',
  'posture supine|sitting|standing|walking',
  'rate HZ',
  'pw US',
  'search start',
  'amp up | amp down | amp set MA',
  'mark sensory | mark discomfort',
  'commit',
  'output on|off',
  'patient-mode on|off',
  "patient-window MIN MAX   (mA: the patient's range, clamped into the measured window)",
  'stop',
  'wait MS',
  'impedance   (impedance check with output off)',
  'rebind      (bind the session to the connected generator after a serial/protocol mismatch)',
];

/** A word as echoed in a message: long words are cut, so a 100 kB line does not come back whole. */
const shown = (word: string): string => (word.length > 40 ? `${word.slice(0, 40)}…` : word);

class LineError extends Error {
  constructor(
    readonly column: number,
    message: string,
  ) {
    super(message);
  }
}

/** A non-negative finite number, as written (no hex, no exponent tricks). */
function number(word: string | undefined, column: number, what: string): number {
  if (word === undefined) throw new LineError(column, `missing ${what}`);
  if (!/^\d+(\.\d+)?$/.test(word))
    throw new LineError(column, `'${shown(word)}' is not a number of ${what} (use digits, e.g. 1.5)`);
  return Number(word);
}

function oneOf<T extends string>(word: string | undefined, options: readonly T[], column: number, what: string): T {
  if (word === undefined) throw new LineError(column, `missing ${what}: one of ${options.join(', ')}`);
  const w = word.toLowerCase();
  if (!(options as readonly string[]).includes(w))
    throw new LineError(column, `'${shown(word)}' is not a valid ${what}: use one of ${options.join(', ')}`);
  return w as T;
}

function parseWords(words: { text: string; column: number }[], end: number): ScriptAction {
  const [head, ...rest] = words;
  const arg = (i: number) => rest[i]?.text;
  const col = (i: number) => rest[i]?.column ?? end;
  const noMore = (n: number) => {
    if (rest.length > n) throw new LineError(rest[n]!.column, `unexpected '${shown(rest[n]!.text)}'`);
  };
  switch (head!.text.toLowerCase()) {
    case 'electrodes': {
      if (rest.length === 0) throw new LineError(end, 'missing contacts, e.g. electrodes 1- 2+');
      for (const w of rest) {
        if (!/^\d{1,3}([+-]|off)$/i.test(w.text))
          throw new LineError(w.column, `'${shown(w.text)}' is not CONTACT+ or CONTACT- (e.g. 1- 2+)`);
      }
      return { type: 'ELECTRODES', spec: rest.map((w) => w.text.toLowerCase()) };
    }
    case 'posture':
      noMore(1);
      return { type: 'POSTURE', posture: oneOf<Posture>(arg(0), POSTURES, col(0), 'posture') };
    case 'rate':
      noMore(1);
      return { type: 'RATE', hz: number(arg(0), col(0), 'Hz') };
    case 'pw':
      noMore(1);
      return { type: 'PULSE_WIDTH', us: number(arg(0), col(0), 'µs') };
    case 'search':
      noMore(1);
      oneOf(arg(0), ['start'] as const, col(0), 'search command');
      return { type: 'SEARCH_START' };
    case 'amp': {
      const sub = oneOf(arg(0), ['up', 'down', 'set'] as const, col(0), 'amp command');
      if (sub === 'set') {
        noMore(2);
        return { type: 'AMPLITUDE_SET', ma: number(arg(1), col(1), 'mA') };
      }
      noMore(1);
      return { type: sub === 'up' ? 'AMPLITUDE_UP' : 'AMPLITUDE_DOWN' };
    }
    case 'mark':
      noMore(1);
      return {
        type:
          oneOf(arg(0), ['sensory', 'discomfort'] as const, col(0), 'threshold') === 'sensory'
            ? 'MARK_SENSORY'
            : 'MARK_DISCOMFORT',
      };
    case 'commit':
      noMore(0);
      return { type: 'COMMIT' };
    case 'output':
      noMore(1);
      return {
        type: oneOf(arg(0), ['on', 'off'] as const, col(0), 'output state') === 'on' ? 'OUTPUT_ON' : 'OUTPUT_OFF',
      };
    case 'patient-mode':
      noMore(1);
      return { type: 'PATIENT_MODE', on: oneOf(arg(0), ['on', 'off'] as const, col(0), 'patient-mode state') === 'on' };
    case 'patient-window':
      noMore(2);
      return {
        type: 'PATIENT_WINDOW',
        minMa: number(arg(0), col(0), 'mA (minimum)'),
        maxMa: number(arg(1), col(1), 'mA (maximum)'),
      };
    case 'stop':
      noMore(0);
      return { type: 'STOP' };
    case 'wait':
      noMore(1);
      return { type: 'WAIT', ms: number(arg(0), col(0), 'milliseconds') };
    case 'impedance':
      noMore(0);
      return { type: 'IMPEDANCE_CHECK' };
    case 'rebind':
      noMore(0);
      return { type: 'REBIND' };
    default:
      throw new LineError(head!.column, `unknown command '${shown(head!.text)}'`);
  }
}

export function parseScript(text: string): ParsedScript {
  const steps: ScriptStep[] = [];
  const errors: ScriptError[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    // Control characters would reach the terminal in our messages (escape sequences); U+FFFD means
    // the bytes were not UTF-8 (e.g. a UTF-16 file). Refuse the line and point at the character.
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    const bad = /[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]/.exec(i === 0 ? raw.replace(/^\ufeff/, ' ') : raw);
    if (bad) {
      const code = bad[0].codePointAt(0)!;
      const message =
        code === 0xfffd || code === 0
          ? 'is not UTF-8 text (a UTF-16 or binary file?); save the script as UTF-8'
          : `contains the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}; remove it`;
      errors.push({ line, column: bad.index + 1, message });
      return;
    }
    const hash = raw.indexOf('#');
    const body = hash === -1 ? raw : raw.slice(0, hash);
    const words = [...body.matchAll(/\S+/g)].map((m) => ({ text: m[0], column: m.index + 1 }));
    if (words.length === 0) return;
    try {
      steps.push({ line, command: body.trim(), action: parseWords(words, body.trimEnd().length + 2) });
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      errors.push({ line, column: e.column, message: e.message });
    }
  });
  return errors.length ? { ok: false, errors } : { ok: true, steps };
}
