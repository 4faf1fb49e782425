/**
 * Crash safety of `scs diary serve`: SIGKILL in the middle of a burst of submissions. Every entry the
 * server answered 2xx must be in the store exactly once afterwards (it was committed, WAL +
 * synchronous=FULL, before the answer); the file passes integrity_check; and when the phones send
 * everything again to a restarted server, nothing is stored twice.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PhoneEntry, enrolPhone, phoneEntry, postEntry } from '../../bench/lib/web-diary-client.js';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { invite, startServer, startTrial, tempDataDir, webEntries } from './web-helpers.js';

const PATIENTS = ['C-1', 'C-2', 'C-3', 'C-4'];
const RATE = ['--rate-per-address', '100000', '--rate-per-session', '100000'];
let dir: string;

beforeAll(() => {
  dir = tempDataDir();
  for (const p of PATIENTS) startTrial(dir, p);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('diary server killed with SIGKILL during a burst', () => {
  it('loses no entry answered 2xx and stores none twice, over 3 kills', async () => {
    let server = await startServer(dir, RATE);
    const cookies = new Map<string, string>();
    for (const p of PATIENTS) cookies.set(p, await enrolPhone(invite(dir, p, server.baseUrl)));
    const sent = new Map<string, PhoneEntry[]>(PATIENTS.map((p) => [p, []]));
    const acknowledged = new Set<string>();
    let n = 0;
    for (let round = 0; round < 3; round++) {
      // Phones keep sending (8 at a time) until the server dies under them.
      let alive = true;
      const phone = async (patient: string) => {
        while (alive) {
          const entry = phoneEntry(n % 11, ++n * 1000);
          sent.get(patient)!.push(entry);
          const r = await postEntry(server.baseUrl, cookies.get(patient)!, entry);
          if (r.status === 201 || r.status === 200) acknowledged.add(entry.id);
          else if (r.status === 0) return;
          else throw new Error(`unexpected answer ${r.status}`);
        }
      };
      const phones = [...PATIENTS, ...PATIENTS].map(phone);
      const before = acknowledged.size;
      while (acknowledged.size < before + 40) await new Promise((r) => setTimeout(r, 5));
      server.child.kill('SIGKILL');
      await server.exited;
      alive = false;
      await Promise.all(phones);

      // After the kill: every acknowledged entry is there, once.
      const stored = (await Promise.all(PATIENTS.map((p) => webEntries(dir, p)))).flat();
      const ids = stored.map((e) => e.uuid);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of acknowledged) expect(ids).toContain(id);
      const check = await DiaryStore.open({ dataDir: dir, mustExist: true });
      expect(check.db.pragma('integrity_check', { simple: true })).toBe('ok');
      await check.close();
      server = await startServer(dir, RATE);
    }
    // The phones resend everything they ever sent (answered or not): each is stored exactly once.
    for (const p of PATIENTS) {
      for (const entry of sent.get(p)!) {
        const r = await postEntry(server.baseUrl, cookies.get(p)!, entry);
        expect([200, 201]).toContain(r.status);
      }
    }
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    for (const p of PATIENTS) {
      const stored = await webEntries(dir, p);
      expect(stored.map((e) => e.uuid).sort()).toEqual(
        sent
          .get(p)!
          .map((e) => e.id)
          .sort(),
      );
    }
    expect(acknowledged.size).toBeGreaterThanOrEqual(120);
  }, 180_000);
});
