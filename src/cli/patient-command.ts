import type { Command, CommandIo } from './command.js';
import { readSubcommand } from './subcommand-flags.js';
import { registryOpener } from './registry-opener.js';
import { STORE_FLAGS, STORE_FLAGS_HELP } from './store-flags.js';
import { UsageError } from '../errors/user-error.js';
import { SEXES, SIDES, AGE_MAX, COST_MAX, DURATION_MONTHS_MAX, HOSPITAL_DAYS_MAX } from '../outcomes/cohort-patient.js';
import { OutcomeRegistry, type PatientFields } from '../outcomes/outcome-registry.js';
import { formatPatientRecord, patientRecord } from '../outcomes/patient-record.js';
import { COMPLICATION_CATEGORIES, PROCEDURE_KINDS, SEVERITIES, TRIAL_VERDICTS } from '../outcomes/registry-schema.js';
import {
  choiceFlag,
  dateFlag,
  locationFlag,
  numberFlag,
  patientFlag,
  requireFlag,
  type Options,
} from '../outcomes/registry-cli-flags.js';
import { verdictFromDiary } from './diary-trial-verdict.js';
import { EXPORT_FLAGS, exportPatient } from './patient-export.js';

const HELP = `Usage: scs patient SUBCOMMAND --patient ID [OPTIONS] [--data-dir DIR] [--json]

The outcomes registry: demographics, procedures with dates, complications and economics per
pseudonymous patient (the same id as the trial diary). Follow-up visits: 'scs followup'.

  add           --patient ID --sex M|F|X --age YEARS --location RANGE --side L|R|B --duration-months N
                [--hospital-days N] [--cost N --currency CNY] [--price-year YYYY]
                RANGE is a dermatome range: T9, T7–9, T8-T12 (the count is derived)
  update        --patient ID and any of the fields above
  show          --patient ID: everything recorded, relief % per visit, the diary verdict if any
  list          every patient in the registry
  procedure     --patient ID --kind scs-trial|ipg-implant|explant|drez --date YYYY-MM-DD
                scs-trial: --verdict pass|fail and --reason TEXT (repeatable), or --from-diary to take
                the verdict and its reasons from the patient's trial diary (≥30% NRS reduction for
                ≥48 h with improved activity); explant: --reason TEXT. An implant needs a passed trial.
  complication  --patient ID --category surgical|hardware|neurological --severity mild|moderate|severe
                --description TEXT [--date YYYY-MM-DD] [--procedure ID]
  export        --patient ID --format csv|fhir|html [--out FILE] [--audit-log FILE] [--site NAME]
                csv: the follow-up visits; fhir: a FHIR R4 Bundle (pseudonymous Patient, NRS as
                Observations LOINC 72514-3 in {score}, PDI as QuestionnaireResponses with the PDI
                Questionnaire, Procedures, the trial verdict with its reasons, complications);
                html: one self-contained file (no network) with the diary chart, programming
                summary (from --audit-log: a log of this patient's own session, on a generator
                stored for them; another patient's or generator's log is refused), verdict, follow-up curve.
                FHIR identifiers carry a site namespace: --site NAME, else this store's own id

Options for all: ${STORE_FLAGS_HELP};
--json (one JSON document on stdout), --help.
`;

const FIELDS: Options = {
  patient: { type: 'string' },
  sex: { type: 'string' },
  age: { type: 'string' },
  location: { type: 'string' },
  side: { type: 'string' },
  'duration-months': { type: 'string' },
  'hospital-days': { type: 'string' },
  cost: { type: 'string' },
  currency: { type: 'string' },
  'price-year': { type: 'string' },
  ...STORE_FLAGS,
  json: { type: 'boolean' },
};
const COMMON: Options = { patient: { type: 'string' }, ...STORE_FLAGS, json: { type: 'boolean' } };

type Values = Record<string, string | boolean | string[] | undefined>;
const s = (v: Values, k: string) => v[k] as string | undefined;

function fieldChanges(v: Values): Partial<PatientFields> {
  const out: Partial<PatientFields> = {
    sex: choiceFlag(s(v, 'sex')?.toUpperCase(), '--sex', SEXES, false),
    age: numberFlag(s(v, 'age'), '--age', AGE_MAX, true),
    location: locationFlag(s(v, 'location')),
    side: choiceFlag(s(v, 'side')?.toUpperCase(), '--side', SIDES, false),
    durationMonths: numberFlag(s(v, 'duration-months'), '--duration-months', DURATION_MONTHS_MAX),
    hospitalDays: numberFlag(s(v, 'hospital-days'), '--hospital-days', HOSPITAL_DAYS_MAX),
    cost: numberFlag(s(v, 'cost'), '--cost', COST_MAX),
    currency: s(v, 'currency')?.trim().toUpperCase(),
    priceYear: numberFlag(s(v, 'price-year'), '--price-year', 2100, true),
  };
  return Object.fromEntries(Object.entries(out).filter(([, x]) => x !== undefined)) as Partial<PatientFields>;
}

function print(io: CommandIo, json: unknown, text: string, asJson: boolean): number {
  io.stdout.write(asJson ? JSON.stringify(json, null, 2) + '\n' : text);
  return 0;
}

type Handler = (v: Values, open: () => Promise<OutcomeRegistry>, io: CommandIo) => Promise<number>;

const SUBCOMMANDS: Record<string, { options: Options; run: Handler }> = {
  add: {
    options: FIELDS,
    async run(v, open, io) {
      const id = patientFlag(s(v, 'patient'));
      const f = fieldChanges(v);
      const missing = (['sex', 'age', 'location', 'side', 'durationMonths'] as const).filter((k) => f[k] === undefined);
      if (missing.length)
        throw new UsageError(
          `scs patient add needs ${missing.map((k) => `--${k === 'durationMonths' ? 'duration-months' : k}`).join(', ')}`,
        );
      const p = await (
        await open()
      ).addPatient(id, {
        hospitalDays: null,
        cost: null,
        currency: null,
        priceYear: null,
        ...f,
      } as PatientFields);
      return print(
        io,
        p,
        `Added patient ${p.id}: ${p.sex}, ${p.age} y, ${p.location.text} (${p.location.count} dermatomes), side ${p.side}.\n`,
        v.json === true,
      );
    },
  },
  update: {
    options: FIELDS,
    async run(v, open, io) {
      const id = patientFlag(s(v, 'patient'));
      const changes = fieldChanges(v);
      if (Object.keys(changes).length === 0)
        throw new UsageError('nothing to change: give at least one field (e.g. --hospital-days 12)');
      const p = await (await open()).updatePatient(id, changes);
      return print(io, p, `Updated patient ${p.id}: ${Object.keys(changes).join(', ')}.\n`, v.json === true);
    },
  },
  show: {
    options: COMMON,
    async run(v, open, io) {
      const r = await patientRecord(await open(), patientFlag(s(v, 'patient')));
      return print(io, r, formatPatientRecord(r), v.json === true);
    },
  },
  list: {
    options: { ...STORE_FLAGS, json: { type: 'boolean' } },
    async run(v, open, io) {
      const ps = await (await open()).listPatients();
      const text = ps.length
        ? ps
            .map(
              (p) => `${p.id.padEnd(12)} ${p.sex} ${String(p.age).padStart(3)}  ${p.location.text.padEnd(8)} ${p.side}`,
            )
            .join('\n') + '\n'
        : 'No patients in the registry.\n';
      return print(io, { patients: ps }, text, v.json === true);
    },
  },
  procedure: {
    options: {
      ...COMMON,
      kind: { type: 'string' },
      date: { type: 'string' },
      verdict: { type: 'string' },
      reason: { type: 'string', multiple: true },
      'from-diary': { type: 'boolean' },
    },
    async run(v, open, io) {
      const id = patientFlag(s(v, 'patient'));
      const kind = choiceFlag(
        requireFlag(s(v, 'kind'), '--kind', PROCEDURE_KINDS.join('|')),
        '--kind',
        PROCEDURE_KINDS,
      )!;
      const date = dateFlag(requireFlag(s(v, 'date'), '--date', 'YYYY-MM-DD'));
      let verdict = choiceFlag(s(v, 'verdict'), '--verdict', TRIAL_VERDICTS) ?? null;
      let reasons = (v.reason as string[] | undefined) ?? [];
      const registry = await open();
      if (v['from-diary']) {
        if (kind !== 'scs-trial') throw new UsageError('--from-diary applies to --kind scs-trial only');
        if (verdict !== null) throw new UsageError('give --verdict or --from-diary, not both');
        const fromDiary = await verdictFromDiary(registry, id, date);
        verdict = fromDiary.verdict;
        reasons = [...fromDiary.reasons, ...reasons];
      }
      const q = await registry.addProcedure(id, { kind, date, verdict, reasons });
      return print(
        io,
        q,
        `Recorded procedure #${q.id} for patient ${id}: ${q.kind} on ${q.date}${q.verdict ? `, verdict ${q.verdict}` : ''}.\n`,
        v.json === true,
      );
    },
  },
  complication: {
    options: {
      ...COMMON,
      category: { type: 'string' },
      severity: { type: 'string' },
      description: { type: 'string' },
      date: { type: 'string' },
      procedure: { type: 'string' },
    },
    async run(v, open, io) {
      const id = patientFlag(s(v, 'patient'));
      const category = choiceFlag(
        requireFlag(s(v, 'category'), '--category', COMPLICATION_CATEGORIES.join('|')),
        '--category',
        COMPLICATION_CATEGORIES,
      )!;
      const severity = choiceFlag(
        requireFlag(s(v, 'severity'), '--severity', SEVERITIES.join('|')),
        '--severity',
        SEVERITIES,
      )!;
      const description = requireFlag(s(v, 'description'), '--description', 'what happened');
      const procedureId = numberFlag(s(v, 'procedure'), '--procedure', Number.MAX_SAFE_INTEGER, true) ?? null;
      const c = await (
        await open()
      ).addComplication(id, {
        category,
        severity,
        description,
        date: dateFlag(s(v, 'date')),
        procedureId,
      });
      return print(
        io,
        c,
        `Recorded complication #${c.id} for patient ${id}: ${c.category}, ${c.severity}.\n`,
        v.json === true,
      );
    },
  },
  export: {
    options: { ...COMMON, ...EXPORT_FLAGS },
    run: exportPatient,
  },
};

/** `scs patient add|update|show|list|procedure|complication|export`: the outcomes registry. */
const command: Command = {
  summary: 'outcomes registry: add, update, show, list patients; procedures, complications; export CSV/FHIR/HTML',
  async run(argv, io) {
    const options = Object.fromEntries(Object.entries(SUBCOMMANDS).map(([name, e]) => [name, e.options]));
    const line = readSubcommand(argv, io, { command: 'patient', help: HELP, options });
    if ('exit' in line) return line.exit;
    const { sub, values } = line;
    const entry = SUBCOMMANDS[sub]!;
    // Opened only once the flags are known good, so a typo never creates a database.
    const registry = registryOpener(values, io, sub !== 'add');
    try {
      return await entry.run(values as Values, registry.open, io);
    } finally {
      await registry.close();
    }
  },
};

export default command;
