import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../firmware-sim/fault-injector.js';
import { killTrackedChildren } from '../helpers/child-registry.js';
import { bundleWriter, checkSurvivors, writeUntilKilled } from './kill-writer.js';

/**
 * ≥100 SIGKILLs of a diary writer in the middle of its writes. Several lanes run in parallel, each
 * on its own data directory, killing one writer after another on it; after every kill the store is
 * reopened: every acknowledged entry is there, unchanged, imports are all or nothing, and
 * `PRAGMA integrity_check` says ok. Some kills land while the writer is still opening (creating or
 * migrating) the database. CRASH_SEED replays the kill moments. The time limit is generous: on a busy
 * machine each of the hundred children starts slowly (no timing is asserted).
 */

const KILLS = 100;
const LANES = 6;
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const dirs: string[] = [];
let writer: string;
beforeAll(() => {
  writer = bundleWriter();
});
afterAll(() => {
  // A run cut short by its time limit leaves no writer behind.
  killTrackedChildren();
  fs.rmSync(writer, { force: true });
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe(`crash durability: ${KILLS} SIGKILLs mid-write (seed ${SEED})`, () => {
  it('loses no acknowledged diary entry and leaves SQLite intact after every kill', { timeout: 300_000 }, async () => {
    const random = seededRandom(SEED);
    const totals = { kills: 0, acknowledged: 0, beforeReady: 0, amongWrites: 0, checks: 0 };
    const lane = async (laneNo: number, kills: number) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `scs-kill-${laneNo}-`));
      dirs.push(dir);
      const acknowledged = new Map<number, string>();
      for (let k = 0; k < kills; k++) {
        // One kill in ten at any moment from spawn (often inside open/migrations); the rest 0–150 ms after
        // the first acknowledged write, so they land among writes however slowly a busy machine runs them.
        const early = random() < 0.1;
        const delay = early ? Math.floor(random() * 150) : Math.floor(random() * 150);
        const result = await writeUntilKilled(writer, dir, k, delay, !early);
        totals.kills++;
        if (result.beforeReady) totals.beforeReady++;
        if (result.acks.size > 0) totals.amongWrites++;
        for (const [id, at] of result.acks) acknowledged.set(id, at);
        const check = await checkSurvivors(dir, acknowledged);
        totals.checks++;
        expect(check.integrity, `lane ${laneNo} kill ${k}`).toBe('ok');
        expect(check.lost, `lane ${laneNo} kill ${k}: acknowledged entries lost`).toEqual([]);
        expect(check.splitImports, `lane ${laneNo} kill ${k}: an import was split`).toBe(0);
      }
      totals.acknowledged += acknowledged.size;
    };
    await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i, Math.ceil(KILLS / LANES))));
    expect(totals.kills).toBeGreaterThanOrEqual(KILLS);
    expect(totals.checks).toBe(totals.kills);
    // The kills must land among writes, not only before them: all but the early ones came after a write.
    expect(totals.amongWrites).toBeGreaterThanOrEqual(totals.kills * 0.75);
    console.log(
      `crash durability: ${totals.kills} kills (${totals.beforeReady} before the store was open, ${totals.amongWrites} among writes), ${totals.acknowledged} acknowledged entries, all present`,
    );
  });
});
