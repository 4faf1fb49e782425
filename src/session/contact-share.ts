import {
  impedanceSplit,
  mostLoadedContact,
  worstCaseSplit,
  type CurrentSplit,
  type LoadedContact,
} from '../../protocol/index.js';
import type { ImpedanceCheck } from './impedance-check.js';

/**
 * Which current split the companion's charge-density clamp uses for a program (CLINICAL-RULES.md,
 * "Charge density per contact"): the shares from the last impedance check when it is valid for this
 * program, else the worst case, the whole amplitude on one contact.
 */

/**
 * An impedance check older than this no longer gives shares. Tissue around a fresh trial lead
 * changes over hours (oedema, fluid, lead movement with posture); half an hour bounds a programming
 * session's drift, and a search start re-measures anyway.
 */
export const IMPEDANCE_MAX_AGE_MS = 30 * 60_000;

export interface ContactShare {
  split: CurrentSplit;
  /** Why the worst case applies (no valid check, or an unusable reading); null when shares come from impedance. */
  worstCaseReason: string | null;
}

/** The check as seen at `now`: past its age limit it is marked stale (kept, to be shown). */
export function agedCheck<T extends ImpedanceCheck | null | undefined>(check: T, now: number): T {
  if (!check || check.stale || now - check.at <= IMPEDANCE_MAX_AGE_MS) return check;
  return { ...check, stale: `impedance check older than ${IMPEDANCE_MAX_AGE_MS / 60_000} min` };
}

/** The check after an electrode change: it no longer gives shares until the next check. */
export function staleAfterElectrodeChange(check: ImpedanceCheck | null | undefined): ImpedanceCheck | null {
  if (!check) return null;
  return check.stale ? check : { ...check, stale: 'impedance checked before the last electrode change' };
}

/** Why `check` cannot give shares for `contacts`, or null when it can. */
function invalidReason(check: ImpedanceCheck | null | undefined, contacts: string): string | null {
  if (!check) return 'no impedance check yet';
  if (check.stale) return check.stale;
  if (check.contacts !== contacts) return 'impedance checked with another electrode configuration';
  return null;
}

export function contactShare(check: ImpedanceCheck | null | undefined, contacts: string): ContactShare {
  const invalid = invalidReason(check, contacts);
  if (invalid !== null) return { split: worstCaseSplit(contacts), worstCaseReason: invalid };
  const split = impedanceSplit(contacts, check!.readings);
  if (split.basis === 'impedance') return { split, worstCaseReason: null };
  const unusable = [...contacts].flatMap((c, i) =>
    c !== '0' && typeof check!.readings[i] !== 'number'
      ? [`contact ${i + 1} reads ${check!.readings[i] ?? 'nothing'}`]
      : [],
  );
  return { split, worstCaseReason: unusable.length ? unusable.join(', ') : 'an active contact has no usable reading' };
}

const GROUP = { '+': 'anode', '-': 'cathode' } as const;

/** Percent with one decimal, as people read it. */
export const sharePct = (share: number): number => Math.round(share * 1000) / 10;

/**
 * The words for the most loaded contact, or '' when it is alone in its polarity and shares nothing
 * (then the weighting changes nothing and the reason stays as it always was).
 */
export function shareClause(contacts: string, share: ContactShare): string {
  const loaded: LoadedContact | null = mostLoadedContact(contacts, share.split);
  if (!loaded) return '';
  const group = [...contacts].filter((c) => c === loaded.polarity).length;
  if (group < 2) return '';
  const why = share.worstCaseReason === null ? 'by measured impedance' : `worst case: ${share.worstCaseReason}`;
  return ` on contact ${loaded.contact} (${sharePct(loaded.share)} % of the ${GROUP[loaded.polarity]} current, ${why})`;
}
