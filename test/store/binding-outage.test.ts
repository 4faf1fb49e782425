/**
 * Issue 17 + H13: the bedside keeps working while PostgreSQL is away, and never programs a generator
 * under the wrong patient. Real stations (`scs script --patient ID --database-url URL` against the
 * built-in simulator, each with its own data directory = its own SQLite file) and a real server of
 * this file's own, stopped and started again (pause/resume), so other test files are not disturbed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import React from 'react';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScriptCommand } from '../../src/cli/script-command.js';
import { openGeneratorLink, type OpenLinkOptions } from '../../src/link/open-link.js';
import { GeneratorBindingStore } from '../../src/session/generator-binding-store.js';
import type { StepResult } from '../../src/session/script-runner.js';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { openStoreDiary } from '../../src/ui/diary-adapter.js';
import { StatusLine } from '../../src/ui/components/status-line.js';
import { LiveSession } from '../../src/ui/live-session.js';
import { openPatientBinding } from '../../src/session/patient-binding.js';
import { until } from '../helpers/until.js';
import { PROTOCOL_VERSION } from '../../protocol/index.js';
import { type ThrowawayServer, startThrowawayServer } from '../pg/throwaway-server.js';

let server: ThrowawayServer;
let url: string;
const dirs: string[] = [];
beforeAll(async () => {
  server = startThrowawayServer();
  url = await server.createDatabase('binding_outage');
  await (await GeneratorBindingStore.open({ databaseUrl: url, env: {} })).close(); // `scs db migrate`
  await (await DiaryStore.open({ databaseUrl: url, env: {} })).close();
}, 120_000);
afterAll(() => {
  server.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A station: its own data directory (its SQLite file), the shared server's URL. */
function station(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-station-'));
  dirs.push(d);
  return d;
}

interface Run {
  steps: StepResult[];
  stderr: string;
}

/** `scs script FILE --json --patient P --database-url URL --data-dir STATION` against a simulator with `serial`. */
async function run(dataDir: string, serial: string, script: string, patient = 'P-017'): Promise<Run> {
  const file = path.join(dataDir, `run-${Math.random().toString(36).slice(2)}.scs`);
  fs.writeFileSync(file, script);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b: Buffer) => (out += b.toString()));
  stderr.on('data', (b: Buffer) => (err += b.toString()));
  const openLink = (o: OpenLinkOptions) =>
    openGeneratorLink({ ...o, simulator: { config: { serial }, telemetryHz: 0 } });
  const flags = ['--json', '--dwell-ms', '0', '--patient', patient, '--database-url', url, '--data-dir', dataDir];
  const code = await runScriptCommand(
    [file, ...flags],
    { stdout, stderr, stdin: new PassThrough(), env: {} },
    openLink,
  );
  expect(code, err).toBe(0);
  const steps = out
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l))
    .filter((l) => 'line' in l) as StepResult[];
  return { steps, stderr: err };
}

async function serverHistory(patient = 'P-017') {
  const store = await GeneratorBindingStore.open({ databaseUrl: url, env: {} });
  try {
    return (await store.history(patient)).map((b) => [b.serial, b.reason]);
  } finally {
    await store.close();
  }
}

const v = PROTOCOL_VERSION;

/** Polls the server's history until it equals `expected` (bindings are stored in the background). */
async function historyBecomes(patient: string, expected: string[][]): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const now = await serverHistory(patient);
    if (JSON.stringify(now) === JSON.stringify(expected) || Date.now() > deadline) {
      expect(now).toEqual(expected);
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('generator bindings while PostgreSQL is away (H13, issue 17)', () => {
  it(
    'programs and stops from the station’s local copy, keeps a re-bind and diary entries, and sends each once when the server is back',
    { timeout: 180_000 },
    async () => {
      const bedside = station();
      const first = await run(bedside, 'SIM-000111', 'rate 45\n');
      expect(first.steps[0]).toMatchObject({ accepted: true });
      expect(first.stderr).toBe('');
      expect(await serverHistory()).toEqual([['SIM-000111', 'first']]);

      server.pause(); // the server is down before the next start
      try {
        // The bound generator: programmed and stopped, the copy's time said.
        const same = await run(bedside, 'SIM-000111', 'rate 50\nelectrodes 1- 2+\nsearch start\namp up\nstop\n');
        expect(same.steps.map((s) => s.accepted)).toEqual([true, true, true, true, true]);
        expect(same.steps[3]!.generator).toMatchObject({ output: 'on', rateHz: 50 });
        expect(same.steps[4]!.generator).toMatchObject({ output: 'off' });
        expect(same.stderr).toMatch(
          /^scs: bindings from local copy of \d{4}-\d\d-\d\d \d\d:\d\d UTC \(the database cannot be reached\)\n/,
        );
        // Another generator is still blocked: the copy holds H13 while the server is away.
        const other = await run(bedside, 'SIM-000222', 'rate 55\nstop\n');
        expect(other.steps[0]).toMatchObject({ accepted: false, state: 'blocked' });
        expect(other.steps[1]).toMatchObject({ command: 'stop', accepted: true, generator: { output: 'off' } });
        // An explicit re-bind while away: kept on the station, said to wait.
        const rebound = await run(bedside, 'SIM-000222', 'rebind\nrate 55\n');
        expect(rebound.steps.map((s) => s.accepted)).toEqual([true, true]);
        expect(rebound.stderr).toMatch(/1 re-bind waiting to be sent/);
        // The next start, still away, starts from the kept re-bind: SIM-000222 programs.
        const again = await run(bedside, 'SIM-000222', 'rate 60\n');
        expect(again.steps[0]).toMatchObject({ accepted: true, generator: { rateHz: 60 } });

        // Diary entries typed at this station meanwhile wait in its outbox.
        const opened = await openStoreDiary('P-017', { dataDir: bedside, databaseUrl: url, env: {} });
        if ('error' in opened) throw new Error(opened.error);
        try {
          await opened.diary.add({ phase: 'trial', nrs: 5 });
          const second = await opened.diary.add({ phase: 'trial', pdi: 30 });
          expect(second).toMatchObject({ ok: true, text: expect.stringMatching(/2 entries waiting to be sent$/) });
          expect((await opened.diary.chart()).waiting).toBe(2);
        } finally {
          await opened.close();
        }
      } finally {
        server.resume();
      }

      // Back: the next start sends the re-bind (appended on the server) and programs SIM-000222.
      const back = await run(bedside, 'SIM-000222', 'rate 40\n');
      expect(back.stderr).toBe('');
      expect(back.steps[0]).toMatchObject({ accepted: true, generator: { rateHz: 40 } });
      expect(await serverHistory()).toEqual([
        ['SIM-000111', 'first'],
        ['SIM-000222', 'rebind'],
      ]);
      // ... and the diary screen's next refresh sends the entries, each exactly once.
      const opened = await openStoreDiary('P-017', { dataDir: bedside, databaseUrl: url, env: {} });
      if ('error' in opened) throw new Error(opened.error);
      try {
        expect((await opened.diary.chart()).waiting).toBe(0);
        expect((await opened.diary.chart()).waiting).toBe(0);
      } finally {
        await opened.close();
      }
      const diary = await DiaryStore.open({ databaseUrl: url, env: {} });
      try {
        expect((await diary.history('P-017')).map((e) => [e.nrs, e.pdi, e.source])).toEqual([
          [5, null, 'bedside'],
          [null, 30, 'bedside'],
        ]);
      } finally {
        await diary.close();
      }
      expect(await serverHistory()).toHaveLength(2); // sent once, not again on a later start
    },
  );

  it(
    'refuses to start a patient this station holds no copy of, and programs nothing',
    { timeout: 60_000 },
    async () => {
      const fresh = station();
      server.pause();
      try {
        const file = path.join(fresh, 's.scs');
        fs.writeFileSync(file, 'rate 45\noutput on\n');
        const io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
        let opened = false;
        const openLink = (o: OpenLinkOptions) => {
          opened = true;
          return openGeneratorLink({ ...o, simulator: { telemetryHz: 0 } });
        };
        const argv = [file, '--patient', 'P-NEW', '--database-url', url, '--data-dir', fresh];
        await expect(runScriptCommand(argv, io, openLink)).rejects.toMatchObject({
          kind: 'input',
          message: expect.stringMatching(
            /database cannot be reached .* no local copy of patient P-NEW's generator binding .* Start without --patient/s,
          ),
        });
        expect(opened).toBe(false); // no generator was even connected
      } finally {
        server.resume();
      }
    },
  );

  it(
    'a re-bind made while away that another station overtook is a conflict: shown, the server’s binding stands',
    { timeout: 180_000 },
    async () => {
      const a = station();
      const b = station();
      await run(a, 'SIM-000111', 'rate 45\n', 'P-C');
      await run(b, 'SIM-000111', 'rate 45\n', 'P-C'); // station b has read the binding too

      server.pause();
      try {
        await run(a, 'SIM-000222', 'rebind\n', 'P-C'); // station a, offline: re-bind kept locally
      } finally {
        server.resume();
      }
      // Meanwhile station b (online) re-binds the patient to a third generator.
      await run(b, 'SIM-000333', 'rebind\n', 'P-C');

      // Station a comes back: its re-bind is not written over b's, and it says so.
      const back = await run(a, 'SIM-000222', 'rate 55\nstop\n', 'P-C');
      expect(back.stderr).toContain(
        `binding conflict: the re-bind of patient P-C to SIM-000222 v${v} made on this station at`,
      );
      expect(back.stderr).toContain(`was NOT stored: the server binds patient P-C to SIM-000333 v${v} now`);
      expect(await serverHistory('P-C')).toEqual([
        ['SIM-000111', 'first'],
        ['SIM-000333', 'rebind'],
      ]);
      // The session starts from the server's binding: SIM-000222 is foreign now, blocked; STOP works.
      expect(back.steps[0]).toMatchObject({ accepted: false, state: 'blocked' });
      expect(back.steps[1]).toMatchObject({ command: 'stop', accepted: true });
      // Shown once: the next start has nothing left to send.
      expect((await run(a, 'SIM-000333', 'rate 50\n', 'P-C')).stderr).toBe('');
    },
  );

  it(
    'the bedside screen: a re-bind after the server went away mid-session is kept, shown, and sent once it is back',
    { timeout: 120_000 },
    async () => {
      const bedside = station();
      const binding = await openPatientBinding('P-UI', { dataDir: bedside, databaseUrl: url, env: {}, retryMs: 100 });
      const session = new LiveSession({
        dwellMs: 0,
        initial: {},
        patientBinding: binding,
        // The connect screen's port picks the generator: none = SIM-000111, 'other' = SIM-000222.
        openLink: (t) =>
          openGeneratorLink({
            simulator: { config: { serial: t.port === 'other' ? 'SIM-000222' : 'SIM-000111' }, telemetryHz: 0 },
          }),
      });
      const c = () => session.sessionController.view();
      try {
        await until(() => c().generator !== null && c().settled, 'connection');
        expect(c().state).toBe('ready');
        await historyBecomes('P-UI', [['SIM-000111', 'first']]);
        expect(session.getView().bindingNote).toBeUndefined();

        server.pause(); // mid-session
        session.connect({ port: 'other', baud: 115200 });
        await until(() => c().generator !== null && c().settled && c().state === 'blocked', 'the other generator');
        session.send({ type: 'REBIND' });
        await session.idle();
        await until(() => c().state === 'ready', 're-bound');
        await until(() => binding.note?.includes('local copy') === true, 'the re-bind kept, the server found away');
        const note = session.getView().bindingNote ?? '';
        expect(note).toMatch(
          /^bindings from local copy of .* UTC \(the database cannot be reached\); 1 re-bind waiting to be sent$/,
        );
        const screen = render(React.createElement(StatusLine, { view: session.getView() }));
        expect(screen.lastFrame()).toContain('Generator binding: bindings from local copy of');
        screen.unmount();
        // STOP never waits for the database.
        expect(await session.stopAndConfirm(5000)).toBe(true);

        server.resume();
        await until(() => binding.note === null, 'the re-bind sent', 30_000);
        await historyBecomes('P-UI', [
          ['SIM-000111', 'first'],
          ['SIM-000222', 'rebind'],
        ]);
        await until(() => session.getView().bindingNote === undefined, 'the line gone');
      } finally {
        server.resume();
        await session.close();
        await binding.close();
      }
      await historyBecomes('P-UI', [
        ['SIM-000111', 'first'],
        ['SIM-000222', 'rebind'],
      ]);
    },
  );
});
