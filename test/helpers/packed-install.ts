import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm pack` the project and `npm install -g --prefix TMP` the tarball, as a clinic's IT person
 * would. Shared by the packed-install test and the start-up benchmark.
 *
 * The pack runs in a copy of the project's files (with node_modules linked), so its `prepack` build
 * never rewrites the checkout's dist/ under a test or benchmark that is running it. The install is a
 * real one from the registry (or npm's cache), bounded by a timeout; only better-sqlite3 gets the
 * checkout's own compiled addon as a local prebuild (prebuild-install's offline mechanism) instead of
 * compiling SQLite again, which takes minutes on a busy machine (docs/ENGINEERING-NOTES.md).
 */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What `npm pack` needs from the project: package metadata, the entry point, the build and its inputs. */
const PACKED_INPUTS = [
  'package.json',
  'package-lock.json',
  'README.md',
  'tsconfig.json',
  'bin',
  'scripts',
  'src',
  'protocol',
  'firmware-sim',
];

export interface PackedInstall {
  /** Temporary directory holding everything below; `remove()` deletes it. */
  dir: string;
  tarball: string;
  prefix: string;
  /** The installed package: PREFIX/lib/node_modules/scs-companion. */
  packageDir: string;
  /** The installed command: PREFIX/bin/scs. */
  scs: string;
  /** Environment for running the installed `scs`: its bin first on PATH, nothing that loads tsx. */
  env: NodeJS.ProcessEnv;
  remove(): void;
}

function run(command: string, args: string[], options: SpawnSyncOptions & { timeout: number }): string {
  const r = spawnSync(command, args, { encoding: 'utf8', killSignal: 'SIGKILL', ...options });
  if (r.status !== 0) {
    const why = r.signal ? `killed (${r.signal}) after ${options.timeout} ms` : `exit ${r.status}`;
    throw new Error(`${command} ${args.join(' ')}: ${why}\n${String(r.stderr ?? '').slice(-4000)}`);
  }
  return String(r.stdout);
}

/** A local prebuild of better-sqlite3 from the checkout's compiled addon, if it loads on this node. */
function betterSqlitePrebuild(dir: string): Record<string, string> {
  const module = path.join(ROOT, 'node_modules', 'better-sqlite3');
  const addon = path.join(module, 'build', 'Release', 'better_sqlite3.node');
  if (!fs.existsSync(addon)) return {};
  const loads = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
    cwd: ROOT,
    timeout: 30_000,
  });
  if (loads.status !== 0) return {};
  const { version } = JSON.parse(fs.readFileSync(path.join(module, 'package.json'), 'utf8')) as { version: string };
  const prebuilds = path.join(dir, 'prebuilds');
  fs.mkdirSync(prebuilds);
  // prebuild-install's file name: {name}-v{version}-{runtime}-v{abi}-{platform}{libc}-{arch}.tar.gz (glibc: empty libc).
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  run('tar', ['-czf', path.join(prebuilds, name), '-C', module, 'build/Release/better_sqlite3.node'], {
    timeout: 60_000,
  });
  return { npm_config_better_sqlite3_local_prebuilds: prebuilds };
}

/** Environment without anything that would make node load tsx or the checkout's modules. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const key of ['NODE_OPTIONS', 'NODE_PATH', 'TSX_TSCONFIG_PATH', 'VITEST', 'VITEST_WORKER_ID', 'VITEST_POOL_ID'])
    delete env[key];
  return env;
}

export function packAndInstall(options: { timeoutMs?: number } = {}): PackedInstall {
  const timeout = options.timeoutMs ?? 8 * 60_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-packed-'));
  // Retries: a just-exited scs may still be releasing files under the prefix.
  const remove = () => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  try {
    const project = path.join(dir, 'project');
    for (const entry of PACKED_INPUTS)
      fs.cpSync(path.join(ROOT, entry), path.join(project, entry), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
    const packed = JSON.parse(
      run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: project, timeout, env: cleanEnv() }),
    ) as { filename: string }[];
    const tarball = path.join(dir, packed[0]!.filename);
    const prefix = path.join(dir, 'prefix');
    const installEnv = cleanEnv(betterSqlitePrebuild(dir));
    run(
      'npm',
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        tarball,
      ],
      { cwd: dir, timeout, env: installEnv },
    );
    const env = cleanEnv({ PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`, CI: '' });
    return {
      dir,
      tarball,
      prefix,
      packageDir: path.join(prefix, 'lib', 'node_modules', 'scs-companion'),
      scs: path.join(prefix, 'bin', 'scs'),
      env,
      remove,
    };
  } catch (error) {
    remove();
    throw error;
  }
}
