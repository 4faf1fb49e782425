import {
  DisconnectedError,
  LinkTimeoutError,
  NakError,
  OutputMismatchError,
  ReadbackMismatchError,
} from '../link/generator-link.js';
import { notice, reject, type Notice } from './notice.js';
import { OutsideChangeError } from './off-check.js';
import { REFUSAL_WORDS } from './notice-words.js';
import { describeContacts } from './electrodes.js';
import { describeProgram } from './program-words.js';
import { uaToMa } from './units.js';

export function isLinkDown(error: unknown): boolean {
  return error instanceof DisconnectedError || error instanceof LinkTimeoutError;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * What a failed request tells the clinician: the generator's refusal in words (its own detail quoted),
 * a read-back that differs as both programs in mA, a link loss as a link loss.
 */
export function failureNotice(error: unknown): Notice {
  if (error instanceof NakError) {
    const why = REFUSAL_WORDS[error.codeName as keyof typeof REFUSAL_WORDS] ?? REFUSAL_WORDS.UNKNOWN;
    return reject('generator', null, `the generator refused the request because ${why} (it says "${error.detail}")`);
  }
  if (error instanceof ReadbackMismatchError) {
    const asked = error.requested;
    return notice(
      'warn',
      'generator',
      null,
      null,
      `the generator applied ${describeProgram(error.applied)}, not the requested ${asked.rateHz} Hz, ${asked.pulseWidthUs} µs, ` +
        `${uaToMa(asked.amplitudeUa)} mA, ${describeContacts(asked.contacts)}: the screen shows what it applied`,
    );
  }
  // bb5-N3: our own off answered with output on is said as such, with the way to end it.
  if (error instanceof OutputMismatchError && !error.requested.on && error.applied.output === 'on')
    return notice(
      'warn',
      'output',
      'off',
      'on',
      `output still on: the generator reports output on (${describeProgram(error.applied)}) after output off was asked: press STOP or switch it off by hand`,
    );
  if (error instanceof OutputMismatchError) {
    const asked = error.requested.on ? `on (${error.requested.mode ?? 'test'})` : 'off';
    return notice(
      'warn',
      'generator',
      null,
      null,
      `the generator reports output ${error.applied.output}, not the requested output ${asked}: the screen shows what it reports`,
    );
  }
  // bb4-F10: the state found is re-read and told as a change made elsewhere (H17) right after this.
  if (error instanceof OutsideChangeError) return reject('generator', null, error.message);
  if (isLinkDown(error)) return notice('warn', 'link', null, null, `link lost: ${message(error)}`);
  return notice('warn', 'session', null, null, message(error));
}
