import { gen, type Harness } from './harness.js';

/**
 * The patient's remote changes the amplitude (× factor, on the 50 µA grid) just before the companion's
 * next `OUTPUT on=0` reaches the generator, with no EVT line (dropped on the wire, as in bb3's pA.py and
 * bb4's pany.py): only the off's ACK tells.
 */
export function remoteBeforeNextOff(h: Harness, factor: number): void {
  const original = h.link.setOutput.bind(h.link);
  h.link.setOutput = async (on, mode) => {
    if (!on) {
      h.link.setOutput = original;
      const g = gen(h);
      h.link.model.externalChange(
        {
          rateHz: g.rateHz,
          pulseWidthUs: g.pulseWidthUs,
          contacts: g.contacts,
          amplitudeUa: Math.round((g.amplitudeUa * factor) / 50) * 50,
        },
        h.link.now,
      );
    }
    return original(on, mode);
  };
}
