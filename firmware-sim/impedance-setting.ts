import type { ImpedanceReading } from '../protocol/index.js';

/**
 * One contact's impedance for the simulator, as typed by a person: `3=250`, `3=open`, `3=short` for
 * `scs sim --impedance`, or `impedance 3 250` on its stdin. Pure: text in, contact and reading out.
 */

export const IMPEDANCE_USAGE = 'CONTACT=OHMS, CONTACT=open or CONTACT=short (e.g. 1=250)';

export type ImpedanceSetting = { ok: true; contact: number; reading: ImpedanceReading } | { ok: false; reason: string };

/** `contact` and `value` as separate words; contacts are 1-based, ohms a whole number 1–999999999. */
export function parseImpedanceSetting(contactText: string, valueText: string, contactCount: number): ImpedanceSetting {
  if (!/^\d{1,3}$/.test(contactText) || Number(contactText) < 1 || Number(contactText) > contactCount) {
    return { ok: false, reason: `contact must be a whole number from 1 to ${contactCount}, got '${contactText}'` };
  }
  const contact = Number(contactText);
  if (valueText === 'open' || valueText === 'short') return { ok: true, contact, reading: valueText };
  if (!/^\d{1,9}$/.test(valueText) || Number(valueText) < 1) {
    return { ok: false, reason: `impedance must be whole ohms from 1, open or short, got '${valueText}'` };
  }
  return { ok: true, contact, reading: Number(valueText) };
}

/** The flag form `CONTACT=VALUE`. */
export function parseImpedanceFlag(text: string, contactCount: number): ImpedanceSetting {
  const m = /^([^=]*)=(.*)$/.exec(text.trim());
  if (!m) return { ok: false, reason: `expected ${IMPEDANCE_USAGE}, got '${text}'` };
  return parseImpedanceSetting(m[1]!, m[2]!, contactCount);
}
