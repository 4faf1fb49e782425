import {
  ErrorCode,
  countPolarities,
  impedanceSplit,
  maxAmplitudeForDensity,
  mostLoadedContact,
  type ImpedanceReading,
  type Range,
} from '../protocol/index.js';
import type { GeneratorConfig } from './generator-config.js';

/** A stimulation program in absolute values, as SET carries it. */
export interface Program {
  rateHz: number;
  pulseWidthUs: number;
  amplitudeUa: number;
  /** One of + (anode), - (cathode), 0 (off) per contact. */
  contacts: string;
}

export interface Rejection {
  code: number;
  message: string;
}

function checkRange(name: string, unit: string, value: number, r: Range): Rejection | null {
  if (value < r.min || value > r.max) {
    return { code: ErrorCode.OUT_OF_RANGE, message: `${name} ${value} ${unit} is outside ${r.min}-${r.max} ${unit}` };
  }
  if ((value - r.min) % r.step !== 0) {
    return {
      code: ErrorCode.OFF_STEP,
      message: `${name} ${value} ${unit} is not on the ${r.step} ${unit} step from ${r.min}`,
    };
  }
  return null;
}

/**
 * Why the generator refuses `next`, or null when it may apply it. It never clamps: any value it
 * cannot apply exactly is refused with a code, so what it ACKs is always what was asked for.
 * Charge density is checked on the most loaded contact, its share taken from `impedances`, the
 * generator's own measurement of every contact now (PROTOCOL.md §4.3.1).
 */
export function rejectProgram(
  config: GeneratorConfig,
  next: Program,
  current: Program,
  outputOn: boolean,
  impedances: readonly ImpedanceReading[] = config.impedances,
): Rejection | null {
  if (next.contacts.length !== config.contactCount) {
    return {
      code: ErrorCode.CONTACT_COUNT,
      message: `el has ${next.contacts.length} contacts; this generator has ${config.contactCount}`,
    };
  }
  const range =
    checkRange('rate', 'Hz', next.rateHz, config.rateHz) ??
    checkRange('pulse width', 'us', next.pulseWidthUs, config.pulseWidthUs) ??
    checkRange('amplitude', 'uA', next.amplitudeUa, config.amplitudeUa);
  if (range) return range;
  if (
    outputOn &&
    (next.rateHz !== current.rateHz || next.pulseWidthUs !== current.pulseWidthUs || next.contacts !== current.contacts)
  ) {
    return {
      code: ErrorCode.LIVE_CHANGE,
      message: 'only amplitude may change while output is on; turn output off first',
    };
  }
  if (next.amplitudeUa > 0) {
    const { anodes, cathodes } = countPolarities(next.contacts);
    if (anodes === 0) return { code: ErrorCode.NO_ANODE, message: 'amplitude above 0 needs at least one anode (+)' };
    if (cathodes === 0)
      return { code: ErrorCode.NO_CATHODE, message: 'amplitude above 0 needs at least one cathode (-)' };
  }
  return densityRejection(config, next, impedances);
}

/**
 * Rule 5 alone: the most loaded contact, its share from `impedances` (the generator's measurement now),
 * stays at or under the charge-density limit. SET, OUTPUT on=1 and every new impedance check it (§4.3.1).
 */
export function densityRejection(
  config: GeneratorConfig,
  program: Program,
  impedances: readonly ImpedanceReading[],
): Rejection | null {
  if (program.amplitudeUa <= 0) return null;
  const split = impedanceSplit(program.contacts, impedances);
  const maxUa = maxAmplitudeForDensity(
    program.pulseWidthUs,
    program.contacts,
    config.contactAreaCm2,
    config.maxChargeDensity,
    split,
  );
  if (program.amplitudeUa <= maxUa) return null;
  return {
    code: ErrorCode.CHARGE_DENSITY,
    message: `charge density over ${config.maxChargeDensity} uC/cm2: at ${program.pulseWidthUs} us this contact set allows at most ${maxUa} uA${shareClause(program.contacts, split)}`,
  };
}

/** Which contact limits the amplitude, when more than one shares a polarity (the message stays under 120 characters). */
function shareClause(contacts: string, split: ReturnType<typeof impedanceSplit>): string {
  const loaded = mostLoadedContact(contacts, split);
  if (split.basis === 'worst-case') return ' (open/short contact: worst case)';
  if (!loaded || loaded.share === 1) return '';
  return ` (contact ${loaded.contact} carries ${Math.round(loaded.share * 100)}%)`;
}

/** A program the generator can turn output on with: at least one anode and one cathode. */
export function isRunnable(program: Program): boolean {
  const { anodes, cathodes } = countPolarities(program.contacts);
  return anodes > 0 && cathodes > 0;
}
