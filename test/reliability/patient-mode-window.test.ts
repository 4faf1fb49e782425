import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessGenerator, type InProcessGenerator } from '../../firmware-sim/in-process.js';
import { inProcessOpener } from '../../src/link/in-process-opener.js';
import { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import { parseScript } from '../../src/session/script-parser.js';
import { runScript } from '../../src/session/script-runner.js';
import { createSessionController, type SessionController } from '../../src/session/session-controller.js';
import { pick, rngFor } from '../fuzz/line-corpus.js';

/**
 * Patient mode cannot leave the clinician's window, whatever script lines arrive: after a session
 * reaches committed therapy with a measured window (0.3–0.6 mA) and patient mode is on, a seeded
 * stream of hostile lines (µA typed as mA, boundaries ±1 step, rate/pw/electrode changes, search,
 * marks, commit) never puts the generator above the window or changes anything but amplitude.
 * ('patient-mode off' and 'stop' are left out: they end the patient's session by design.)
 */

const SEED = Number(process.env.PATIENT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const THERAPY = `electrodes 1- 2+\nrate 50\npw 300\nsearch start\n${'amp up\n'.repeat(6)}mark sensory\n${'amp up\n'.repeat(6)}mark discomfort\namp set 0.45\ncommit\npatient-mode on\n`;
const HOSTILE = [
  'amp set 2500',
  'amp set 0.65',
  'amp set 0.6',
  'amp set 0.601',
  'amp set 0.55',
  'amp set 0.25',
  'amp set 0',
  'amp set 25.5',
  'amp set 100000',
  'amp up',
  'amp up',
  'amp up',
  'amp down',
  'rate 60',
  'rate 40',
  'pw 500',
  'pw 200',
  'electrodes 3- 4+',
  'electrodes 1- 2+ 3-',
  'search start',
  'mark sensory',
  'mark discomfort',
  'commit',
  'output on',
  'posture standing',
  'impedance',
  'patient-mode on',
];

let generator: InProcessGenerator | undefined;
let controller: SessionController | undefined;
let link: SerialGeneratorLink | undefined;
afterEach(async () => {
  controller?.dispose();
  await link?.close();
  generator?.close();
});

async function run(text: string) {
  const parsed = parseScript(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return runScript(parsed.steps, controller!);
}

describe(`patient mode stays inside the clinician's window (seed ${SEED})`, () => {
  it('whatever script lines arrive', { timeout: 60_000 }, async () => {
    generator = createInProcessGenerator({ telemetryHz: 0 });
    link = new SerialGeneratorLink({ opener: inProcessOpener(generator), firstSeq: 1 });
    controller = createSessionController({ link, dwellMs: 0 });
    await controller.dispatch({ type: 'CONNECT' });
    await run(THERAPY);
    const start = controller.view();
    expect(start.patientMode).toBe(true);
    expect(start.state).toBe('therapy');
    expect(start.window).toMatchObject({ lowUa: 300, highUa: 600 });
    const program = generator.server.model.state;
    const r = rngFor(SEED);
    let amplitudeChanges = 0;
    for (let i = 0; i < 150; i++) {
      const line = pick(r, HOSTILE);
      const before = generator.server.model.state.amplitudeUa;
      await run(`${line}\n`);
      const g = generator.server.model.state;
      const at = `seed ${SEED}, line ${i} '${line}'`;
      expect(controller.view().patientMode, at).toBe(true);
      expect(g.amplitudeUa, at).toBeLessThanOrEqual(600);
      expect(g.amplitudeUa, at).toBeGreaterThanOrEqual(g.output === 'on' ? 300 : 0);
      expect({ rate: g.rateHz, pw: g.pulseWidthUs, el: g.contacts, mode: g.mode }, at).toEqual({
        rate: program.rateHz,
        pw: program.pulseWidthUs,
        el: program.contacts,
        mode: program.mode,
      });
      if (g.amplitudeUa !== before) amplitudeChanges++;
    }
    // The patient could still do what patient mode is for.
    expect(amplitudeChanges).toBeGreaterThan(10);
  });
});
