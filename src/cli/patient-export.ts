import fs from 'node:fs';
import type { CommandIo } from './command.js';
import { exportedProgramming } from './export-audit-log.js';
import { storeOptions } from './store-flags.js';
import { UserError, UsageError } from '../errors/user-error.js';
import { patientBundle } from '../outcomes/fhir/fhir-bundle.js';
import { patientHtml } from '../outcomes/html/patient-html.js';
import type { OutcomeRegistry } from '../outcomes/outcome-registry.js';
import { patientCsv } from '../outcomes/patient-csv.js';
import { patientRecord } from '../outcomes/patient-record.js';
import { choiceFlag, patientFlag, requireFlag, type FlagValues } from '../outcomes/registry-cli-flags.js';

/** The flags `scs patient export` takes besides --patient and the store's. */
export const EXPORT_FLAGS = {
  format: { type: 'string' },
  out: { type: 'string' },
  'audit-log': { type: 'string' },
  site: { type: 'string' },
} as const;

/**
 * `scs patient export --patient ID --format csv|fhir|html [--out FILE] [--audit-log FILE] [--site NAME]`:
 * one patient's record as the follow-up CSV, a FHIR R4 Bundle or one self-contained HTML file (with the
 * programming summary from the patient's own session log). A file written is readable by its owner only.
 */
export async function exportPatient(
  v: FlagValues,
  open: () => Promise<OutcomeRegistry>,
  io: CommandIo,
): Promise<number> {
  const id = patientFlag(v.patient as string | undefined);
  const format = choiceFlag(requireFlag(v.format as string | undefined, '--format', 'csv|fhir|html'), '--format', [
    'csv',
    'fhir',
    'html',
  ] as const)!;
  if (v.json) throw new UsageError('export writes its own format; drop --json (use --format fhir for JSON)');
  const auditLog = v['audit-log'] as string | undefined;
  if (auditLog !== undefined && format !== 'html') throw new UsageError('--audit-log is for --format html');
  const site = v.site as string | undefined;
  if (site !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(site))
    throw new UserError(`--site '${site}' is not a site name: use 1–64 letters, digits, '.', '_' or '-'`);
  const stored = await patientRecord(await open(), id);
  const programming =
    auditLog === undefined ? null : await exportedProgramming(auditLog, id, storeOptions(v, io, true));
  const record = site === undefined ? stored : { ...stored, site };
  const text =
    format === 'csv'
      ? patientCsv(record)
      : format === 'fhir'
        ? JSON.stringify(patientBundle(record), null, 2) + '\n'
        : patientHtml(record, programming);
  const out = v.out as string | undefined;
  if (out === undefined) io.stdout.write(text);
  else {
    // Health data: readable by the owner only.
    fs.writeFileSync(out, text, { mode: 0o600 });
    fs.chmodSync(out, 0o600); // `mode` only applies to a new file: an old world-readable one is tightened too
    io.stderr.write(`Wrote the ${format} export of patient ${id} to ${out}.\n`);
  }
  return 0;
}
