import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshDatabase } from './pg-database.js';

// The test server itself: a real PostgreSQL, reachable only through its Unix socket, never as root.
describe('throwaway PostgreSQL server for the tests', () => {
  it('is a real server on a Unix socket with no TCP listener, run by an unprivileged user', async () => {
    const url = await freshDatabase('infra');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: string; listen: string; dir: string }>(
        "SELECT version() AS version, current_setting('listen_addresses') AS listen, current_setting('unix_socket_directories') AS dir",
      );
      expect(rows[0]!.version).toMatch(/^PostgreSQL \d+/);
      expect(rows[0]!.listen).toBe('');
      expect(new URL(url).searchParams.get('host')).toBe(rows[0]!.dir);
      // The data directory belongs to the server's user; when the tests run as root that is not root.
      const owner = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const { statSync } = await import('node:fs');
      const uid = statSync(`/proc/${owner.rows[0]!.pid}`).uid;
      if (process.getuid?.() === 0) expect(uid).not.toBe(0);
      else expect(uid).toBe(process.getuid?.());
    } finally {
      await client.end();
    }
  });

  it('gives each caller its own empty database', async () => {
    const [a, b] = await Promise.all([freshDatabase('a'), freshDatabase('b')]);
    expect(a).not.toBe(b);
    const client = new pg.Client({ connectionString: a });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  });
});
