/**
 * The registry seen as a cohort (one row per patient, the shape of Table 1) and a cohort CSV put
 * into the registry, all or nothing.
 */
import type { CohortPatient, Scores } from './cohort-patient.js';
import { finalVisit } from './follow-up-visit.js';
import { type FollowUp, type OutcomeRegistry, RegistryError } from './outcome-registry.js';

const IMPORT_REASON = 'imported from a cohort CSV';

/** Stores every patient with procedures and baseline/post-op/final visits; any clash → nothing stored. */
export function importCohort(registry: OutcomeRegistry, patients: readonly CohortPatient[], source: string): number {
  return registry.transaction(() => {
    const clashes = patients
      .filter((p) => registry.getPatient(p.patient))
      .map((p) => `patient ${p.patient} is already in the registry`);
    if (clashes.length) throw new RegistryError(`${source}: nothing was imported:`, clashes);
    for (const p of patients) {
      registry.addPatient(p.patient, {
        sex: p.sex,
        age: p.age,
        location: p.location,
        side: p.side,
        durationMonths: p.durationMonths,
        hospitalDays: p.hospitalDays,
        cost: p.cost,
        currency: p.currency,
        priceYear: p.priceYear,
      });
      if (p.scsTrial === 'Y') {
        const pass = p.scsImplant === 'Y';
        registry.addProcedure(p.patient, {
          kind: 'scs-trial',
          date: null,
          verdict: pass ? 'pass' : 'fail',
          reasons: [
            `${IMPORT_REASON} (${source}): ${pass ? 'implanted after the trial' : 'not implanted after the trial'}`,
          ],
        });
      }
      if (p.scsImplant === 'Y') registry.addProcedure(p.patient, { kind: 'ipg-implant', date: null });
      if (p.drez === 'Y') registry.addProcedure(p.patient, { kind: 'drez', date: null });
      for (const [visit, when] of [
        ['baseline', 'baseline'],
        ['post-op', 'post'],
        ['final', 'final'],
      ] as const) {
        const nrs = p.nrs[when];
        const pdi = p.pdi[when];
        if (nrs !== null || pdi !== null) registry.addFollowUp(p.patient, { visit, date: null, nrs, pdi });
      }
    }
    return patients.length;
  });
}

function scores(visits: readonly FollowUp[], pick: (f: FollowUp) => number | null): Scores {
  const withValue = visits.filter((v) => pick(v) !== null);
  const at = (label: string) => withValue.find((v) => v.visit.label === label);
  const last = finalVisit(withValue);
  return {
    baseline: at('baseline') ? pick(at('baseline')!) : null,
    post: at('post-op') ? pick(at('post-op')!) : null,
    final: last ? pick(last) : null,
  };
}

/** One CohortPatient per registry patient: the report runs on these exactly as on a CSV. */
export function cohortFromRegistry(registry: OutcomeRegistry): CohortPatient[] {
  return registry.listPatients().map((p) => {
    const procs = registry.procedures(p.id);
    const visits = registry.followUps(p.id);
    const trial = procs.some((q) => q.kind === 'scs-trial');
    const implant = procs.some((q) => q.kind === 'ipg-implant');
    return {
      patient: p.id,
      sex: p.sex,
      age: p.age,
      location: p.location,
      side: p.side,
      durationMonths: p.durationMonths,
      scsTrial: trial ? 'Y' : null,
      scsImplant: implant ? 'Y' : trial ? 'N' : null,
      drez: procs.some((q) => q.kind === 'drez') ? 'Y' : null,
      nrs: scores(visits, (v) => v.nrs),
      pdi: scores(visits, (v) => v.pdi),
      hospitalDays: p.hospitalDays,
      cost: p.cost,
      currency: p.currency,
      priceYear: p.priceYear,
    };
  });
}
