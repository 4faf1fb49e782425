/** A registry with one fully documented patient (diary, trial from the diary, implant, visits, complication). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DiaryStore } from '../../src/diary/diary-store.js';
import type { DiaryEntry } from '../../src/diary/entry.js';
import { evaluateTrial } from '../../src/diary/trial-criterion.js';
import { parseDermatomeRange } from '../../src/outcomes/dermatome-range.js';
import { OutcomeRegistry } from '../../src/outcomes/outcome-registry.js';
import { entry as diaryEntry } from '../diary/helpers.js';

export const PATIENT = 'P-042';

/** An entry `h` hours after 2024-01-01T07:00Z. */
const entry = (h: number, phase: 'baseline' | 'trial', f: Partial<DiaryEntry>): DiaryEntry =>
  diaryEntry(new Date(Date.UTC(2024, 0, 1, 7) + h * 3_600_000).toISOString().replace('Z', '+00:00'), phase, f);

/** Creates the store in a new temporary directory and returns it (caller closes and removes). */
export async function documentedPatient(): Promise<{ dir: string; registry: OutcomeRegistry }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-export-'));
  const registry = await OutcomeRegistry.open({ dataDir: dir });
  const diary = await DiaryStore.beside(registry.store);
  for (const h of [0, 12, 24])
    await diary.add(PATIENT, entry(h, 'baseline', { nrs: 8, pdi: 42, pdiDomains: [6, 6, 6, 6, 6, 6, 6] }));
  for (let h = 72; h <= 144; h += 12) await diary.add(PATIENT, entry(h, 'trial', { nrs: h < 96 ? 6 : 4 }));
  await diary.add(PATIENT, entry(145, 'trial', { activity: 'improved' }));
  const loc = parseDermatomeRange('T7–9');
  if (!loc.ok) throw new Error('range');
  await registry.addPatient(PATIENT, {
    sex: 'M',
    age: 58,
    location: loc.range,
    side: 'R',
    durationMonths: 22,
    hospitalDays: 18,
    cost: 133700,
    currency: 'CNY',
    priceYear: 2023,
  });
  const evaluation = evaluateTrial(await diary.current(PATIENT));
  await registry.addProcedure(PATIENT, {
    kind: 'scs-trial',
    date: '2024-01-07',
    verdict: evaluation.verdict === 'pass' ? 'pass' : 'fail',
    reasons: evaluation.reasons,
  });
  const implant = await registry.addProcedure(PATIENT, { kind: 'ipg-implant', date: '2024-01-20' });
  await registry.addFollowUp(PATIENT, {
    visit: 'baseline',
    date: '2024-01-01',
    nrs: 8,
    pdi: 42,
    pdiDomains: [6, 6, 6, 6, 6, 6, 6],
  });
  await registry.addFollowUp(PATIENT, { visit: 'post-op', date: '2024-01-21', nrs: 3, pdi: 20 });
  await registry.addFollowUp(PATIENT, { visit: '12m', date: '2025-01-20', nrs: 4, pdi: null });
  await registry.addComplication(PATIENT, {
    category: 'hardware',
    severity: 'mild',
    description: 'lead migration <b>reprogrammed</b> & fine',
    date: '2024-03-01',
    procedureId: implant.id,
  });
  return { dir, registry };
}
