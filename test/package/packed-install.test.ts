import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packAndInstall, ROOT, type PackedInstall } from '../helpers/packed-install.js';

/**
 * Issue 15: the package as a clinic installs it. `npm pack` (prepack builds the bundle), then
 * `npm install -g --prefix TMP scs-companion-X.tgz`, then the installed `scs` run from outside the
 * checkout with nothing that could load tsx or the sources.
 */

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  devDependencies: Record<string, string>;
};
let installed: PackedInstall;

function scs(args: string[], timeout = 60_000) {
  const r = spawnSync(installed.scs, args, {
    cwd: installed.dir,
    env: installed.env,
    encoding: 'utf8',
    timeout,
    killSignal: 'SIGKILL',
  });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

describe('packed and installed with npm install -g', () => {
  beforeAll(() => {
    installed = packAndInstall();
  }, 10 * 60_000);
  afterAll(() => installed?.remove());

  it('the tarball holds bin/, the bundle and package metadata only', () => {
    const entries = spawnSync('tar', ['-tzf', installed.tarball], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(entries).toContain('package/bin/scs.js');
    expect(entries).toContain('package/dist/scs.mjs');
    expect(entries).toContain('package/package.json');
    const unexpected = entries.filter(
      (e) => !/^package\/(package\.json|README\.md|LICENSE|bin\/scs\.js|dist\/[\w/.-]+\.mjs)$/.test(e),
    );
    expect(unexpected).toEqual([]);
  });

  it('installs without the sources and without any dev dependency (no tsx, no esbuild)', () => {
    expect(fs.existsSync(path.join(installed.packageDir, 'src'))).toBe(false);
    const present = Object.keys(pkg.devDependencies).filter((d) =>
      fs.existsSync(path.join(installed.packageDir, 'node_modules', d)),
    );
    expect(present).toEqual([]);
  });

  it('scs --version prints the package version', () => {
    const r = scs(['--version']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`scs-companion ${pkg.version}\n`);
  });

  it('scs diary evaluate --file … --json decides the fixture by the criterion (pass: 48 h at ≥30 %, PDI improved)', () => {
    const r = scs(['diary', 'evaluate', '--file', path.join(ROOT, 'test/fixtures/diary/pass.csv'), '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    // Baseline 20/3; the run from 30 March 08:00+01:00 to 1 April 09:00+02:00 spans exactly 48 h.
    expect(json).toMatchObject({ verdict: 'pass', pain: { met: true, bestRunHours: 48 }, activity: { met: true } });
  });

  it('scs script runs a short session against the built-in simulator', () => {
    const file = path.join(installed.dir, 'short.scs');
    fs.writeFileSync(file, 'electrodes 1- 2+\nrate 55\npw 300\n');
    const r = scs(['script', file, '--json']);
    expect(r.code).toBe(0);
    const steps = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(steps.map((s) => [s.line, s.accepted])).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
    // Read back from the generator: contact 1 cathode, 2 anode; 55 Hz and 300 µs lie inside 40–60 Hz and 200–500 µs.
    expect(steps[2].generator).toMatchObject({ contacts: '-+000000', rateHz: 55, pulseWidthUs: 300, output: 'off' });
  });

  it('scs sim with an impossible --link says why and exits 1 without hanging', () => {
    const r = scs(['sim', '--link', '/nonexistent/dir/gen'], 20_000);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.err).toContain('/nonexistent/dir does not exist');
  });

  it('without the optional node-pty, scs sim names the missing piece and the rest still works', () => {
    const pty = path.join(installed.packageDir, 'node_modules', 'node-pty');
    fs.rmSync(pty, { recursive: true, force: true });
    const r = scs(['sim'], 20_000);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^scs: scs sim needs node-pty .* optional dependency/);
    expect(r.err).not.toContain('internal error');
    expect(scs(['--version']).code).toBe(0);
    // The built-in simulator runs in-process, not on a pty: a scripted session still works.
    const file = path.join(installed.dir, 'no-pty.scs');
    fs.writeFileSync(file, 'electrodes 1- 2+\n');
    const script = scs(['script', file, '--json']);
    expect(script.code).toBe(0);
    expect(JSON.parse(script.out.trim())).toMatchObject({
      line: 1,
      accepted: true,
      generator: { contacts: '-+000000' },
    });
  });
});
