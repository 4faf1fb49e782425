/**
 * The registry seen as a cohort (one row per patient, the shape of Table 1) and a cohort CSV put
 * into the registry, all or nothing.
 */
import type { CohortPatient, Scores } from './cohort-patient.js';
import { finalVisit } from './follow-up-visit.js';
import { type FollowUp, type OutcomeRegistry, RegistryError } from './outcome-registry.js';

const IMPORT_REASON = 'imported from a cohort CSV';

/** Stores every patient with procedures and baseline/post-op/final visits; any clash → nothing stored. */
export function importCohort(
  registry: OutcomeRegistry,
  patients: readonly CohortPatient[],
  source: string,
): Promise<number> {
  return registry.transaction(async (registry) => {
    const stored = new Set((await registry.listPatients()).map((p) => p.id));
    const clashes = patients
      .filter((p) => stored.has(p.patient))
      .map((p) => `patient ${p.patient} is already in the registry`);
    if (clashes.length) throw new RegistryError(`${source}: nothing was imported:`, clashes);
    for (const p of patients) {
      await registry.addPatient(p.patient, {
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
        await registry.addProcedure(p.patient, {
          kind: 'scs-trial',
          date: null,
          verdict: pass ? 'pass' : 'fail',
          reasons: [
            `${IMPORT_REASON} (${source}): ${pass ? 'implanted after the trial' : 'not implanted after the trial'}`,
          ],
        });
      }
      if (p.scsImplant === 'Y') await registry.addProcedure(p.patient, { kind: 'ipg-implant', date: null });
      if (p.drez === 'Y') await registry.addProcedure(p.patient, { kind: 'drez', date: null });
      for (const [visit, when] of [
        ['baseline', 'baseline'],
        ['post-op', 'post'],
        ['final', 'final'],
      ] as const) {
        const nrs = p.nrs[when];
        const pdi = p.pdi[when];
        if (nrs !== null || pdi !== null) await registry.addFollowUp(p.patient, { visit, date: null, nrs, pdi });
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
export async function cohortFromRegistry(registry: OutcomeRegistry): Promise<CohortPatient[]> {
  const out: CohortPatient[] = [];
  const procedures = await registry.proceduresByPatient();
  const followUps = await registry.followUpsByPatient();
  for (const p of await registry.listPatients()) {
    const procs = procedures.get(p.id) ?? [];
    const visits = followUps.get(p.id) ?? [];
    const trial = procs.some((q) => q.kind === 'scs-trial');
    const implant = procs.some((q) => q.kind === 'ipg-implant');
    out.push({
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
    });
  }
  return out;
}
