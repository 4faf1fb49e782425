import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { defaultImpedance } from '../../firmware-sim/generator-config.js';
import { runScriptCommand } from '../../src/cli/script-command.js';
import { openGeneratorLink } from '../../src/link/open-link.js';

/**
 * `scs script --json` (issue 19): every command line carries `chargeDensity` with the documented keys
 * (README): the most loaded contact, its share, its density next to the limit, and the basis. The
 * simulator's default impedances differ per contact, so two contacts of a polarity share unevenly.
 */

describe('scs script --json: chargeDensity', () => {
  it('reports the worst case before the impedance check and the measured share after it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-json-density-'));
    const file = path.join(dir, 's.scs');
    fs.writeFileSync(file, 'electrodes 1- 2- 3+ 4+\npw 500\nsearch start\namp up\n');
    let out = '';
    const io = {
      stdout: new PassThrough().on('data', (d: Buffer) => (out += d.toString())),
      stderr: new PassThrough(),
      stdin: new PassThrough(),
      env: {},
    };
    // The built-in simulator, as `scs script` opens it, with its default impedances.
    expect(await runScriptCommand([file, '--json', '--dwell-ms', '0'], io, (o) => openGeneratorLink(o))).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
    const lines = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => 'command' in l);
    expect(lines.map((l) => l.command)).toEqual(['electrodes 1- 2- 3+ 4+', 'pw 500', 'search start', 'amp up']);
    for (const l of lines) expect(Object.keys(l)).toContain('chargeDensity');
    expect(Object.keys(lines[0].chargeDensity).sort()).toEqual(
      ['basis', 'contact', 'densityMaxMa', 'densityUcPerCm2', 'limitUcPerCm2', 'polarity', 'reason', 'sharePct'].sort(),
    );
    // Before any check: the whole amplitude on one contact; 7.35 mA at 500 µs.
    expect(lines[1].chargeDensity).toMatchObject({
      basis: 'worst-case',
      reason: 'no impedance check yet',
      sharePct: 100,
      densityMaxMa: 7.35,
      limitUcPerCm2: 30,
    });
    // After the search's check: each polarity splits by conductance; the most loaded contact decides.
    const z = [0, 1, 2, 3].map(defaultImpedance);
    const shares = [z[1]! / (z[0]! + z[1]!), z[0]! / (z[0]! + z[1]!), z[3]! / (z[2]! + z[3]!), z[2]! / (z[2]! + z[3]!)];
    const top = shares.indexOf(Math.max(...shares));
    expect(Math.max(...shares)).toBeLessThan(1);
    const maxUa = Math.floor(7350 / shares[top]!);
    expect(lines[3].chargeDensity).toMatchObject({
      contact: top + 1,
      polarity: top < 2 ? 'cathode' : 'anode',
      sharePct: Math.round(shares[top]! * 1000) / 10,
      basis: 'impedance',
      reason: null,
      densityMaxMa: (Math.floor(maxUa / 50) * 50) / 1000,
    });
    expect(lines[3].chargeDensity.densityUcPerCm2).toBe(
      Math.round(((50 * shares[top]! * 500) / 1e6 / 0.1225) * 100) / 100,
    );
  });
});
