import { int, pick, type Rng } from '../fuzz/line-corpus.js';

/**
 * `scs script` lines for the soak: mostly a bedside session in order (electrodes, rate, pulse width,
 * threshold search, marks, commit, patient mode, amplitude changes, output off, stop), with random
 * and hostile lines mixed in (values out of the clinical window, mA/µA confusion, boundaries ±1,
 * patient-mode keys that try to leave the window). Each line goes through the real script parser.
 */

const BEDSIDE: readonly (string | ((r: Rng) => string))[] = [
  (r) => pick(r, ['electrodes 1- 2+', 'electrodes 3- 4+', 'electrodes 1- 2+ 3-', 'electrodes 2+ 3- 4+ 5-']),
  (r) => `rate ${pick(r, [40, 50, 60, 55])}`,
  (r) => `pw ${pick(r, [200, 300, 450, 500])}`,
  'search start',
  ...Array.from({ length: 6 }, () => 'amp up'),
  'mark sensory',
  ...Array.from({ length: 6 }, () => 'amp up'),
  'mark discomfort',
  (r) => `amp set ${pick(r, ['0.4', '0.45', '0.5', '0.35'])}`,
  'commit',
  'patient-mode on',
  'amp up',
  'amp up',
  (r) => `amp set ${hostileMa(r)}`,
  'amp down',
  'patient-mode off',
  'output off',
  'stop',
];

/** Amplitudes a tired hand or a wrong unit produces. */
function hostileMa(r: Rng): string {
  return pick(r, [
    '2500',
    '25500',
    '25.5',
    '25.55',
    '18.4',
    '7.35',
    '7.4',
    '99',
    '0',
    '0.001',
    '0.05',
    '1000',
    '0.6',
    '0.3',
    '100000',
  ]);
}

const RANDOM: readonly ((r: Rng) => string)[] = [
  (r) => `rate ${pick(r, ['39', '40', '41', '59', '60', '61', '0', '2', '1200', '1201', '50.5', '5000'])}`,
  (r) => `pw ${pick(r, ['199', '200', '201', '205', '499', '500', '501', '1000', '20', '10', '300'])}`,
  (r) => `amp set ${hostileMa(r)}`,
  () => 'amp up',
  () => 'amp down',
  () => 'search start',
  () => 'output on',
  () => 'output off',
  () => 'commit',
  (r) => pick(r, ['mark sensory', 'mark discomfort']),
  (r) => `patient-mode ${pick(r, ['on', 'off'])}`,
  (r) => `posture ${pick(r, ['supine', 'sitting', 'standing', 'walking'])}`,
  (r) => pick(r, ['electrodes 1- 2+', 'electrodes 1+ 2+', 'electrodes 1- 2-', 'electrodes 8- 7+', 'electrodes 1off']),
  () => 'impedance',
  () => 'stop',
];

export class BedsideScript {
  private at = 0;
  constructor(private readonly r: Rng) {}

  /** The next script line. */
  next(): string {
    if (this.r() < 0.08) return pick(this.r, RANDOM)(this.r);
    const step = BEDSIDE[this.at]!;
    this.at = (this.at + 1) % BEDSIDE.length;
    // Sometimes skip ahead (a clinician who does things out of order).
    if (this.r() < 0.02) this.at = int(this.r, 0, BEDSIDE.length - 1);
    return typeof step === 'string' ? step : step(this.r);
  }
}
