import React from 'react';
import { render, type Instance } from 'ink';
import type { ProcessIo } from '../shared/process-io.js';
import { UserError } from '../errors/user-error.js';
import { explainListError } from '../shared/serial-port-list-error.js';
import type { GeneratorLink } from '../link/generator-link.js';
import type { PatientBinding } from '../session/patient-binding.js';
import { App } from './app.js';
import { keptLine } from './components/quit-dialog.js';
import { ColorProvider, colorEnabled } from './theme.js';
import { LiveSession, type ConnectTarget } from './live-session.js';
import { NEEDS_TERMINAL } from './needs-terminal.js';
import { STOP_ON_EXIT_TIMEOUT_MS } from '../session/confirm-stop.js';
import { EXIT_SIGNALS } from '../shared/exit-signals.js';
import type { ListPorts, UiDiary } from './ui-ports.js';

/**
 * The bedside UI as a process: Ink on the terminal, the session on a generator link, and every way
 * out (quit key, Ctrl+C, SIGINT, SIGTERM, SIGHUP, a crash) going through STOP first.
 */

export interface BedsideOptions {
  port?: string | undefined;
  baud?: number | undefined;
  /** Opens the diary screen on this patient's diary, and binds the session to the patient's generator (H13). */
  patient?: string | undefined;
  dataDir?: string | undefined;
  /** `--audit FILE`: the session's audit log there instead of in the data directory. */
  audit?: string | undefined;
  /** PostgreSQL URL for the diary (--database-url, else $SCS_DATABASE_URL); the SQLite file without one. */
  databaseUrl?: string | undefined;
  io: ProcessIo;
  openLink: (target: ConnectTarget) => GeneratorLink;
  listPorts?: ListPorts;
  /** Ink's console patching (on by default; test runners bring consoles it cannot wrap). */
  patchConsole?: boolean;
}

export async function listSerialPorts(): Promise<{ paths: string[]; error?: string }> {
  try {
    const { SerialPort } = await import('serialport');
    return { paths: (await SerialPort.list()).map((p) => p.path) };
  } catch (error) {
    return { paths: [], error: explainListError(error) };
  }
}

export async function runBedsideUi(options: BedsideOptions): Promise<number> {
  const { io } = options;
  if (!io.stdin.isTTY) throw new UserError(NEEDS_TERMINAL.replace(', so plain status lines follow', ''));

  let diary: UiDiary | undefined;
  let closeDiary: () => Promise<void> | void = () => {};
  let diaryProblem: string | undefined;
  if (options.patient !== undefined) {
    // Loaded only with --patient: the diary code and SQLite are not needed for the first frame.
    const { openStoreDiary } = await import('./diary-adapter.js');
    const opened = await openStoreDiary(options.patient, {
      dataDir: options.dataDir,
      databaseUrl: options.databaseUrl,
      env: io.env,
    });
    if ('error' in opened) diaryProblem = opened.error;
    else ({ diary, close: closeDiary } = opened);
  }
  let patientBinding: PatientBinding | undefined;
  // Told after the screen is gone: a binding that could not be stored (PostgreSQL away).
  const bindingProblems: string[] = [];
  if (options.patient !== undefined) {
    // H13: without the patient's stored binding any generator would do, so not starting is safer.
    try {
      const { openPatientBinding } = await import('../session/patient-binding.js');
      patientBinding = await openPatientBinding(options.patient, {
        dataDir: options.dataDir,
        databaseUrl: options.databaseUrl,
        env: io.env,
        onStoreError: (e) => bindingProblems.push(e.message),
      });
    } catch (error) {
      await closeDiary();
      throw new UserError(
        `cannot load the generator binding of patient '${options.patient.slice(0, 80)}': ${(error as Error).message}`,
      );
    }
  }

  // The bedside UI always keeps the hash-chained audit log (README, safety model).
  const { openSessionAudit } = await import('../audit/session-audit-file.js');
  const { resolveDataDir } = await import('../store/data-dir.js');
  let audit: ReturnType<typeof openSessionAudit>;
  try {
    audit = openSessionAudit({
      file: options.audit,
      dataDir: resolveDataDir({ dataDir: options.dataDir, env: io.env }),
      patient: options.patient ?? null,
    });
  } catch (error) {
    await closeDiary();
    await patientBinding?.close();
    throw new UserError(
      `cannot open the audit log${options.audit ? ` ${options.audit}` : ''}: ${(error as Error).message}`,
    );
  }
  const session = new LiveSession({
    audit: (entry) => audit.append(entry),
    openLink: options.openLink,
    initial:
      options.port === undefined
        ? {}
        : { port: options.port, ...(options.baud !== undefined ? { baud: options.baud } : {}) },
    ...(patientBinding ? { patientBinding } : {}),
  });

  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });
  let exiting = false;

  const exit = async (stop: boolean, code: number, why?: string, insistable = false) => {
    if (exiting) {
      // A second signal while STOP is pending: the person insists, so end now. Anything else
      // (a late error, a second quit key) waits for the STOP already under way.
      if (insistable) process.exit(code);
      return;
    }
    exiting = true;
    const source = session.getView().link.source;
    const confirmed = stop ? await session.stopAndConfirm(STOP_ON_EXIT_TIMEOUT_MS) : null;
    instance?.unmount();
    await session.close();
    await closeDiary();
    await patientBinding?.close();
    audit.close();
    // H13: shown on the screen while it ran, said again once it is gone.
    for (const line of [...(patientBinding?.conflicts ?? []), patientBinding?.note ?? ''])
      if (line.includes('conflict') || line.includes('waiting')) io.stderr.write(`scs: ${line}\n`);
    for (const problem of new Set(bindingProblems))
      io.stderr.write(
        `scs: the generator binding could not be stored (the next start expects the previous generator): ${problem}\n`,
      );
    if (why) io.stderr.write(`scs: ${why}\n`);
    io.stdout.write(
      audit.path
        ? `Audit log of this session: ${audit.path} (check it with 'scs audit verify').\n`
        : 'No audit log was written (nothing happened in this session).\n',
    );
    if (confirmed === true) io.stdout.write('STOP confirmed by the generator: output off.\n');
    if (confirmed === 'never-connected')
      io.stdout.write('No generator was connected (none answered), so this companion had set no output to stop.\n');
    if (confirmed === false)
      io.stderr.write('scs: STOP NOT confirmed by the generator. Check it and switch its output off by hand.\n');
    if (!stop) io.stdout.write(`${keptLine(source)}\n`);
    finish(confirmed === false && code === 0 ? 1 : code);
  };

  const onSignal = (signal: NodeJS.Signals) =>
    void exit(
      true,
      EXIT_SIGNALS[signal as keyof typeof EXIT_SIGNALS] ?? 1,
      `${signal}: stopping output and exiting`,
      true,
    );
  const onCrash = (error: unknown) =>
    void exit(true, 1, `internal error: ${error instanceof Error ? error.message : String(error)}`);
  for (const signal of Object.keys(EXIT_SIGNALS)) process.on(signal, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  let instance: Instance | undefined;
  try {
    instance = render(
      <ColorProvider enabled={colorEnabled(io.env)}>
        <App
          session={session}
          diary={diary}
          diaryProblem={diaryProblem}
          listPorts={options.listPorts ?? listSerialPorts}
          onQuit={(stop) => void exit(stop, 0)}
        />
      </ColorProvider>,
      {
        stdin: io.stdin as NodeJS.ReadStream,
        stdout: io.stdout as NodeJS.WriteStream,
        stderr: io.stderr as NodeJS.WriteStream,
        exitOnCtrlC: false,
        patchConsole: options.patchConsole ?? true,
      },
    );
    // A render error ends Ink's app: that is a crash like any other.
    instance.waitUntilExit().catch(onCrash);
  } catch (error) {
    // The screen could not even start: the session may be connecting, so it still goes through STOP.
    onCrash(error);
  }

  try {
    return await finished;
  } finally {
    for (const signal of Object.keys(EXIT_SIGNALS)) process.off(signal, onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
}
