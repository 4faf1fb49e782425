import type { DiaryEntry } from './entry.js';
import { type Fraction, fraction, toNumber } from './fraction.js';

export interface ActivityResult {
  met: boolean | null;
  pdi: {
    baselineMean: number;
    baselineEntries: number;
    last: number;
    lastAt: string;
    /** baselineMean − last */
    improvement: number;
    met: boolean;
  } | null;
  attestation: { value: 'improved' | 'not-improved'; at: string } | null;
  /** Why: one sentence. */
  reason: string;
}

/**
 * The activity half of the trial criterion (pure, exact). Met when the last trial-phase PDI is at
 * least `minImprovement` points below the mean baseline-phase PDI, or the last trial-phase attestation
 * says `improved`; not met when such evidence exists and none of it shows improvement; not assessed
 * (null) when there is none. On a tie at the same instant the worse value counts.
 */
export function evaluateActivity(entries: readonly DiaryEntry[], minImprovement: Fraction): ActivityResult {
  const baselinePdi = entries.filter((e) => e.phase === 'baseline' && e.pdi !== null).map((e) => e.pdi!);
  const lastPdi = lastBy(
    entries.filter((e) => e.phase === 'trial' && e.pdi !== null),
    (a, b) => b.pdi! > a.pdi!,
  );
  const lastAttestation = lastBy(
    entries.filter((e) => e.phase === 'trial' && e.activity !== null),
    (a, b) => b.activity === 'not-improved' && a.activity !== 'not-improved',
  );

  let pdi: ActivityResult['pdi'] = null;
  if (lastPdi && baselinePdi.length > 0) {
    const count = BigInt(baselinePdi.length);
    const sum = baselinePdi.reduce((s, v) => s + BigInt(v), 0n);
    const last = BigInt(lastPdi.pdi!);
    // mean − last ≥ m  ⇔  (sum − count·last)·m.den ≥ m.num·count
    const met = (sum - count * last) * minImprovement.den >= minImprovement.num * count;
    const mean = toNumber(fraction(sum, count));
    pdi = {
      baselineMean: mean,
      baselineEntries: baselinePdi.length,
      last: lastPdi.pdi!,
      lastAt: lastPdi.at.text,
      improvement: mean - lastPdi.pdi!,
      met,
    };
  }
  const attestation = lastAttestation ? { value: lastAttestation.activity!, at: lastAttestation.at.text } : null;

  const minText = String(toNumber(minImprovement));
  const parts: string[] = [];
  if (pdi) {
    parts.push(
      `last trial PDI ${pdi.last} (${pdi.lastAt}) is ${round2(pdi.improvement)} points below the baseline PDI mean ${round2(pdi.baselineMean)} ` +
        `(${pdi.baselineEntries} entries); ${pdi.met ? 'meets' : 'does not meet'} the required ${minText}`,
    );
  } else if (lastPdi) {
    parts.push('trial PDI recorded but no baseline-phase PDI to compare it with');
  }
  if (attestation) parts.push(`last trial activity attestation '${attestation.value}' (${attestation.at})`);

  const evidence = pdi !== null || attestation !== null;
  const met = !evidence ? null : (pdi?.met ?? false) || attestation?.value === 'improved';
  const head = met === null ? 'Activity not assessed' : met ? 'Activity improved' : 'Activity not improved';
  const reason =
    met === null
      ? `${head}: no trial-phase PDI with a baseline PDI and no trial-phase activity attestation${parts.length ? ` (${parts.join('; ')})` : ''}.`
      : `${head}: ${parts.join('; ')}.`;
  return { met, pdi, attestation, reason };
}

/** The entry with the latest instant; among entries at that instant, the one `worse` prefers. */
function lastBy(list: readonly DiaryEntry[], worse: (a: DiaryEntry, b: DiaryEntry) => boolean): DiaryEntry | undefined {
  let best: DiaryEntry | undefined;
  for (const e of list) {
    if (!best || e.at.ms > best.at.ms || (e.at.ms === best.at.ms && worse(best, e))) best = e;
  }
  return best;
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
