import fs from 'node:fs';
import {
  cli,
  cohortReport,
  dataDirWithPatient,
  exportWithOtherPatientsLog,
  diaryImport,
  file,
  noticesOf,
  script,
  toCompanion,
  toGenerator,
  toGeneratorTwice,
  uiDiary,
  uiField,
  withCrc,
} from './bad-input-probes.js';

/**
 * The bad-input catalogue: every input surface × each class of bad input, with what the person (or,
 * for protocol lines, the peer) gets. docs/BAD-INPUT.md is generated from this table
 * (`npx tsx test/reliability/bad-input-doc.ts`) and bad-input-catalogue.test.ts runs every row and
 * checks that the doc is up to date, so the two cannot drift apart.
 */

export const SURFACES = ['CLI flags', 'CSV imports', 'protocol lines', 'UI fields', 'script files'] as const;
export const CLASSES = [
  'wrong type',
  'out of range',
  'missing',
  'oversize',
  'wrong encoding',
  'duplicate',
  'control characters / injection',
] as const;

export interface BadInputRow {
  surface: (typeof SURFACES)[number];
  kind: (typeof CLASSES)[number];
  /** What was given (shown in the doc). */
  input: string;
  /** Exactly what comes back (exit code and message, NAK line, screen text). */
  expected: string;
  run: () => Promise<string> | string;
}

const AT = '2024-03-01T09:00Z';
const HEADER = 'timestamp,phase,nrs,pdi,activity,note\n';
const COHORT =
  'patient,sex,age,location,side,duration_months,scs_trial,scs_implant,drez,nrs_baseline,nrs_post,nrs_final,pdi_baseline,pdi_post,pdi_final\n';
const COHORT_ROW = '1,M,60,T9,R,24,Y,Y,,10,2,3,52,16,20\n';
const add = async (...args: string[]) =>
  cli([
    'diary',
    'add',
    '--patient',
    'P-1',
    '--phase',
    'trial',
    '--at',
    AT,
    '--data-dir',
    await dataDirWithPatient(),
    ...args,
  ]);
/** SET in the probe generator's session (its HELLO opens 5e55a001 at revision 0, PROTOCOL.md §3). */
const set = (fields: string) => withCrc(`SET seq=5 sess=5e55a001 rev=0 ${fields}`);

export const BAD_INPUT: BadInputRow[] = [
  // ---- CLI flags ----
  {
    surface: 'CLI flags',
    kind: 'wrong type',
    input: 'scs diary add --nrs five',
    expected: "exit 1: scs: --nrs: NRS 'five' is not a whole number 0–10",
    run: () => add('--nrs', 'five'),
  },
  {
    surface: 'CLI flags',
    kind: 'wrong type',
    input: 'scs diary add --at yesterday',
    expected:
      "exit 1: scs: --at: 'yesterday' is not an ISO 8601 date and time (e.g. 2024-03-31T08:00+02:00 or 2024-03-31T06:00Z)",
    run: () => add('--nrs', '4', '--at', 'yesterday'),
  },
  {
    surface: 'CLI flags',
    kind: 'out of range',
    input: 'scs diary add --nrs 11',
    expected: 'exit 1: scs: --nrs: NRS 11 is out of range 0–10',
    run: () => add('--nrs', '11'),
  },
  {
    surface: 'CLI flags',
    kind: 'out of range',
    input: 'scs diary add --pdi 71',
    expected: 'exit 1: scs: --pdi: PDI total 71 is out of range 0–70',
    run: () => add('--pdi', '71'),
  },
  {
    surface: 'CLI flags',
    kind: 'out of range',
    input: 'scs diary add --at 2026-12-01T10:00+01:00 (after the trial end)',
    expected:
      'exit 1: scs: the entry at 2026-12-01T10:00+01:00 is a trial-phase entry after the trial end (trial 2024-02-26T08:00Z to 2024-03-04T08:00Z): it would take no part in the verdict. Check --at and --phase, or add --outside-trial to store it anyway.',
    run: async () => {
      const d = await dataDirWithPatient();
      await cli([
        'diary',
        'trial',
        '--patient',
        'P-1',
        '--start',
        '2024-02-26T08:00Z',
        '--end',
        '2024-03-04T08:00Z',
        '--data-dir',
        d,
      ]);
      return cli([
        'diary',
        'add',
        '--patient',
        'P-1',
        '--phase',
        'trial',
        '--nrs',
        '6',
        '--at',
        '2026-12-01T10:00+01:00',
        '--data-dir',
        d,
      ]);
    },
  },
  {
    surface: 'CLI flags',
    kind: 'out of range',
    input: 'scs diary correct --at 2026-12-01T10:00+01:00 (moves an entry after the trial end)',
    expected:
      'exit 1: scs: the entry at 2026-12-01T10:00+01:00 is a trial-phase entry after the trial end (trial 2024-02-26T08:00Z to 2024-03-04T08:00Z): it would take no part in the verdict. Check --at and --phase, or add --outside-trial to store it anyway.',
    run: async () => {
      const d = await dataDirWithPatient();
      const trial = ['--start', '2024-02-26T08:00Z', '--end', '2024-03-04T08:00Z'];
      await cli(['diary', 'trial', '--patient', 'P-1', ...trial, '--data-dir', d]);
      const move = ['--id', '1', '--at', '2026-12-01T10:00+01:00', '--reason', 'typo'];
      return cli(['diary', 'correct', '--patient', 'P-1', ...move, '--data-dir', d]);
    },
  },
  {
    surface: 'CLI flags',
    kind: 'missing',
    input: 'scs diary add --nrs 5 (no --patient)',
    expected: 'exit 2: scs: a patient id is required (--patient ID)',
    run: () => cli(['diary', 'add', '--nrs', '5']),
  },
  {
    surface: 'CLI flags',
    kind: 'missing',
    input: 'scs diary show --data-dir <a directory that does not exist>',
    expected:
      'exit 1: scs: no database at <tmp>/none/scs.db; nothing has been stored in this data directory yet (see --data-dir). (directory created: false)',
    run: async () => {
      const dir = `${file('keep', '')}-dir/none`;
      const r = await cli(['diary', 'show', '--data-dir', dir]);
      return `${r.replace(/<tmp>\/keep-dir/, '<tmp>')} (directory created: ${fs.existsSync(dir)})`;
    },
  },
  {
    surface: 'CLI flags',
    kind: 'control characters / injection',
    input: 'scs patient export --format fhir --site "a/../b"',
    expected: "exit 1: scs: --site 'a/../b' is not a site name: use 1–64 letters, digits, '.', '_' or '-'",
    run: () => cli(['patient', 'export', '--patient', 'P-1', '--format', 'fhir', '--site', 'a/../b']),
  },
  {
    surface: 'CLI flags',
    kind: 'out of range',
    input: 'scs diary invite --patient P-1 --lang fr',
    expected: "exit 1: scs: --lang 'fr' is not one of en, zh-CN",
    run: () => cli(['diary', 'invite', '--patient', 'P-1', '--lang', 'fr']),
  },
  {
    surface: 'CLI flags',
    kind: 'wrong type',
    input: "scs patient export --patient P-1 --format html --audit-log <patient P-2's session log>",
    expected:
      "exit 1: scs: --audit-log <tmp>/p2.audit.jsonl does not belong in patient P-1's report: it records a session of patient P-2, not of patient P-1.",
    run: () => exportWithOtherPatientsLog(),
  },
  {
    surface: 'CLI flags',
    kind: 'missing',
    input: 'scs audit verify (no FILE)',
    expected: "exit 2: scs: scs audit verify needs a FILE. Run 'scs audit --help'.",
    run: () => cli(['audit', 'verify']),
  },
  {
    surface: 'CLI flags',
    kind: 'oversize',
    input: 'scs diary add --patient <65 characters>',
    expected:
      "exit 1: scs: patient id 'PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP' is not a pseudonymous id: use 1–64 letters, digits, '.', '_' or '-' (no spaces, no names)",
    run: () => cli(['diary', 'add', '--patient', 'P'.repeat(65), '--nrs', '5']),
  },
  {
    surface: 'CLI flags',
    kind: 'oversize',
    input: 'scs diary add --note <5000 characters>',
    expected: 'exit 1: scs: --note: is 5000 characters; the limit is 2000',
    run: () => add('--nrs', '4', '--note', 'x'.repeat(5000)),
  },
  {
    surface: 'CLI flags',
    kind: 'wrong encoding',
    input: 'scs diary add --patient Pàtient',
    expected:
      "exit 1: scs: patient id 'Pàtient' is not a pseudonymous id: use 1–64 letters, digits, '.', '_' or '-' (no spaces, no names)",
    run: () => cli(['diary', 'add', '--patient', 'Pàtient', '--nrs', '5']),
  },
  {
    surface: 'CLI flags',
    kind: 'duplicate',
    input: 'scs diary add twice for the same time',
    expected:
      'exit 1: scs: patient P-1 already has an NRS at 2024-03-01T08:00Z (entry 1); correct that entry instead of adding a second one',
    run: async () => {
      const d = await dataDirWithPatient();
      return cli([
        'diary',
        'add',
        '--patient',
        'P-1',
        '--phase',
        'trial',
        '--nrs',
        '4',
        '--at',
        '2024-03-01T08:00Z',
        '--data-dir',
        d,
      ]);
    },
  },
  {
    surface: 'CLI flags',
    kind: 'duplicate',
    input: 'scs diary add --nrs 5 --nrs 6',
    expected: 'exit 0: stored entry 2 for P-1: 2024-03-01T09:00Z trial NRS 6 (recorded <now>)',
    run: async () => (await add('--nrs', '5', '--nrs', '6')).replace(/recorded [^)]+/, 'recorded <now>'),
  },
  {
    surface: 'CLI flags',
    kind: 'control characters / injection',
    input: "scs diary add --patient \"P-1' OR '1'='1\"",
    expected:
      "exit 1: scs: patient id 'P-1' OR '1'='1' is not a pseudonymous id: use 1–64 letters, digits, '.', '_' or '-' (no spaces, no names)",
    run: () => cli(['diary', 'add', '--patient', "P-1' OR '1'='1", '--nrs', '5']),
  },
  {
    surface: 'CLI flags',
    kind: 'control characters / injection',
    input: 'scs diary add --note "$(reboot)\\u001b[2J"',
    expected: 'exit 1: scs: --note: contains the control character U+001B; remove it',
    run: () => add('--nrs', '4', '--note', '$(reboot)\u001b[2J'),
  },
  {
    surface: 'CLI flags',
    kind: 'wrong type',
    input: 'scs diary add --nrss 5 (unknown flag)',
    expected: "exit 2: scs: Unknown option '--nrss' (did you mean --nrs?). Run 'scs diary --help'.",
    run: () => add('--nrss', '5'),
  },

  // ---- CSV imports ----
  {
    surface: 'CSV imports',
    kind: 'wrong type',
    input: 'diary import: nrs "abc"',
    expected:
      "exit 1: scs: diary.csv: 1 problem(s); nothing was read:\ndiary.csv:line 2, column nrs: NRS 'abc' is not a whole number 0–10",
    run: () => diaryImport(`${HEADER}2024-03-02T08:00Z,trial,abc,,,\n`),
  },
  {
    surface: 'CSV imports',
    kind: 'out of range',
    input: 'diary import: nrs 11',
    expected:
      'exit 1: scs: diary.csv: 1 problem(s); nothing was read:\ndiary.csv:line 2, column nrs: NRS 11 is out of range 0–10',
    run: () => diaryImport(`${HEADER}2024-03-02T08:00Z,trial,11,,,\n`),
  },
  {
    surface: 'CSV imports',
    kind: 'out of range',
    input: 'cohort report: age 200',
    expected:
      'exit 1: scs: <tmp>/cohort.csv has 1 problem; nothing was read:\n  <tmp>/cohort.csv:2:3 (age): 200 is outside 0–120 years\nFix the rows and run again.',
    run: () => cohortReport(COHORT + COHORT_ROW.replace(',60,', ',200,')),
  },
  {
    surface: 'CSV imports',
    kind: 'out of range',
    input: 'diary import: a trial row after the trial end',
    expected:
      'exit 1: scs: <tmp>/diary.csv: 1 row(s) lie outside the trial and would take no part in the verdict; nothing was imported. Fix them, or import with --outside-trial to store them anyway:\n<tmp>/diary.csv:line 2, column timestamp: 2026-12-01T10:00Z is a trial-phase entry after the trial end (trial 2024-02-26T08:00Z to 2024-03-04T08:00Z)',
    run: async () => {
      const d = await dataDirWithPatient();
      await cli([
        'diary',
        'trial',
        '--patient',
        'P-1',
        '--start',
        '2024-02-26T08:00Z',
        '--end',
        '2024-03-04T08:00Z',
        '--data-dir',
        d,
      ]);
      return cli([
        'diary',
        'import',
        '--patient',
        'P-1',
        file('diary.csv', `${HEADER}2026-12-01T10:00Z,trial,4,,,\n`),
        '--data-dir',
        d,
      ]);
    },
  },
  {
    surface: 'CSV imports',
    kind: 'missing',
    input: 'diary import: no timestamp column',
    expected:
      "exit 1: scs: diary.csv: 1 problem(s); nothing was read:\ndiary.csv:line 1, column timestamp: the header has no 'timestamp' column",
    run: () => diaryImport('phase,nrs\ntrial,4\n'),
  },
  {
    surface: 'CSV imports',
    kind: 'missing',
    input: 'cohort report: empty nrs_baseline',
    expected:
      'exit 1: scs: <tmp>/cohort.csv has 1 problem; nothing was read:\n  <tmp>/cohort.csv:2:10 (nrs_baseline): is empty; a value is required\nFix the rows and run again.',
    run: () => cohortReport(COHORT + COHORT_ROW.replace(',10,2,3,', ',,2,3,')),
  },
  {
    surface: 'CSV imports',
    kind: 'oversize',
    input: 'diary import: a 100 000-character note',
    expected:
      'exit 1: scs: diary.csv: 1 problem(s); nothing was read:\ndiary.csv:line 2, column note: is 100000 characters; the limit is 2000',
    run: () => diaryImport(`${HEADER}2024-03-02T08:00Z,trial,4,,,${'x'.repeat(100_000)}\n`),
  },
  {
    surface: 'CSV imports',
    kind: 'wrong encoding',
    input: 'diary import: UTF-16 file',
    expected:
      'exit 1: scs: diary.csv: 1 problem(s); nothing was read:\ndiary.csv:line 1: is not valid UTF-8 text; save the file as UTF-8',
    run: () => diaryImport(Buffer.from(`\ufeff${HEADER}2024-03-02T08:00Z,trial,4,,,\n`, 'utf16le')),
  },
  {
    surface: 'CSV imports',
    kind: 'wrong encoding',
    input: 'diary import: Latin-1 byte 0xE9 in a note',
    expected:
      'exit 1: scs: diary.csv: 1 problem(s); nothing was read:\ndiary.csv:line 2: is not valid UTF-8 text; save the file as UTF-8',
    run: () =>
      diaryImport(Buffer.concat([Buffer.from(`${HEADER}2024-03-02T08:00Z,trial,4,,,caf`), Buffer.from([0xe9, 0x0a])])),
  },
  {
    surface: 'CSV imports',
    kind: 'duplicate',
    input: 'diary import: the same row twice',
    expected:
      'exit 1: scs: diary.csv: 1 problem(s); nothing was read:\ndiary.csv:line 3, column timestamp: a second NRS at the same instant as line 2 (2024-03-02T08:00Z); keep one',
    run: () => diaryImport(`${HEADER}2024-03-02T08:00Z,trial,4,,,\n2024-03-02T08:00Z,trial,4,,,\n`),
  },
  {
    surface: 'CSV imports',
    kind: 'duplicate',
    input: 'diary import: column nrs twice',
    expected:
      "exit 1: scs: diary.csv: 1 problem(s); nothing was read:\ndiary.csv:line 1, column nrs: column 'nrs' appears twice",
    run: () => diaryImport('timestamp,phase,nrs,nrs\n2024-03-02T08:00Z,trial,4,5\n'),
  },
  {
    surface: 'CSV imports',
    kind: 'duplicate',
    input: 'cohort report: patient 1 twice',
    expected:
      "exit 1: scs: <tmp>/cohort.csv has 1 problem; nothing was read:\n  <tmp>/cohort.csv:3:1 (patient): '1' already appears on line 2\nFix the rows and run again.",
    run: () => cohortReport(COHORT + COHORT_ROW + COHORT_ROW),
  },
  {
    surface: 'CSV imports',
    kind: 'control characters / injection',
    input: 'diary import, then export: note =HYPERLINK("http://x")',
    expected: '2024-03-02T08:00Z,trial,4,,,"\'=HYPERLINK(""http://x"")"',
    run: async () => {
      const dir = await dataDirWithPatient();
      await cli([
        'diary',
        'import',
        '--patient',
        'P-1',
        file('f.csv', `${HEADER}2024-03-02T08:00Z,trial,4,,,"=HYPERLINK(""http://x"")"\n`),
        '--data-dir',
        dir,
      ]);
      return (await cli(['diary', 'export', '--patient', 'P-1', '--data-dir', dir])).split('\n').pop()!;
    },
  },

  // ---- protocol lines (companion → generator: the generator's reply; generator → companion: what the link does) ----
  {
    surface: 'protocol lines',
    kind: 'wrong type',
    input: 'SET seq=5 rate_hz=fifty …',
    expected:
      "NAK seq=5 code=14 msg=\"SET: field 'rate_hz' must be a whole number (no sign, no leading zero), got 'fifty'\"; executed 0",
    run: () => toGenerator(set('rate_hz=fifty pw_us=300 amp_ua=0 el=0+-00000')),
  },
  {
    surface: 'protocol lines',
    kind: 'out of range',
    input: 'SET … amp_ua=30000 (hardware max 25500)',
    expected: 'NAK seq=5 code=20 msg="amplitude 30000 uA is outside 0-25500 uA"; executed 1',
    run: () => toGenerator(set('rate_hz=50 pw_us=300 amp_ua=30000 el=0+-00000')),
  },
  {
    surface: 'protocol lines',
    kind: 'out of range',
    input: 'SET … pw_us=500 amp_ua=7400 (over 30 µC/cm²)',
    expected:
      'NAK seq=5 code=24 msg="charge density over 30 uC/cm2: at 500 us this contact set allows at most 7350 uA"; executed 1',
    run: () => toGenerator(set('rate_hz=50 pw_us=500 amp_ua=7400 el=0+-00000')),
  },
  {
    surface: 'protocol lines',
    kind: 'missing',
    input: 'SET without el',
    expected: 'NAK seq=5 code=14 msg="SET: missing field \'el\'"; executed 0',
    run: () => toGenerator(set('rate_hz=50 pw_us=300 amp_ua=0')),
  },
  {
    surface: 'protocol lines',
    kind: 'missing',
    input: 'a line without its CRC',
    expected: 'NAK seq=0 code=12 msg="line does not end in a CRC (a star and four hex digits)"; executed 0',
    run: () => toGenerator('STATE seq=5'),
  },
  {
    surface: 'protocol lines',
    kind: 'oversize',
    input: 'a 300-byte line',
    expected: 'NAK seq=0 code=11 msg="line longer than 256 bytes discarded"; executed 0',
    run: () => toGenerator(withCrc(`STATE seq=5 pad=${'x'.repeat(290)}`)),
  },
  {
    surface: 'protocol lines',
    kind: 'wrong encoding',
    input: 'byte 0xE9 inside a line with a matching CRC',
    expected: 'NAK seq=0 code=12 msg="line holds non-printable or non-ASCII bytes"; executed 0',
    run: () => toGenerator(withCrc('STATE seq=5 x=caf\u00e9')),
  },
  {
    surface: 'protocol lines',
    kind: 'wrong encoding',
    input: 'one byte changed in transit (bad CRC)',
    expected: 'no reply; counted (badCrc 1, overruns 0); executed 0',
    run: () => toGenerator(withCrc('STATE seq=5').replace('seq=5', 'seq=4')),
  },
  {
    surface: 'protocol lines',
    kind: 'wrong encoding',
    input: 'generator → companion: ACK with one byte changed',
    expected: 'dropped, request still waiting: true; counted: linesIn 1, badCrc 1',
    run: () => toCompanion(`${encodeAckState()}`.replace('amp_ua=0', 'amp_ua=8')),
  },
  {
    surface: 'protocol lines',
    kind: 'duplicate',
    input: 'seq=5 twice in one line',
    expected: 'NAK seq=0 code=12 msg="field \'seq\' appears twice"; executed 0',
    run: () => toGenerator(withCrc('STATE seq=5 seq=5')),
  },
  {
    surface: 'protocol lines',
    kind: 'duplicate',
    input: 'the same SET line twice (retransmission)',
    expected: '2 identical replies: true; executed 1 time(s)',
    run: () => toGeneratorTwice(set('rate_hz=50 pw_us=300 amp_ua=0 el=0+-00000')),
  },
  {
    surface: 'protocol lines',
    kind: 'control characters / injection',
    input: 'ESC inside a line with a matching CRC',
    expected: 'NAK seq=0 code=12 msg="line holds non-printable or non-ASCII bytes"; executed 0',
    run: () => toGenerator(withCrc('STATE seq=5 x=\u001b[2J')),
  },
  {
    surface: 'protocol lines',
    kind: 'control characters / injection',
    input: 'an ACK sent to the generator (wrong direction)',
    expected: 'NAK seq=7 code=13 msg="the generator does not accept ACK"; executed 0',
    run: () => toGenerator(encodeAckState()),
  },

  // ---- UI fields (the bedside UI's text fields: diary NRS/PDI, port path, baud rate) ----
  {
    surface: 'UI fields',
    kind: 'wrong type',
    input: 'diary NRS field: typing "a4b"',
    expected: "field shows '4'; saved NRS 4 (trial) at 2024-03-01T08:00:00+00:00 as entry 1",
    run: () => uiDiary('n', 'a4b'),
  },
  {
    surface: 'UI fields',
    kind: 'out of range',
    input: 'diary NRS field: 11',
    expected: "field shows '11'; error: nrs: NRS 11 is out of range 0–10",
    run: () => uiDiary('n', '11'),
  },
  {
    surface: 'UI fields',
    kind: 'out of range',
    input: 'diary PDI field: 71',
    expected: "field shows '71'; error: pdi: PDI total 71 is out of range 0–70",
    run: () => uiDiary('p', '71'),
  },
  {
    surface: 'UI fields',
    kind: 'missing',
    input: 'diary NRS field: Enter on an empty field',
    expected: "field shows ''; nothing entered",
    run: () => uiDiary('n', ''),
  },
  {
    surface: 'UI fields',
    kind: 'oversize',
    input: 'diary NRS field: 25 digits',
    expected: "field shows '9999999999999999999999999'; error: nrs: NRS '1e+25' is not a whole number 0–10",
    run: () => uiDiary('n', '9'.repeat(25)),
  },
  {
    surface: 'UI fields',
    kind: 'wrong encoding',
    input: 'port field: typing "/dev/ttyÜSB0"',
    expected: "field shows '/dev/ttySB0'",
    run: () =>
      `field shows '${
        uiField(
          'connect',
          'e',
          [...'/dev/ttyÜSB0'].map((c) => [c, {}]),
          false,
        ).text
      }'`,
  },
  {
    surface: 'UI fields',
    kind: 'duplicate',
    input: 'diary NRS field: the same value twice in one minute',
    expected:
      "field shows '4'; error: patient P-1 already has an NRS at 2024-03-01T08:00:00+00:00 (entry 1); correct that entry instead of adding a second one",
    run: () => uiDiary('n', '4', 2),
  },
  {
    surface: 'UI fields',
    kind: 'control characters / injection',
    input: 'port field: a paste with a space, ESC and Ctrl-C',
    expected: 'field: ""; commands: [{"kind":"intent","intent":{"type":"STOP"}}]',
    run: () => {
      const r = uiField('connect', 'e', [['/dev/tty S0', {}]], false);
      return `field: ${JSON.stringify(r.text)}; commands: ${JSON.stringify(r.commands)}`;
    },
  },

  // ---- script files (scs script FILE) ----
  {
    surface: 'script files',
    kind: 'wrong type',
    input: 'rate fifty',
    expected:
      "exit 2: scs: <tmp>/session.scs:1:6: 'fifty' is not a number of Hz (use digits, e.g. 1.5)\nNothing was run. Commands: <list>.",
    run: () => script('rate fifty\n'),
  },
  {
    surface: 'script files',
    kind: 'out of range',
    input: 'rate 5000',
    expected: 'exit 0: accepted=true; clamp 5000 → 60: clinical window max 60 Hz',
    run: () => script('rate 5000\n', noticesOf(1)),
  },
  {
    surface: 'script files',
    kind: 'out of range',
    input: 'amp set 2500 in therapy (µA typed as mA)',
    expected:
      'exit 0: accepted=true; clamp 2500 → 0.6: discomfort threshold 0.6 mA; info 2500 → 0.6: ramping up from 0.45 to 0.6 mA at 1 mA/s, one 0.05 mA step at a time (no jump; STOP stops it at any step)',
    run: () => script(THERAPY + 'amp set 2500\n', noticesOf(THERAPY_LINES + 1)),
  },
  {
    surface: 'script files',
    kind: 'missing',
    input: 'amp set (no value)',
    expected: 'exit 2: scs: <tmp>/session.scs:1:9: missing mA\nNothing was run. Commands: <list>.',
    run: () => script('amp set\n'),
  },
  {
    surface: 'script files',
    kind: 'oversize',
    input: 'a 100 000-character line',
    expected:
      "exit 2: scs: <tmp>/session.scs:1:1: unknown command 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'\nNothing was run. Commands: <list>.",
    run: () => script(`${'x'.repeat(100_000)}\n`),
  },
  {
    surface: 'script files',
    kind: 'wrong encoding',
    input: 'a UTF-16 file',
    expected:
      'exit 2: scs: <tmp>/session.scs:1:1: is not UTF-8 text (a UTF-16 or binary file?); save the script as UTF-8\n<tmp>/session.scs:2:1: is not UTF-8 text (a UTF-16 or binary file?); save the script as UTF-8\nNothing was run. Commands: <list>.',
    run: () => script(Buffer.from('\ufeffstop\n', 'utf16le')),
  },
  {
    surface: 'script files',
    kind: 'duplicate',
    input: 'stop stop',
    expected: "exit 2: scs: <tmp>/session.scs:1:6: unexpected 'stop'\nNothing was run. Commands: <list>.",
    run: () => script('stop stop\n'),
  },
  {
    surface: 'script files',
    kind: 'control characters / injection',
    input: 'ESC [2J inside a line',
    expected:
      'exit 2: scs: <tmp>/session.scs:1:8: contains the control character U+001B; remove it\nNothing was run. Commands: <list>.',
    run: () => script('rate 50\u001b[2J\n'),
  },
  {
    surface: 'script files',
    kind: 'control characters / injection',
    input: 'rate 50; output on',
    expected: "exit 2: scs: <tmp>/session.scs:1:10: unexpected 'output'\nNothing was run. Commands: <list>.",
    run: () => script('rate 50; output on\n'),
  },
  {
    surface: 'script files',
    kind: 'control characters / injection',
    input: 'patient-mode on, then rate 60 / pw 500 / electrodes',
    expected: 'exit 0: accepted=false; reject 60 → null: patient mode allows amplitude changes inside the window only',
    run: () => script(THERAPY + 'patient-mode on\nrate 60\n', noticesOf(THERAPY_LINES + 2)),
  },
];

/** A script that reaches committed therapy with a window of 0.3–0.6 mA. */
const THERAPY = `electrodes 1- 2+\nrate 50\npw 300\nsearch start\n${'amp up\n'.repeat(6)}mark sensory\n${'amp up\n'.repeat(6)}mark discomfort\namp set 0.45\ncommit\n`;
const THERAPY_LINES = THERAPY.split('\n').length - 1;

function encodeAckState(): string {
  return withCrc(
    'ACK seq=7 of=STATE out=off mode=none rate_hz=50 pw_us=300 amp_ua=0 el=0+-00000 bat=100 flt=none com=0 rev=1',
  );
}
