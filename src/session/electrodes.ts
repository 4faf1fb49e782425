import { countPolarities } from '../../protocol/index.js';

/**
 * Electrode configuration: one polarity per contact the generator reports, `+` anode, `-` cathode,
 * `0` off (the wire's own notation). People number contacts from 1.
 */

export type Polarity = '+' | '-' | '0';

export type ElectrodeResult = { ok: true; contacts: string } | { ok: false; reason: string };

/**
 * Parses `1- 2+` style tokens (listed contacts, all others off) for a generator with
 * `contactCount` contacts. Refuses unknown contacts, duplicates and bad polarity.
 */
export function parseElectrodeTokens(tokens: readonly string[], contactCount: number): ElectrodeResult {
  const polarity: Polarity[] = Array.from({ length: contactCount }, () => '0');
  const seen = new Set<number>();
  for (const token of tokens) {
    const m = /^(\d{1,3})([+-]|off)$/.exec(token);
    if (!m) return { ok: false, reason: `'${token}' is not CONTACT+ , CONTACT- or CONTACToff (e.g. 1- 2+)` };
    const n = Number(m[1]);
    if (n < 1 || n > contactCount)
      return { ok: false, reason: `contact ${n} does not exist: the generator reports contacts 1–${contactCount}` };
    if (seen.has(n)) return { ok: false, reason: `contact ${n} is listed twice` };
    seen.add(n);
    polarity[n - 1] = m[2] === 'off' ? '0' : (m[2] as Polarity);
  }
  return { ok: true, contacts: polarity.join('') };
}

/** Checks a polarity string against the generator's contact count. */
export function validateContacts(contacts: string, contactCount: number): ElectrodeResult {
  if (contacts.length !== contactCount)
    return { ok: false, reason: `expected ${contactCount} contacts, got ${contacts.length}` };
  if (!/^[+\-0]+$/.test(contacts)) return { ok: false, reason: 'contacts must be + - or 0' };
  return { ok: true, contacts };
}

/** Amplitude may rise only with at least one anode and one cathode. */
export function hasAnodeAndCathode(contacts: string): boolean {
  const { anodes, cathodes } = countPolarities(contacts);
  return anodes >= 1 && cathodes >= 1;
}

/** Why a configuration cannot carry current, or null when it can. */
export function missingPole(contacts: string): string | null {
  const { anodes, cathodes } = countPolarities(contacts);
  if (anodes === 0 && cathodes === 0) return 'no active contact: set at least one anode (+) and one cathode (-)';
  if (anodes === 0) return 'no anode: set at least one contact to +';
  if (cathodes === 0) return 'no cathode: set at least one contact to -';
  return null;
}

/** People-facing form: `1- 2+` (off contacts omitted). */
export function describeContacts(contacts: string): string {
  const parts: string[] = [];
  [...contacts].forEach((c, i) => {
    if (c !== '0') parts.push(`${i + 1}${c}`);
  });
  return parts.length ? parts.join(' ') : 'all off';
}
