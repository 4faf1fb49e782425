import type { Command, CommandIo } from './command.js';
import { readSubcommand } from './subcommand-flags.js';
import type { OutcomeRegistry } from '../outcomes/outcome-registry.js';
import { registryOpener } from './registry-opener.js';
import { STORE_FLAGS, STORE_FLAGS_HELP } from './store-flags.js';
import { patientRecord } from '../outcomes/patient-record.js';
import { VISIT_HELP } from '../outcomes/follow-up-visit.js';
import {
  dateFlag,
  numberFlag,
  patientFlag,
  pdiFlags,
  requireFlag,
  type Options,
} from '../outcomes/registry-cli-flags.js';

const HELP = `Usage: scs followup add --patient ID --visit VISIT [--date YYYY-MM-DD] [--nrs 0–10] [--pdi 0–70 | --pdi-domains a,b,c,d,e,f,g]
       scs followup list --patient ID

Records a follow-up visit of a registry patient ('scs patient add' first). VISIT is one of
${VISIT_HELP}; each visit is recorded once. NRS 0–10 (0 no pain, 10 worst imaginable); PDI as a total
0–70 or the 7 domain scores 0–10 (family/home, recreation, social, occupation, sexual behaviour,
self-care, life-support activity). Relief is computed from the recorded NRS against the baseline visit.

Options: ${STORE_FLAGS_HELP};
--json (one JSON document on stdout), --help.
`;

const OPTIONS: Record<string, Options> = {
  add: {
    patient: { type: 'string' },
    visit: { type: 'string' },
    date: { type: 'string' },
    nrs: { type: 'string' },
    pdi: { type: 'string' },
    'pdi-domains': { type: 'string' },
    ...STORE_FLAGS,
    json: { type: 'boolean' },
  },
  list: { patient: { type: 'string' }, ...STORE_FLAGS, json: { type: 'boolean' } },
};

async function run(
  sub: string,
  v: Record<string, string | boolean | undefined>,
  registry: () => Promise<OutcomeRegistry>,
  io: CommandIo,
): Promise<number> {
  const id = patientFlag(v.patient as string | undefined);
  if (sub === 'add') {
    const visit = requireFlag(v.visit as string | undefined, '--visit', VISIT_HELP);
    const nrs = numberFlag(v.nrs as string | undefined, '--nrs', 10, true) ?? null;
    const { pdi, pdiDomains } = pdiFlags(v.pdi as string | undefined, v['pdi-domains'] as string | undefined);
    const f = await (
      await registry()
    ).addFollowUp(id, { visit, date: dateFlag(v.date as string | undefined), nrs, pdi, pdiDomains });
    io.stdout.write(
      v.json
        ? JSON.stringify(f, null, 2) + '\n'
        : `Recorded the ${f.visit.label} visit of patient ${id}: NRS ${f.nrs ?? '–'}, PDI ${f.pdi ?? '–'}.\n`,
    );
    return 0;
  }
  const { followUps } = await patientRecord(await registry(), id);
  if (v.json) io.stdout.write(JSON.stringify({ patient: id, followUps }, null, 2) + '\n');
  else if (followUps.length === 0) io.stdout.write(`Patient ${id} has no follow-up visits yet.\n`);
  else {
    io.stdout.write(`${'visit'.padEnd(9)} ${'date'.padEnd(10)}  NRS  PDI  relief\n`);
    for (const f of followUps) {
      io.stdout.write(
        `${f.visit.label.padEnd(9)} ${(f.date ?? '').padEnd(10)}  ${String(f.nrs ?? '–').padStart(3)}  ${String(f.pdi ?? '–').padStart(3)}  ${f.reliefPercent === null ? '' : `${f.reliefPercent.toFixed(0)}%`}\n`,
      );
    }
  }
  return 0;
}

/** `scs followup add|list`: follow-up visits with NRS and PDI. */
const command: Command = {
  summary: 'follow-up visits (post-op, 1–24 months, yearly) with NRS and PDI: add, list',
  async run(argv, io) {
    const line = readSubcommand(argv, io, { command: 'followup', help: HELP, options: OPTIONS });
    if ('exit' in line) return line.exit;
    const { sub, values } = line;
    const registry = registryOpener(values, io, true);
    try {
      return await run(sub, values as Record<string, string | boolean | undefined>, registry.open, io);
    } finally {
      await registry.close();
    }
  },
};

export default command;
