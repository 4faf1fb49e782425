import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { STORE_KINDS, cleanup, target } from '../store/store-kinds.js';
import { runScriptCommand } from '../../src/cli/script-command.js';
import { openGeneratorLink, type OpenLinkOptions } from '../../src/link/open-link.js';
import { PROTOCOL_VERSION } from '../../protocol/index.js';
import { GeneratorBindingStore } from '../../src/session/generator-binding-store.js';
import type { StepResult } from '../../src/session/script-runner.js';
import { openPatientBinding } from '../../src/session/patient-binding.js';
import { LiveSession } from '../../src/ui/live-session.js';
import { until } from '../helpers/until.js';

/**
 * H13 across restarts: `scs script --patient ID` against the built-in simulator, with a real SQLite
 * file in a temporary data directory. The simulator's serial number is set through its config, as a
 * different trial generator on the same cable would present itself.
 */

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-h13-'));
  dirs.push(d);
  return d;
}

/** One `scs script FILE --json --patient ID --data-dir DIR` run against a simulator with `serial`. */
function runFor(dir: string, serial: string, script: string, patient = 'P-013'): Promise<StepResult[]> {
  return runWith(['--data-dir', path.join(dir, 'data')], serial, script, patient);
}

/** The same with the store flags given (`--data-dir DIR` or `--database-url URL`). */
async function runWith(storeFlags: string[], serial: string, script: string, patient = 'P-013'): Promise<StepResult[]> {
  const dir = tempDir();
  const file = path.join(dir, `run-${Math.random().toString(36).slice(2)}.scs`);
  fs.writeFileSync(file, script);
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (b: Buffer) => (out += b.toString()));
  const io = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
  const openLink = (o: OpenLinkOptions) =>
    openGeneratorLink({ ...o, simulator: { config: { serial }, telemetryHz: 0 } });
  const code = await runScriptCommand(
    [file, '--json', '--dwell-ms', '0', '--patient', patient, ...storeFlags],
    io,
    openLink,
  );
  expect(code).toBe(0);
  return out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((l) => 'line' in l) as StepResult[];
}

async function history(dir: string, patient = 'P-013') {
  const store = await GeneratorBindingStore.open({ dataDir: path.join(dir, 'data') });
  try {
    return (await store.history(patient)).map(({ serial, proto, reason }) => ({ serial, proto, reason }));
  } finally {
    await store.close();
  }
}

const PROGRAM = 'rate 45\npw 300\n';

describe('H13: the generator binding is stored per patient and holds across restarts', () => {
  it('first run binds and stores; a restart with the same generator programs normally', async () => {
    const dir = tempDir();
    const first = await runFor(dir, 'SIM-000111', PROGRAM);
    expect(first.map((r) => r.accepted)).toEqual([true, true]);
    expect(await history(dir)).toEqual([{ serial: 'SIM-000111', proto: PROTOCOL_VERSION, reason: 'first' }]);

    const again = await runFor(dir, 'SIM-000111', 'rate 50\n');
    expect(again[0]).toMatchObject({ accepted: true, generator: { rateHz: 50 } });
    expect(again[0]!.state).not.toBe('blocked');
    expect(await history(dir)).toHaveLength(1);
  });

  it('after a restart, a generator with another serial is blocked: programming refused, STOP still works', async () => {
    const dir = tempDir();
    await runFor(dir, 'SIM-000111', PROGRAM);
    const other = await runFor(dir, 'SIM-000222', 'rate 55\npw 400\namp set 1\noutput on\nstop\n');
    for (const r of other.slice(0, 4)) {
      expect(r.accepted, r.command).toBe(false);
      expect(r.state, r.command).toBe('blocked');
    }
    expect(other[0]!.generator).toMatchObject({ output: 'off', amplitudeMa: 0 });
    expect(other[0]!.generator!.rateHz).not.toBe(55);
    expect(other[1]!.generator!.pulseWidthUs).not.toBe(400);
    expect(other[4]).toMatchObject({ command: 'stop', accepted: true, generator: { output: 'off' } });
    // Meeting the other generator stored nothing: the patient is still bound to the first one.
    expect(await history(dir)).toEqual([{ serial: 'SIM-000111', proto: PROTOCOL_VERSION, reason: 'first' }]);
  });

  it('rebind stores the new binding (appended, the old one kept) and the next run programs normally', async () => {
    const dir = tempDir();
    await runFor(dir, 'SIM-000111', PROGRAM);
    const rebound = await runFor(dir, 'SIM-000222', 'rebind\nrate 55\n');
    expect(rebound.map((r) => r.accepted)).toEqual([true, true]);
    expect(rebound[1]!.generator!.rateHz).toBe(55);
    expect(await history(dir)).toEqual([
      { serial: 'SIM-000111', proto: PROTOCOL_VERSION, reason: 'first' },
      { serial: 'SIM-000222', proto: PROTOCOL_VERSION, reason: 'rebind' },
    ]);

    const next = await runFor(dir, 'SIM-000222', 'rate 60\n');
    expect(next[0]).toMatchObject({ accepted: true, generator: { rateHz: 60 } });
    // And the first generator is now the foreign one.
    const old = await runFor(dir, 'SIM-000111', 'rate 60\n');
    expect(old[0]).toMatchObject({ accepted: false, state: 'blocked' });
  });

  it('bindings are per patient', async () => {
    const dir = tempDir();
    await runFor(dir, 'SIM-000111', PROGRAM, 'P-A');
    const b = await runFor(dir, 'SIM-000222', PROGRAM, 'P-B');
    expect(b.map((r) => r.accepted)).toEqual([true, true]);
    expect((await history(dir, 'P-A')).map((h) => h.serial)).toEqual(['SIM-000111']);
    expect((await history(dir, 'P-B')).map((h) => h.serial)).toEqual(['SIM-000222']);
  });
});

describe('H13 in the bedside UI (--patient): LiveSession with the stored binding', () => {
  /** One UI start for the patient against a simulator with `serial`; resolves once the session settled. */
  async function startUi(dir: string, serial: string) {
    const patientBinding = await openPatientBinding('P-UI', { dataDir: path.join(dir, 'data') });
    const session = new LiveSession({
      dwellMs: 0,
      initial: {},
      patientBinding,
      openLink: () => openGeneratorLink({ simulator: { config: { serial }, telemetryHz: 0 } }),
    });
    await until(
      () => session.sessionController.view().generator !== null && session.sessionController.view().settled,
      'connection',
    );
    const end = async () => {
      await session.close();
      await patientBinding.close();
    };
    return { session, c: session.sessionController, end };
  }

  it('a restart with another generator is blocked until the REBIND key, which is stored', async () => {
    const dir = tempDir();
    const first = await startUi(dir, 'SIM-000111');
    expect(first.c.view().state).toBe('ready');
    await first.end();

    const other = await startUi(dir, 'SIM-000222');
    expect(other.c.view().state).toBe('blocked');
    expect((await other.c.dispatch({ type: 'RATE', hz: 55 })).accepted).toBe(false);
    other.session.send({ type: 'REBIND' });
    await other.session.idle();
    await until(() => other.c.view().state === 'ready', 're-bound');
    await other.end();
    expect((await history(dir, 'P-UI')).map((h) => [h.serial, h.reason])).toEqual([
      ['SIM-000111', 'first'],
      ['SIM-000222', 'rebind'],
    ]);

    const again = await startUi(dir, 'SIM-000222');
    expect(again.c.view().state).toBe('ready');
    expect((await again.c.dispatch({ type: 'RATE', hz: 55 })).accepted).toBe(true);
    await again.end();
  });
});

describe.each(STORE_KINDS)('generator binding store on %s', (kind) => {
  afterAll(cleanup);

  it('is append-only: UPDATE and DELETE are refused by the database', async () => {
    const where = await target(kind);
    const store = await GeneratorBindingStore.open({ ...where, now: () => new Date('2026-01-02T03:04:05Z') });
    try {
      expect(await store.current('P-1')).toBeNull();
      expect(await store.record('P-1', { serial: 'X', proto: 1 })).toEqual({
        patientId: 'P-1',
        serial: 'X',
        proto: 1,
        boundAt: '2026-01-02T03:04:05.000Z',
        reason: 'first',
      });
      // Recording the binding in force again adds nothing.
      await store.record('P-1', { serial: 'X', proto: 1 });
      expect((await store.record('P-1', { serial: 'X', proto: 2 })).reason).toBe('rebind');
      expect((await store.history('P-1')).map((b) => b.proto)).toEqual([1, 2]);
      const db = store.store.db;
      await expect(sql`UPDATE generator_bindings SET serial = 'Y'`.execute(db)).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM generator_bindings`.execute(db)).rejects.toThrow(/append-only/);
      if (kind === 'postgres')
        await expect(sql`TRUNCATE generator_bindings`.execute(db)).rejects.toThrow(/append-only/);
      expect(await store.current('P-1')).toMatchObject({ serial: 'X', proto: 2 });
    } finally {
      await store.close();
    }
    // Reopened: the history is all there.
    const again = await GeneratorBindingStore.open(where);
    try {
      expect((await again.history('P-1')).map((b) => [b.serial, b.proto, b.reason])).toEqual([
        ['X', 1, 'first'],
        ['X', 2, 'rebind'],
      ]);
    } finally {
      await again.close();
    }
  });

  it('refuses a patient id that is not pseudonymous', async () => {
    const store = await GeneratorBindingStore.open(await target(kind));
    try {
      await expect(store.current('Jane Doe')).rejects.toThrow(/pseudonymous/);
    } finally {
      await store.close();
    }
  });

  it('H13 across restarts through scs script --database-url / --data-dir: another generator is blocked', async () => {
    const where = await target(kind);
    const flags = where.databaseUrl ? ['--database-url', where.databaseUrl] : ['--data-dir', where.dataDir!];
    const first = await runWith(flags, 'SIM-000111', PROGRAM);
    expect(first.map((r) => r.accepted)).toEqual([true, true]);
    const other = await runWith(flags, 'SIM-000222', 'rate 55\nstop\n');
    expect(other[0]).toMatchObject({ accepted: false, state: 'blocked' });
    expect(other[1]).toMatchObject({ command: 'stop', accepted: true });
    const store = await GeneratorBindingStore.open(where);
    try {
      expect((await store.history('P-013')).map((b) => [b.serial, b.reason])).toEqual([['SIM-000111', 'first']]);
    } finally {
      await store.close();
    }
  });
});

describe('scs script --patient flags', () => {
  it('scs script refuses a bad --patient and --data-dir without --patient before running anything', async () => {
    const dir = tempDir();
    const file = path.join(dir, 's.scs');
    fs.writeFileSync(file, 'rate 45\n');
    const io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
    await expect(runScriptCommand([file, '--patient', 'Jane Doe', '--data-dir', dir], io)).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/pseudonymous/),
    });
    await expect(runScriptCommand([file, '--data-dir', dir], io)).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/--data-dir applies to --patient/),
    });
    expect(fs.existsSync(path.join(dir, 'scs.db'))).toBe(false);
  });
});
