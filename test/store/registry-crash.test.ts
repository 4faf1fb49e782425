/**
 * Issue 17's store contract for the outcomes registry and the generator bindings: SIGKILL in the
 * middle of writes loses no acknowledged write, on the SQLite file and on PostgreSQL (there the
 * writer dies, the server lives on). Each write is acknowledged only after its transaction returned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutcomeRegistry } from '../../src/outcomes/outcome-registry.js';
import { GeneratorBindingStore } from '../../src/session/generator-binding-store.js';
import { killTrackedChildren } from '../helpers/child-registry.js';
import { bundleWriter, runUntilKilled } from '../reliability/kill-writer.js';
import { STORE_KINDS, cleanup, target, targetArg } from './store-kinds.js';

const KILLS = 3;
let writer: string;
beforeAll(() => {
  writer = bundleWriter('test/fixtures/registry/registry-writer.ts');
});
afterAll(() => {
  // A run cut short by its time limit leaves no writer behind.
  killTrackedChildren();
  cleanup();
});

describe.each(STORE_KINDS)('registry and bindings on %s: SIGKILL during writes', (kind) => {
  it(`loses no acknowledged patient, visit or binding over ${KILLS} kills`, { timeout: 180_000 }, async () => {
    const where = await target(kind);
    const acked: string[][] = [];
    for (let run = 0; run < KILLS; run++) {
      const { acks } = await runUntilKilled(writer, [targetArg(where), String(run)], {
        acks: 6 + Math.floor(Math.random() * 90),
      });
      expect(acks.length).toBeGreaterThan(0);
      acked.push(...acks);
    }
    const registry = await OutcomeRegistry.open(where);
    const bindings = await GeneratorBindingStore.open(where);
    try {
      if (kind === 'sqlite') expect(registry.store.sqlite!.pragma('integrity_check', { simple: true })).toBe('ok');
      const followUps = await registry.followUpsByPatient();
      for (const [what, id, value] of acked) {
        if (what === 'patient') expect(await registry.getPatient(id!), id).toBeDefined();
        if (what === 'followup') expect(followUps.get(id!)?.[0]?.nrs, id).toBe(Number(value));
      }
      for (let run = 0; run < KILLS; run++) {
        const serials = (await bindings.history(`B${run}`)).map((b) => b.serial);
        const ackedSerials = acked.filter(([w, p]) => w === 'binding' && p === `B${run}`).map((a) => a[2]);
        // Every acknowledged binding is stored, in order; at most one more (committed, killed before its ack).
        expect(serials.slice(0, ackedSerials.length)).toEqual(ackedSerials);
        expect(serials.length - ackedSerials.length).toBeLessThanOrEqual(1);
      }
    } finally {
      await registry.close();
      await bindings.close();
    }
  });
});
