import type { GeneratorState } from '../../protocol/index.js';
import { describeContacts } from './electrodes.js';
import { uaToMa } from './units.js';

/** A generator's program and output in one phrase: `50 Hz, 300 µs, 0.3 mA, 1- 2+, output on (therapy)`. */
export function describeProgram(s: GeneratorState): string {
  return `${s.rateHz} Hz, ${s.pulseWidthUs} µs, ${uaToMa(s.amplitudeUa)} mA, ${describeContacts(s.contacts)}, output ${s.output}${s.output === 'on' ? ` (${s.mode})` : ''}`;
}
