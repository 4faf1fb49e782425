import type { ImpedanceReading } from '../../protocol/index.js';

/**
 * The last impedance check, as the session keeps and shows it: one reading per contact (ohms, 'open'
 * or 'short'), the contacts it flags, and when it was measured.
 */
export interface ImpedanceCheck {
  readings: ImpedanceReading[];
  /** 1-based numbers of the contacts that read open or short (the readings a search is refused on). */
  flagged: number[];
  /** When the generator answered (ms, the session's clock). */
  at: number;
  /** The electrode configuration on the generator when it was measured (shares are computed only for it). */
  contacts?: string;
  /** Why the check no longer gives current shares (an electrode change after it, its age); absent while it does. */
  stale?: string;
}

export function flaggedContacts(readings: readonly ImpedanceReading[]): number[] {
  return readings.flatMap((r, i) => (r === 'open' || r === 'short' ? [i + 1] : []));
}

export function impedanceCheckOf(readings: readonly ImpedanceReading[], at: number, contacts?: string): ImpedanceCheck {
  return {
    readings: [...readings],
    flagged: flaggedContacts(readings),
    at,
    ...(contacts !== undefined ? { contacts } : {}),
  };
}
