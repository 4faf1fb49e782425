import { describe, expect, it } from 'vitest';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import type { GeneratorState, Request } from '../../protocol/index.js';
import { CompanionSession } from '../../src/link/companion-session.js';

/**
 * PROTOCOL.md §4.5 (v2.2): the state a short STOP ACK implies, from the last read and the companion's own
 * SET that the STOP may have overtaken; anything the revision does not explain is not derived.
 */

const SESS = '5e55a0a1';
const ON: GeneratorState = {
  ...new GeneratorModel().state,
  output: 'on',
  mode: 'test',
  amplitudeUa: 1500,
  programRev: 10,
};

function opened(read: GeneratorState): CompanionSession {
  const session = new CompanionSession({ cid: 'c0a1c0a1' });
  session.hello();
  session.opened(SESS);
  session.noteRead(read, 4);
  return session;
}

const set = (amplitudeUa: number, rev: number): Request => ({
  type: 'SET',
  seq: 5,
  sess: SESS,
  rev,
  rateHz: ON.rateHz,
  pulseWidthUs: ON.pulseWidthUs,
  amplitudeUa,
  contacts: ON.contacts,
});

describe('CompanionSession.afterStop', () => {
  it('nothing overtaken: output was on, so the STOP is rev + 1; anything else is not derived', () => {
    expect(opened(ON).afterStop({ output: 'off', rev: 11, seq: 6 })).toMatchObject({
      output: 'off',
      mode: 'none',
      amplitudeUa: 1500,
      programRev: 11,
    });
    expect(opened(ON).afterStop({ output: 'off', rev: 12, seq: 6 })).toBeUndefined();
    expect(opened(ON).afterStop({ output: 'on', rev: 11, seq: 6 })).toBeUndefined();
  });

  it('an overtaken SET: applied first when the revision says so (rev + 2), not run when it says rev + 1', () => {
    const ran = opened(ON).afterStop({ output: 'off', rev: 12, seq: 6 }, [set(1550, 10)]);
    expect(ran).toMatchObject({ output: 'off', amplitudeUa: 1550, programRev: 12 });
    const refused = opened(ON).afterStop({ output: 'off', rev: 11, seq: 6 }, [set(1550, 10)]);
    expect(refused).toMatchObject({ output: 'off', amplitudeUa: 1500, programRev: 11 });
    expect(opened(ON).afterStop({ output: 'off', rev: 13, seq: 6 }, [set(1550, 10)])).toBeUndefined();
  });

  it('a SET whose ACK was read between the STOP and its ACK is in the last read already', () => {
    const afterSet = { ...ON, amplitudeUa: 1550, programRev: 11 };
    expect(opened(afterSet).afterStop({ output: 'off', rev: 12, seq: 6 }, [set(1550, 10)])).toMatchObject({
      amplitudeUa: 1550,
      programRev: 12,
    });
  });

  it('the derived state becomes the basis of the next write; a late older reply never moves it back', () => {
    const session = opened(ON);
    session.afterStop({ output: 'off', rev: 12, seq: 6 }, [set(1550, 10)]);
    session.noteRead({ ...ON, amplitudeUa: 1550, programRev: 11 }, 5); // the overtaken SET's late ACK
    expect(session.stamp()).toEqual({ sess: SESS, rev: 12 });
    expect(session.stoppedView({ rev: 13 })).toMatchObject({ output: 'off', programRev: 13, amplitudeUa: 1550 });
  });
});
