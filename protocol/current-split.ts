import type { ImpedanceReading } from './messages.js';

export type SplitBasis = 'equal' | 'impedance' | 'worst-case';

/**
 * How a generator with ONE current source per polarity divides the amplitude over the contacts of
 * that polarity. The contacts of one polarity are in parallel, so each takes current in proportion
 * to its conductance 1/Z: contact i of group G carries I · (1/Zᵢ) / Σⱼ∈G (1/Zⱼ).
 *
 * It is kept as a divisor per contact, dᵢ = Σⱼ∈G Zᵢ/Zⱼ, so that contact i carries exactly I / dᵢ:
 * with n equal impedances every term is exactly 1 and dᵢ is exactly n, so the result is bit for bit
 * the equal split I / n (no rounding of 1/n creeps in at the whole-µA boundary).
 */
export interface CurrentSplit {
  /** One per contact, contact 1 first: the contact carries amplitude / divisor; Infinity when off. */
  divisors: number[];
  /** equal: every contact of a polarity alike; impedance: from measured ohms; worst-case: no usable measurement. */
  basis: SplitBasis;
}

export interface LoadedContact {
  /** 1-based contact number. */
  contact: number;
  polarity: '+' | '-';
  /** Fraction (0–1] of its polarity's current this contact carries. */
  share: number;
}

/** A reading the share can be computed from: a whole number of ohms above 0 (open, short and 0 Ω cannot). */
export function usableOhms(reading: ImpedanceReading | undefined): number | null {
  return typeof reading === 'number' && Number.isFinite(reading) && reading > 0 ? reading : null;
}

const isActive = (c: string): c is '+' | '-' => c === '+' || c === '-';

/** Every contact of a polarity carries the same part: I / (number of contacts of that polarity). */
export function equalSplit(contacts: string): CurrentSplit {
  const count = { '+': 0, '-': 0 };
  for (const c of contacts) if (isActive(c)) count[c]++;
  return { divisors: [...contacts].map((c) => (isActive(c) ? count[c] : Infinity)), basis: 'equal' };
}

/** No usable measurement: any active contact may carry its polarity's whole amplitude. */
export function worstCaseSplit(contacts: string): CurrentSplit {
  return { divisors: [...contacts].map((c) => (isActive(c) ? 1 : Infinity)), basis: 'worst-case' };
}

/**
 * The split from per-contact impedance readings (contact 1 first). Null readings, or an active
 * contact without a usable reading (missing, `open`, `short`, 0 Ω), give the worst case: an open
 * contact may close again and a shorted one may take everything, so no share below 1 can be trusted.
 */
export function impedanceSplit(contacts: string, readings: readonly ImpedanceReading[] | null): CurrentSplit {
  if (readings === null) return worstCaseSplit(contacts);
  const ohms = [...contacts].map((c, i) => (isActive(c) ? usableOhms(readings[i]) : null));
  if ([...contacts].some((c, i) => isActive(c) && ohms[i] === null)) return worstCaseSplit(contacts);
  const divisors = [...contacts].map((c, i) => {
    if (!isActive(c)) return Infinity;
    let divisor = 0;
    [...contacts].forEach((other, j) => {
      if (other === c) divisor += ohms[i]! / ohms[j]!;
    });
    return divisor;
  });
  return { divisors, basis: 'impedance' };
}

/** The contact that carries the largest part of its polarity's current (lowest number on a tie); null when none is active. */
export function mostLoadedContact(contacts: string, split: CurrentSplit): LoadedContact | null {
  let best: LoadedContact | null = null;
  split.divisors.forEach((d, i) => {
    const polarity = contacts[i];
    if (d === Infinity || !polarity || !isActive(polarity)) return;
    if (best === null || 1 / d > best.share) best = { contact: i + 1, polarity, share: 1 / d };
  });
  return best;
}

/** The smallest divisor: the most loaded contact carries amplitude / this (Infinity when nothing is active). */
export function smallestDivisor(split: CurrentSplit): number {
  return split.divisors.reduce((a, b) => Math.min(a, b), Infinity);
}
