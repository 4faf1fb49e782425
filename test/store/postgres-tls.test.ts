/**
 * Issue 17: TLS to the server. A throwaway PostgreSQL server listens on 127.0.0.1 with ssl=on and a
 * certificate for localhost signed by a CA made with openssl for this test; `sslmode=verify-full` with
 * `sslrootcert` naming that CA connects (and the session really is encrypted), another CA is refused
 * with a clear error and nothing is written, and the password in the URL never reaches the output.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlStore } from '../../src/store/sql-store.js';
import { makeTestCa, type TestCa } from '../pg/test-ca.js';
import { pgQuery } from '../pg/pg-database.js';
import { type ThrowawayServer, startThrowawayServer } from '../pg/throwaway-server.js';
import { runScs } from '../reliability/run-scs.js';

const PASSWORD = 'TlsS3cret-pw';
let dir: string;
let server: ThrowawayServer;
let good: TestCa;
let other: TestCa;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-tls-'));
  good = makeTestCa(dir, 'clinic');
  other = makeTestCa(dir, 'someone-else');
  server = startThrowawayServer({ tls: { port: await freePort(), cert: good.serverCert, key: good.serverKey } });
}, 120_000);
afterAll(() => {
  server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** URL of a fresh database over TCP to localhost, verify-full against `ca`, with a password in it. */
async function tlsUrl(name: string, ca: string): Promise<string> {
  await server.createDatabase(name);
  const q = new URLSearchParams({ sslmode: 'verify-full', sslrootcert: ca });
  return `postgres://scs_admin:${PASSWORD}@localhost:${server.tcpPort}/${name}?${q}`;
}

describe('PostgreSQL over TLS (sslmode=verify-full)', () => {
  it('connects with the CA that signed the server certificate, and the session is encrypted', async () => {
    const url = await tlsUrl('tls_ok', good.caCert);
    const runs = [
      await runScs(['db', 'init', '--site', 'centre-tls', '--database-url', url]),
      await runScs(['db', 'status', '--json'], { env: { SCS_DATABASE_URL: url } }),
      await runScs(['db', 'status'], { env: { SCS_DATABASE_URL: url } }),
    ];
    for (const r of runs) expect(r.code, r.err).toBe(0);
    const status = JSON.parse(runs[1]!.out);
    expect(status).toMatchObject({ store: 'postgres', siteId: 'centre-tls' });
    expect(status.location).toBe(`postgres://localhost:${server.tcpPort}/tls_ok?sslmode=verify-full`);
    const store = await openSqlStore({ databaseUrl: url, mustExist: true });
    try {
      const { rows } = await sql<{
        ssl: boolean;
      }>`SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`.execute(store.db);
      expect(rows).toEqual([{ ssl: true }]);
    } finally {
      await store.close();
    }
    for (const r of runs) expect(r.out + r.err).not.toContain(PASSWORD);
  });

  it('refuses a server whose certificate another CA signed, says why, and writes nothing', async () => {
    const url = await tlsUrl('tls_wrong_ca', other.caCert);
    const r = await runScs(['db', 'migrate', '--database-url', url]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /cannot use the PostgreSQL database postgres:\/\/localhost:\d+\/tls_wrong_ca\?sslmode=verify-full/,
    );
    expect(r.err).toMatch(/certificate/);
    expect(r.err).toMatch(/sslrootcert/);
    expect(r.out + r.err).not.toContain(PASSWORD);
    const tables = await pgQuery(
      server.urlFor('tls_wrong_ca'),
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables).toEqual([]);
  });

  it('a CA file that does not exist is a clear error, not a crash', async () => {
    const url = await tlsUrl('tls_no_ca', path.join(dir, 'missing-ca.pem'));
    const r = await runScs(['db', 'status', '--database-url', url]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/missing-ca\.pem/);
    expect(r.out + r.err).not.toContain(PASSWORD);
  });
});
