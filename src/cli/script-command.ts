import { parseCommandLine } from '../shared/parse-command-line.js';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { openAuditLog, type AuditLog } from '../audit/audit-log.js';
import { sessionOpening } from '../audit/session-audit-file.js';
import type { GeneratorLink } from '../link/generator-link.js';
import { openGeneratorLink, type OpenLinkOptions } from '../link/open-link.js';
import { patientIdProblem } from '../diary/patient-id.js';
import type { Notice } from '../session/notice.js';
import { noticeSentence } from '../session/notice-words.js';
import { DEFAULT_SEARCH_DWELL_MS, MIN_SERIAL_DWELL_MS } from '../session/search-step.js';
import { createSessionController } from '../session/session-controller.js';
import { parseScript, SCRIPT_COMMANDS } from '../session/script-parser.js';
import { flushEvents, LINK_WAIT_MS, runScript, type EventResult, type StepResult } from '../session/script-runner.js';
import type { PatientBinding } from '../session/patient-binding.js';
import { STORE_FLAGS, storeOptions } from './store-flags.js';
import { stopOnInterrupt, watchExitSignals } from './script-interrupt.js';
import type { Command, CommandIo } from './command.js';
import { UserError, UsageError } from '../errors/user-error.js';

const HELP = `Usage: scs script FILE [--port PATH] [--baud N] [--json] [--dwell-ms MS] [--audit FILE]
                  [--patient ID [--data-dir DIR | --database-url URL]]

Runs a stimulation session, one command per line ('#' starts a comment), against the built-in
generator simulator unless --port is given, through the same session machine as the bedside UI:
every clamp, refusal and warning is reported, and the generator is read back after every step.

Commands:
${SCRIPT_COMMANDS.map((c) => `  ${c}`).join('\n')}

The whole file is checked before anything runs: an unknown command or a bad argument prints
FILE:LINE:COLUMN and the problem, nothing is sent to the generator, and the exit code is 2.
A command the session refuses (out of the window, wrong state, …) or the generator never
acknowledged (link lost under it) is reported with accepted=false and the script goes on.
While the link is lost, a line that changes something waits up to ${LINK_WAIT_MS / 1000} s for it to return,
then runs or is refused with the reason; 'stop' and 'output off' never wait: answered at once as
held, sent first (as STOP) when the link returns, and a notice says when output off was confirmed.
An 'output off' the generator does not confirm (link lost under it) becomes such a held STOP.
The loss and the return of the link are each a notice on the line running then. A search step
that comes before the dwell has passed waits for it, as a person would. At the end, uncommitted test stimulation is turned off; committed therapy keeps running.

Options:
  --port PATH     serial port of a real generator or of 'scs sim' (default: built-in simulator)
  --baud N        baud rate with --port (default 115200)
  --json          one JSON object per command line, in order:
                  {"line","command","accepted","notices":[{"kind","field","requested","applied","reason"}],
                   "generator":{"output","mode","rateHz","pulseWidthUs","amplitudeMa","contacts",...},
                   "state","window","chargeDensity"}
                  Notices raised while no command ran (an outside change or a generator reset
                  between two lines, on connecting, at the end) come on an event line of their own:
                  {"event","notices":[…],"generator":{…},"state","window","chargeDensity"}. Every notice is on
                  exactly one line.
  --dwell-ms MS   minimum dwell between threshold-search steps (default ${DEFAULT_SEARCH_DWELL_MS}).
                  0 removes it on the built-in simulator (engineers' scripts); with --port a dwell
                  under ${MIN_SERIAL_DWELL_MS} ms is refused: a person needs that long to feel a step.
  --audit FILE    append every decision, stop, commit and fault to this hash-chained audit log
                  (mode 0600; check it with 'scs audit verify FILE')
  --patient ID    pseudonymous patient id: the session starts bound to the generator (serial number
                  and protocol version) stored for this patient; a different one blocks programming
                  until 'rebind'. The first binding and every re-bind are stored (append-only).
  --data-dir DIR  where the patient's bindings are stored (with --patient; default $SCS_DATA_DIR,
                  else $XDG_DATA_HOME/scs-companion or ~/.local/share/scs-companion)
  --database-url URL  the bindings on PostgreSQL instead (default $SCS_DATABASE_URL; 'scs db --help')
  --help          show this help

Ctrl+C (SIGINT), SIGTERM or SIGHUP: no further line is sent; STOP goes to the generator first and
the exit waits up to 3 s for its confirmation, said on stderr (a second signal: exit at once).

Exit codes: 0 the script ran (refusals included); 2 the script or options are wrong; 1 the generator
could not be reached or the run failed; 3 the script ran but a STOP (or an 'output off', which becomes
one when the generator does not confirm it) was still not confirmed at its end: output may still be on;
130/143/129 interrupted by SIGINT/SIGTERM/SIGHUP (STOP sent).
`;

/** The script ended with a STOP (or an escalated `output off`) not confirmed: output may still be on. */
export const STOP_NOT_CONFIRMED_EXIT = 3;

function whole(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
    throw new UsageError(`${flag} must be a whole number ${min}–${max}, got '${value}'.`);
  return Number(value);
}

function formatNotice(n: Notice): string {
  return `    ${n.kind} ${noticeSentence(n)}`;
}

export function formatStep(r: StepResult): string {
  const g = r.generator;
  const gen = g
    ? `${g.output}${g.output === 'on' ? ` ${g.mode}` : ''} ${g.rateHz} Hz ${g.pulseWidthUs} µs ${g.amplitudeMa} mA ${g.contacts}`
    : 'generator not reachable';
  return [
    `${String(r.line).padStart(3)}  ${r.command.padEnd(22)} ${r.accepted ? 'ok     ' : 'REFUSED'}  [${r.state}] ${gen}`,
    ...r.notices.map(formatNotice),
  ].join('\n');
}

export function formatEvent(r: EventResult): string {
  const g = r.generator;
  const gen = g
    ? `${g.output}${g.output === 'on' ? ` ${g.mode}` : ''} ${g.rateHz} Hz ${g.pulseWidthUs} µs ${g.amplitudeMa} mA ${g.contacts}`
    : 'generator not reachable';
  return [
    `  --  ${`event ${r.event}`.padEnd(22)} ${'!!     '}  [${r.state}] ${gen}`,
    ...r.notices.map(formatNotice),
  ].join('\n');
}

type OpenLink = (options: OpenLinkOptions) => GeneratorLink;

const OPTIONS = {
  port: { type: 'string' },
  baud: { type: 'string' },
  json: { type: 'boolean' },
  'dwell-ms': { type: 'string' },
  audit: { type: 'string' },
  patient: { type: 'string' },
  ...STORE_FLAGS,
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * `run` with the link opener injectable (tests give the built-in simulator another serial number) and
 * the source of SIGINT/SIGTERM/SIGHUP (the process; tests give an emitter).
 */
export async function runScriptCommand(
  argv: string[],
  io: CommandIo,
  openLink: OpenLink = openGeneratorLink,
  signals: NodeJS.EventEmitter = process,
): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { allowPositionals: true, options: OPTIONS }, 'scs script');
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      `scs script needs exactly one FILE${positionals.length ? `, got ${positionals.length}` : ''}. Run 'scs script --help'.`,
    );
  const file = positionals[0]!;
  const baud = whole(values.baud, '--baud', 50, 4_000_000);
  if (baud !== undefined && values.port === undefined)
    throw new UsageError('--baud applies to --port only; the built-in simulator has no baud rate.');
  for (const flag of ['data-dir', 'database-url'] as const) {
    if (values[flag] !== undefined && values.patient === undefined)
      throw new UsageError(`--${flag} applies to --patient only. Run 'scs script --help'.`);
  }
  const patientProblem = values.patient === undefined ? null : patientIdProblem(values.patient);
  if (patientProblem) throw new UsageError(`--patient: ${patientProblem}.`);
  const dwellMs = whole(values['dwell-ms'], '--dwell-ms', 0, 600_000) ?? DEFAULT_SEARCH_DWELL_MS;
  if (values.port !== undefined && dwellMs < MIN_SERIAL_DWELL_MS) {
    throw new UsageError(
      `--dwell-ms ${dwellMs} is too short for a generator on a serial port: at least ${MIN_SERIAL_DWELL_MS} ms (a person needs that long to feel a step); shorter dwells are for the built-in simulator only.`,
    );
  }

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(
      `cannot read script ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}. Check the path.`,
    );
  }
  const script = parseScript(text);
  if (!script.ok) {
    const lines = script.errors.map((e) => `${file}:${e.line}:${e.column}: ${e.message}`);
    throw new UsageError(
      `${lines.join('\n')}\nNothing was run. Commands: ${SCRIPT_COMMANDS.map((c) => c.split(' ')[0])
        .filter((c, i, a) => a.indexOf(c) === i)
        .join(', ')}.`,
    );
  }
  // A script with nothing to do is a mistake in the file (the wrong file, an unsaved editor), not a session.
  if (script.steps.length === 0)
    throw new UsageError(
      `${file}: the script has no commands (it is empty or holds only comments and blank lines). Nothing was run.`,
    );

  let audit: AuditLog | undefined;
  if (values.audit !== undefined) {
    try {
      audit = openAuditLog(values.audit);
      // Whose session it is, only when it is a patient's (pseudonymous id): the export checks it.
      if (values.patient !== undefined) audit.append(sessionOpening(values.patient, new Date()));
    } catch (e) {
      throw new UserError(`cannot open audit log ${values.audit}: ${(e as Error).message}`);
    }
  }
  const linkOptions: OpenLinkOptions = {
    ...(values.port !== undefined ? { port: values.port } : {}),
    ...(baud !== undefined ? { baud } : {}),
  };
  let patient: PatientBinding | undefined;
  if (values.patient !== undefined) {
    try {
      const { openPatientBinding } = await import('../session/patient-binding.js');
      patient = await openPatientBinding(values.patient, {
        ...storeOptions(values, io),
        onStoreError: (e) => io.stderr.write(`scs: the generator binding could not be stored: ${e.message}\n`),
      });
    } catch (e) {
      audit?.close();
      throw e;
    }
    // PostgreSQL away: the station's own copy is in use, and conflicts found on the way are shown.
    if (patient.note) io.stderr.write(`scs: ${patient.note}\n`);
    for (const c of patient.conflicts) io.stderr.write(`scs: ${c}\n`);
  }
  const shownConflicts = patient?.conflicts.length ?? 0;
  const link = openLink(linkOptions);
  const controller = createSessionController({
    link,
    dwellMs,
    ...(patient ? { binding: patient.binding } : {}),
    ...(audit ? { audit: (entry) => audit.append(entry) } : {}),
  });
  const unfollow = patient?.follow(controller);
  const onEvent = (r: EventResult) => io.stdout.write((values.json ? JSON.stringify(r) : formatEvent(r)) + '\n');
  // Ctrl+C, kill or a closed terminal while the script stimulates: STOP first, as the bedside UI does.
  const exitSignals = watchExitSignals(signals);
  try {
    const session = (async () => {
      await controller.dispatch({ type: 'CONNECT' });
      const view = controller.view();
      if (view.state === 'disconnected') {
        // The reason is a sentence of its own: no second full stop before ours (bb3 F-L11).
        const why = (view.notices.at(-1)?.reason ?? 'no answer').replace(/\.+$/, '');
        throw new UserError(
          `cannot connect to the generator (${link.description}): ${why}. Check --port, the cable and that the generator is on; nothing was run.`,
        );
      }
      await runScript(script.steps, controller, {
        onStep: (r) => io.stdout.write((values.json ? JSON.stringify(r) : formatStep(r)) + '\n'),
        onEvent,
        signal: exitSignals.signal,
      });
      if (exitSignals.signal.aborted) return null;
      // Uncommitted test stimulation never outlives the session that started it.
      const end = controller.view();
      if (end.generator?.output === 'on' && !end.generator.committed && end.settled && end.state !== 'linkLost') {
        await controller.dispatch({ type: 'STOP' });
        if (!values.json) io.stdout.write('end of script: uncommitted test stimulation turned off\n');
      }
      // bb4-F12/bb5-N3: a STOP (or an `output off` escalated to one) the generator never confirmed is said
      // once more as the script ends, and the exit code says output may still be on.
      if (controller.view().stopPending) {
        io.stderr.write('scs: STOP NOT confirmed by the generator. Check it and switch its output off by hand.\n');
        return STOP_NOT_CONFIRMED_EXIT;
      }
      return 0;
    })();
    session.catch(() => {}); // an interrupted run may fail afterwards; nobody waits for it then
    const first = await Promise.race([session, exitSignals.interrupted]);
    const code =
      typeof first === 'number' ? first : await stopOnInterrupt(first ?? 'SIGINT', controller, link, exitSignals, io);
    // Nothing raised after the last line (or by the interrupting STOP) is lost either.
    if (typeof first !== 'number') await Promise.race([controller.settled(), sleep(1000)]);
    flushEvents(controller, onEvent);
    return code;
  } finally {
    exitSignals.off();
    unfollow?.();
    controller.dispose();
    await link.close().catch(() => {});
    audit?.close();
    await patient?.close();
    for (const c of patient?.conflicts.slice(shownConflicts) ?? []) io.stderr.write(`scs: ${c}\n`);
    if (patient?.note?.includes('waiting')) io.stderr.write(`scs: ${patient.note}\n`);
  }
}

const run = (argv: string[], io: CommandIo) => runScriptCommand(argv, io);

/** `scs script FILE`: a stimulation session from a file, through the same machine as the bedside UI. */
const command: Command = {
  summary: 'run a stimulation session from a script file (built-in simulator unless --port; --json)',
  run,
};
export default command;
