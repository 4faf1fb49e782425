/**
 * Issue 17 on a real PostgreSQL server (test/pg): `scs db` commands, credentials never shown, foreign
 * and newer databases refused without a write, and the README's least-privileged role really cannot
 * change or delete entries.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { parseInstant } from '../../src/diary/instant.js';
import { freshDatabase, pgQuery } from '../pg/pg-database.js';
import { runScs } from '../reliability/run-scs.js';
import { cleanup, target } from './store-kinds.js';

afterEach(cleanup);

const nrs = (at: string, value: number) => ({
  at: parseInstant(at),
  recordedAt: null,
  phase: 'trial' as const,
  nrs: value,
  pdi: null,
  pdiDomains: null,
  activity: null,
  note: null,
});

const query = pgQuery;
const tables = async (url: string) =>
  (
    await query<{ t: string }>(
      url,
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    )
  ).map((r) => r.t);
const withPassword = (url: string, password: string) => url.replace('scs_admin@', `scs_admin:${password}@`);

describe('scs db on PostgreSQL', () => {
  it('status of an empty database is refused and creates nothing; init names the site; status reports store, schema version and site', async () => {
    const url = withPassword(await freshDatabase('dbcmd'), 'Secr3t-pw');
    const refused = await runScs(['db', 'status', '--database-url', url]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/no scs-companion store yet; create it with 'scs db migrate'/);
    expect(await tables(url)).toEqual([]);

    const init = await runScs(['db', 'init', '--site', 'centre-a', '--json'], { env: { SCS_DATABASE_URL: url } });
    expect(init.code).toBe(0);
    const status = await runScs(['db', 'status', '--json'], { env: { SCS_DATABASE_URL: url } });
    expect(status.code).toBe(0);
    const d = JSON.parse(status.out);
    expect(d).toMatchObject({ store: 'postgres', siteId: 'centre-a', schemaVersion: { diary: 3, 'diary-web': 1 } });
    for (const r of [refused, init, status]) expect(r.out + r.err).not.toContain('Secr3t-pw');
    expect(d.location).not.toContain('scs_admin');

    // A named site is named once; naming it the same again is fine.
    expect((await runScs(['db', 'init', '--site', 'centre-a', '--database-url', url])).code).toBe(0);
    const rename = await runScs(['db', 'init', '--site', 'centre-b', '--database-url', url]);
    expect(rename.code).toBe(1);
    expect(rename.err).toMatch(/already site 'centre-a'/);
    expect((await runScs(['db', 'init', '--site', 'bad name!', '--database-url', url])).code).toBe(1);
  });

  it('--database-url wins over $SCS_DATABASE_URL, and a driver error never shows the password', async () => {
    const url = await freshDatabase('wins');
    const bogus = 'postgres://someone:Hunter2-pw@127.0.0.1:1/nowhere';
    const ok = await runScs(['db', 'migrate', '--database-url', url, '--json'], { env: { SCS_DATABASE_URL: bogus } });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).store).toBe('postgres');
    const down = await runScs(['diary', 'show'], { env: { SCS_DATABASE_URL: bogus } });
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/cannot use the PostgreSQL database postgres:\/\/127\.0\.0\.1:1\/nowhere/);
    expect(down.err).not.toMatch(/Hunter2|someone/);
  });

  it('the diary CLI works on PostgreSQL and refuses a second NRS at the same instant', async () => {
    const url = await freshDatabase('cli');
    const env = { SCS_DATABASE_URL: url };
    expect(
      (
        await runScs(
          ['diary', 'add', '--patient', 'P-1', '--phase', 'trial', '--nrs', '4', '--at', '2024-03-01T08:00Z'],
          { env },
        )
      ).code,
    ).toBe(0);
    const dup = await runScs(
      ['diary', 'add', '--patient', 'P-1', '--phase', 'trial', '--nrs', '5', '--at', '2024-03-01T09:00+01:00'],
      { env },
    );
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/already has an NRS/);
    const shown = JSON.parse((await runScs(['diary', 'show', '--patient', 'P-1', '--json'], { env })).out);
    expect(shown.entries.map((e: { nrs: number }) => e.nrs)).toEqual([4]);
  });

  it('a database holding tables scs did not create is refused and left untouched', async () => {
    const url = await freshDatabase('foreign');
    await query(url, 'CREATE TABLE invoices (id INT PRIMARY KEY); INSERT INTO invoices VALUES (1)');
    const r = await runScs(['diary', 'add', '--patient', 'P-1', '--phase', 'trial', '--nrs', '4'], {
      env: { SCS_DATABASE_URL: url },
    });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/tables scs-companion did not create \(invoices\)/);
    expect(await tables(url)).toEqual(['invoices']);
  });

  it('a store written by a newer scs is refused and never written', async () => {
    const url = await freshDatabase('newer');
    const store = await DiaryStore.open({ databaseUrl: url });
    await store.add('P-1', nrs('2024-03-01T08:00Z', 4));
    await store.close();
    await query(url, 'UPDATE scs_store SET format_version = format_version + 1');
    const before = await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM diary_entries');
    await expect(DiaryStore.open({ databaseUrl: url })).rejects.toThrow(/newer scs-companion .* left untouched/);
    const r = await runScs(['diary', 'add', '--patient', 'P-1', '--phase', 'trial', '--nrs', '5'], {
      env: { SCS_DATABASE_URL: url },
    });
    expect(r.code).toBe(1);
    expect(await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM diary_entries')).toEqual(before);
  });

  it("the README's least-privileged role adds entries but cannot UPDATE or DELETE them (privileges, not only triggers)", async () => {
    const url = await freshDatabase('role');
    expect((await runScs(['db', 'migrate', '--database-url', url])).code).toBe(0);
    const readme = fs.readFileSync(path.resolve('README.md'), 'utf8');
    const block = /\*\*Least-privileged role\.\*\*[\s\S]*?```sql\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'README has the role SQL').toBeDefined();
    const role = `scs_app_${Math.random().toString(16).slice(2, 8)}`;
    const dbName = new URL(url).pathname.slice(1);
    await query(url, block!.replaceAll('scs_app', role).replace('ON DATABASE scs ', `ON DATABASE ${dbName} `));
    const appUrl = url.replace('scs_admin@', `${role}:change-me@`);
    const store = await DiaryStore.open({ databaseUrl: appUrl });
    try {
      const e = await store.add('P-1', nrs('2024-03-01T08:00Z', 4));
      await store.correct('P-1', e.id, nrs('2024-03-01T08:00Z', 3), 'misread');
      // Triggers dropped by a careless admin would not help the role: privileges refuse it first.
      await query(url, 'ALTER TABLE diary_entries DISABLE TRIGGER USER');
      await expect(sql`UPDATE diary_entries SET nrs = 0`.execute(store.store.db)).rejects.toThrow(/permission denied/);
      await expect(sql`DELETE FROM diary_entries`.execute(store.store.db)).rejects.toThrow(/permission denied/);
      expect((await store.history('P-1')).map((x) => x.nrs)).toEqual([4, 3]);
    } finally {
      await store.close();
    }
  });
});

describe('scs db on the SQLite file', () => {
  it('status says SQLite, the schema version and the site; status never creates the file', async () => {
    const { dataDir } = await target('sqlite');
    const missing = await runScs(['db', 'status', '--data-dir', dataDir!]);
    expect(missing.code).toBe(1);
    expect(fs.existsSync(path.join(dataDir!, 'scs.db'))).toBe(false);
    expect((await runScs(['db', 'init', '--site', 'centre-s', '--data-dir', dataDir!])).code).toBe(0);
    const d = JSON.parse((await runScs(['db', 'status', '--json', '--data-dir', dataDir!])).out);
    expect(d).toMatchObject({
      store: 'sqlite',
      siteId: 'centre-s',
      schemaVersion: { diary: 3, 'diary-web': 1, outcomes: expect.any(Number), 'generator-binding': 1 },
    });
    expect(d.location).toBe(path.join(dataDir!, 'scs.db'));
  });
});
