import { mostLoadedContact, worstContactLoad } from '../../protocol/index.js';
import { densityLimit, densityMaxUa } from './charge-density-limit.js';
import { contactShare, sharePct } from './contact-share.js';
import type { SessionData } from './session-types.js';
import { floorToGrid } from './step-grid.js';
import { uaToMa } from './units.js';

/**
 * The charge density of the program on the generator, as the session's view holds it (µA) and the
 * bedside UI draws it: the most loaded contact, its share of its polarity's current, its density at
 * the present amplitude next to the limit, and what the shares are based on.
 */
export interface ChargeDensity {
  /** The most loaded contact, 1-based. */
  contact: number;
  polarity: 'anode' | 'cathode';
  /** Its share of its polarity's current, percent with one decimal. */
  sharePct: number;
  /** Charge density per phase on it at the generator's amplitude, µC/cm², two decimals. */
  densityUcPerCm2: number;
  /** The limit in force: min(30 µC/cm², the generator's own). */
  limitUcPerCm2: number;
  /** The highest amplitude the density limit allows for this program, on the generator's step grid (not capped by its hardware maximum), µA. */
  densityMaxUa: number;
  /** `impedance`: shares from the last valid impedance check; `worst-case`: the whole amplitude on one contact. */
  basis: 'impedance' | 'worst-case';
  /** Why the worst case applies (no check, stale, open/short); null when the basis is impedance. */
  reason: string | null;
}

/**
 * The same facts as `scs script --json` and the audit log report them: the density ceiling in mA
 * (`densityMaxMa`), every other key as in {@link ChargeDensity}.
 */
export type ChargeDensityReport = Omit<ChargeDensity, 'densityMaxUa'> & { densityMaxMa: number };

/** The charge density of the program on the generator (µA), null without a program or limits. */
export function chargeDensityOf(data: Pick<SessionData, 'generator' | 'limits' | 'impedance'>): ChargeDensity | null {
  const g = data.generator;
  const limits = data.limits;
  if (!g || !limits) return null;
  const share = contactShare(data.impedance, g.contacts);
  const loaded = mostLoadedContact(g.contacts, share.split);
  if (!loaded) return null;
  const load = worstContactLoad(g.amplitudeUa, g.pulseWidthUs, g.contacts, limits.contactAreaCm2, share.split);
  const maxUa = densityMaxUa(g.pulseWidthUs, g.contacts, limits, share);
  return {
    contact: loaded.contact,
    polarity: loaded.polarity === '+' ? 'anode' : 'cathode',
    sharePct: sharePct(loaded.share),
    densityUcPerCm2: Math.round(load.densityUcPerCm2 * 100) / 100,
    limitUcPerCm2: densityLimit(limits),
    // On the generator's step grid, but not capped by its hardware maximum: this is the density's own ceiling.
    densityMaxUa:
      floorToGrid(maxUa, { ...limits.amplitudeUa, max: Math.max(maxUa, limits.amplitudeUa.min) }) ??
      limits.amplitudeUa.min,
    basis: share.worstCaseReason === null ? 'impedance' : 'worst-case',
    reason: share.worstCaseReason,
  };
}

/** {@link ChargeDensity} in a report's units: the density ceiling in mA, keys in the documented order. */
export function densityReportOf(density: ChargeDensity | null): ChargeDensityReport | null {
  if (!density) return null;
  const { densityMaxUa, basis, reason, ...head } = density;
  return { ...head, densityMaxMa: uaToMa(densityMaxUa), basis, reason };
}

/** The charge density of the program on the generator, in a report's units (mA). */
export function chargeDensityReport(
  data: Pick<SessionData, 'generator' | 'limits' | 'impedance'>,
): ChargeDensityReport | null {
  return densityReportOf(chargeDensityOf(data));
}
