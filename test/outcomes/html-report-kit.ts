/** Shared by the HTML report tests: writes a patient's report with the real `scs patient export --format html`. */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { expect } from 'vitest';
import patientCommand from '../../src/cli/patient-command.js';
import { PATIENT } from './export-fixture.js';

/** Exports PATIENT's HTML report from `dataDir` (extra CLI args after the basics), checks it is private, returns its path. */
export async function exportHtml(dataDir: string, extra: string[] = [], name = `report-${extra.length}.html`) {
  const out = path.join(dataDir, name);
  const io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
  await patientCommand.run(
    ['export', '--patient', PATIENT, '--format', 'html', '--out', out, '--data-dir', dataDir, ...extra],
    io,
  );
  expect(fs.statSync(out).mode & 0o777).toBe(0o600);
  return out;
}
