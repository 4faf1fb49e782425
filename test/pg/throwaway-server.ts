/**
 * A throwaway PostgreSQL server for tests and benchmarks: `initdb` a cluster in a temporary directory,
 * listening only on a Unix socket in that directory (no TCP port), run as an unprivileged user when we
 * are root (initdb refuses root), stopped and deleted by `stop()`. The binaries come from
 * scripts/ensure-postgresql.sh (Debian's `postgresql`, installed with apt-get when missing).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface ThrowawayServer {
  /** Superuser URL of the maintenance database `postgres` (Unix socket, trust auth). */
  adminUrl: string;
  /** With `tls`: the TCP port on 127.0.0.1 where the server also listens, TLS on. */
  tcpPort: number | undefined;
  /** URL of database `name` for the same superuser. */
  urlFor(name: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown) but keeps the cluster, for outage tests. */
  pause(): void;
  /** Starts it again after pause(). */
  resume(): void;
  /** Stops the server and deletes the cluster. Safe to call twice. */
  stop(): void;
}

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SUPERUSER = 'scs_admin';

function binDir(): string {
  return execFileSync('bash', [path.join(ROOT, 'scripts', 'ensure-postgresql.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
  }).trim();
}

/** The user the server runs as: ourselves, or `postgres` (else `nobody`) when we are root. */
function runAs(): { user: string | null; uid: number; gid: number } {
  if (process.getuid?.() !== 0) return { user: null, uid: -1, gid: -1 };
  for (const user of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      return { user, uid, gid };
    } catch {
      // no such user: try the next one
    }
  }
  throw new Error('running as root and neither user postgres nor nobody exists to run the PostgreSQL server as');
}

/**
 * A detached watchdog that stops the server and deletes the cluster as soon as `owner` is gone, however
 * it ended (finished, killed, crashed): a test run can never leave a server behind. It polls once a
 * second and ends with the owner.
 */
function watchOwner(owner: number, bin: string, user: string | null, data: string, dir: string): void {
  const pgCtl = [path.join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']
    .map((a) => `'${a}'`)
    .join(' ');
  const stop = user ? `runuser -u ${user} -- ${pgCtl}` : pgCtl;
  const script = `while kill -0 ${owner} 2>/dev/null; do sleep 1; done; if [ -d '${data}' ]; then ${stop} >/dev/null 2>&1; rm -rf '${dir}'; fi`;
  spawn('bash', ['-c', script], { detached: true, stdio: 'ignore' }).unref();
}

export interface ThrowawayOptions {
  fsync?: boolean;
  /**
   * Also listen on 127.0.0.1:`port` with ssl=on, serving `cert` and `key` (PEM files; copied into the
   * cluster's directory, readable by the server's user only). PostgreSQL speaks TLS over TCP only.
   */
  tls?: { port: number; cert: string; key: string };
}

export function startThrowawayServer(options: ThrowawayOptions = {}): ThrowawayServer {
  const bin = binDir();
  const who = runAs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-pg-'));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  if (who.user) {
    fs.chmodSync(dir, 0o700);
    fs.chownSync(dir, who.uid, who.gid);
  }
  const run = (cmd: string, args: string[]) => {
    const file = path.join(bin, cmd);
    const [exe, argv] = who.user ? ['runuser', ['-u', who.user, '--', file, ...args]] : [file, args];
    try {
      execFileSync(exe, argv, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    } catch (err) {
      const e = err as { stderr?: Buffer; stdout?: Buffer; message: string };
      let tail = '';
      try {
        tail = fs.readFileSync(log, 'utf8').slice(-2000);
      } catch {
        // no log yet
      }
      throw new Error(
        `${cmd} failed: ${e.message}\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}${tail}`,
        { cause: err },
      );
    }
  };
  run('initdb', ['-D', data, '-U', SUPERUSER, '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const serverOptions = [
    `-k ${dir}`,
    `-c listen_addresses='${options.tls ? '127.0.0.1' : ''}'`,
    '-c max_connections=60',
    `-c fsync=${options.fsync ? 'on' : 'off'}`,
    ...(options.tls ? tlsOptions(options.tls, dir, who) : []),
  ].join(' ');
  let running = false;
  const start = () => {
    if (running) return;
    run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', serverOptions, 'start']);
    running = true;
  };
  const pause = () => {
    if (!running) return;
    running = false;
    run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  };
  start();
  watchOwner(process.pid, bin, who.user, data, dir);
  const port = options.tls ? `:${options.tls.port}` : '';
  const urlFor = (name: string) => `postgres://${SUPERUSER}@localhost${port}/${name}?host=${encodeURIComponent(dir)}`;
  let stopped = false;
  return {
    adminUrl: urlFor('postgres'),
    tcpPort: options.tls?.port,
    urlFor,
    async createDatabase(name: string) {
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    },
    pause,
    resume: start,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        pause();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The server's TLS settings; its certificate and key copied where only the server's user reads them. */
function tlsOptions(
  tls: { port: number; cert: string; key: string },
  dir: string,
  who: { user: string | null; uid: number; gid: number },
): string[] {
  const files = { cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key') };
  fs.copyFileSync(tls.cert, files.cert);
  fs.copyFileSync(tls.key, files.key);
  for (const f of [files.cert, files.key]) {
    fs.chmodSync(f, 0o600); // the server refuses a key others can read
    if (who.user) fs.chownSync(f, who.uid, who.gid);
  }
  return [`-p ${tls.port}`, '-c ssl=on', `-c ssl_cert_file=${files.cert}`, `-c ssl_key_file=${files.key}`];
}
