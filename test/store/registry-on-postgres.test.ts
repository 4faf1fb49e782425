/**
 * Issue 17: the outcomes registry and the generator bindings on PostgreSQL through the commands a
 * person types (`--database-url` / $SCS_DATABASE_URL): they work, `scs db status` counts their
 * schema, a foreign or newer database is refused before any write, credentials never show, and the
 * README's least-privileged role can add but never change or delete bindings and visits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { OutcomeRegistry } from '../../src/outcomes/outcome-registry.js';
import { GeneratorBindingStore } from '../../src/session/generator-binding-store.js';
import { freshDatabase, pgQuery } from '../pg/pg-database.js';
import { runScs } from '../reliability/run-scs.js';
import { cleanup } from './store-kinds.js';

afterEach(cleanup);

const query = pgQuery;

const ADD = ['patient', 'add', '--patient', 'P-7', '--sex', 'F', '--age', '61', '--location', 'T9', '--side', 'L'];

describe('the registry and the bindings on PostgreSQL', () => {
  it('scs patient / followup / cohort work with --database-url; db status counts every component; no password shown', async () => {
    const url = (await freshDatabase('registry')).replace('scs_admin@', 'scs_admin:Sw0rdfish-pw@');
    const runs = [
      await runScs(['db', 'migrate', '--database-url', url]),
      await runScs([...ADD, '--duration-months', '30', '--database-url', url]),
      await runScs(['followup', 'add', '--patient', 'P-7', '--visit', 'baseline', '--nrs', '8'], {
        env: { SCS_DATABASE_URL: url },
      }),
      await runScs(['followup', 'add', '--patient', 'P-7', '--visit', '12m', '--nrs', '4', '--database-url', url]),
    ];
    for (const r of runs) expect(r.code, r.err).toBe(0);
    const shown = await runScs(['patient', 'show', '--patient', 'P-7', '--json', '--database-url', url]);
    const record = JSON.parse(shown.out);
    expect(record.followUps.map((f: { reliefPercent: number | null }) => f.reliefPercent)).toEqual([null, 50]);
    expect(record.site).toMatch(/^site-[0-9a-f]{16}$/);
    const dup = await runScs([
      'followup',
      'add',
      '--patient',
      'P-7',
      '--visit',
      '12m',
      '--nrs',
      '3',
      '--database-url',
      url,
    ]);
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/already has a 12m visit/);
    const status = await runScs(['db', 'status', '--json', '--database-url', url]);
    expect(JSON.parse(status.out).schemaVersion).toEqual({
      diary: 3,
      'diary-web': 1,
      'generator-binding': 1,
      outcomes: 2,
      'site-cohort': 1,
    });
    for (const r of [...runs, shown, dup, status]) expect(r.out + r.err).not.toContain('Sw0rdfish');
    // Nothing went to a SQLite file: the server holds it.
    expect(await query(url, 'SELECT id FROM outcome_patients')).toEqual([{ id: 'P-7' }]);
  });

  it('a database with tables scs did not create is refused by scs patient add and left untouched', async () => {
    const url = await freshDatabase('foreign');
    await query(url, 'CREATE TABLE invoices (id INT PRIMARY KEY)');
    const r = await runScs([...ADD, '--duration-months', '30', '--database-url', url]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/tables scs-companion did not create \(invoices\)/);
    const left = await query<{ t: string }>(
      url,
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(left).toEqual([{ t: 'invoices' }]);
  });

  it('a store from a newer scs is refused by the registry and the bindings, and never written', async () => {
    const url = await freshDatabase('newer');
    const registry = await OutcomeRegistry.open({ databaseUrl: url });
    await registry.close();
    await (await GeneratorBindingStore.open({ databaseUrl: url })).close();
    await query(url, 'UPDATE scs_store SET format_version = format_version + 1');
    await expect(OutcomeRegistry.open({ databaseUrl: url })).rejects.toThrow(/newer scs-companion .* left untouched/);
    await expect(GeneratorBindingStore.open({ databaseUrl: url })).rejects.toThrow(/newer scs-companion/);
    const r = await runScs([...ADD, '--duration-months', '30', '--database-url', url]);
    expect(r.code).toBe(1);
    expect(await query(url, 'SELECT id FROM outcome_patients')).toEqual([]);
  });

  it("the README's least-privileged role records visits and bindings but cannot UPDATE or DELETE them", async () => {
    const url = await freshDatabase('role2');
    expect((await runScs(['db', 'migrate', '--database-url', url])).code).toBe(0);
    const readme = fs.readFileSync(path.resolve('README.md'), 'utf8');
    const block = /\*\*Least-privileged role\.\*\*[\s\S]*?```sql\n([\s\S]*?)```/.exec(readme)?.[1];
    const role = `scs_app_${Math.random().toString(16).slice(2, 8)}`;
    const dbName = new URL(url).pathname.slice(1);
    await query(url, block!.replaceAll('scs_app', role).replace('ON DATABASE scs ', `ON DATABASE ${dbName} `));
    const appUrl = url.replace('scs_admin@', `${role}:change-me@`);
    for (const argv of [
      [...ADD, '--duration-months', '30'],
      ['patient', 'update', '--patient', 'P-7', '--hospital-days', '12'],
      ['followup', 'add', '--patient', 'P-7', '--visit', 'baseline', '--nrs', '8'],
    ]) {
      const r = await runScs([...argv, '--database-url', appUrl]);
      expect(r.code, r.err).toBe(0);
    }
    const bindings = await GeneratorBindingStore.open({ databaseUrl: appUrl });
    try {
      await bindings.record('P-7', { serial: 'IPG-1', proto: 2 });
      await query(url, 'ALTER TABLE generator_bindings DISABLE TRIGGER USER');
      const db = bindings.store.db;
      await expect(sql`UPDATE generator_bindings SET serial = 'X'`.execute(db)).rejects.toThrow(/permission denied/);
      await expect(sql`DELETE FROM generator_bindings`.execute(db)).rejects.toThrow(/permission denied/);
      await expect(sql`DELETE FROM outcome_followups`.execute(db)).rejects.toThrow(/permission denied/);
      expect((await bindings.history('P-7')).map((b) => b.serial)).toEqual(['IPG-1']);
    } finally {
      await bindings.close();
    }
  });
});
