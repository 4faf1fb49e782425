import type { Program } from './program-rules.js';

/**
 * `remote …` typed into a running `scs sim`: the patient's remote (another controller) changes the
 * generator's own program, so H17 (two controllers) can be shown by hand. Pure: the text and the
 * current program in, the new program or a reason out. The generator's rules (SET's rules) still
 * decide whether it applies.
 *
 *   remote amp 2.5        amplitude in mA (the remote's unit)
 *   remote rate 55        rate in Hz
 *   remote pw 350         pulse width in µs
 *   remote contacts +-000000
 */

export const REMOTE_USAGE = 'remote amp MA | remote rate HZ | remote pw US | remote contacts +-0…';

export type RemoteParse = { ok: true; program: Program } | { ok: false; reason: string };

const NUMBER = /^\d+(\.\d+)?$/;

export function parseRemoteCommand(text: string, current: Program): RemoteParse {
  const words = text.trim().split(/\s+/);
  if (words[0] !== 'remote' || words.length !== 3) return { ok: false, reason: `expected ${REMOTE_USAGE}` };
  const [, what, value] = words as [string, string, string];
  if (what === 'contacts') {
    if (!/^[+\-0]{1,32}$/.test(value))
      return { ok: false, reason: `contacts must be + - or 0 per contact, got '${value}'` };
    return { ok: true, program: { ...current, contacts: value } };
  }
  if (!NUMBER.test(value)) return { ok: false, reason: `${what} needs a non-negative number, got '${value}'` };
  const n = Number(value);
  switch (what) {
    case 'amp': {
      // mA to whole µA; a value finer than 1 µA is refused rather than rounded.
      const ua = Math.round(n * 1000);
      if (Math.abs(ua - n * 1000) > 1e-6) return { ok: false, reason: `amp ${value} mA is finer than 1 µA` };
      return { ok: true, program: { ...current, amplitudeUa: ua } };
    }
    case 'rate':
    case 'pw':
      if (!Number.isInteger(n)) return { ok: false, reason: `${what} must be a whole number, got '${value}'` };
      return { ok: true, program: what === 'rate' ? { ...current, rateHz: n } : { ...current, pulseWidthUs: n } };
    default:
      return { ok: false, reason: `unknown remote setting '${what}': ${REMOTE_USAGE}` };
  }
}
