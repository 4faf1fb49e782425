import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessGenerator, type InProcessGenerator } from '../../firmware-sim/in-process.js';
import { NakError, type LinkEvent } from '../../src/link/generator-link.js';
import { inProcessOpener } from '../../src/link/in-process-opener.js';
import { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import { until } from '../helpers/until.js';

/**
 * Found by the fault soak: a generator reset whose `EVT kind=boot` line is lost leaves the generator
 * without a session, so every SET and OUTPUT is refused NOT_READY — forever, unless the companion
 * reconnects. The link now treats NOT_READY as a lost session: reconnect, HELLO (which reveals the
 * new boot id), never replay the refused request.
 */

let generator: InProcessGenerator | undefined;
let link: SerialGeneratorLink | undefined;
afterEach(async () => {
  await link?.close();
  generator?.close();
  link = generator = undefined;
});

const PROGRAM = { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 0, contacts: '-+000000' };

describe('a reset whose boot event is lost', () => {
  it('is found by the next refused request: the link reconnects and reports the reset, replaying nothing', async () => {
    generator = createInProcessGenerator({ telemetryHz: 0 });
    link = new SerialGeneratorLink({
      opener: inProcessOpener(generator),
      timing: { reconnectDelayMs: 10 },
      firstSeq: 1,
    });
    const events: LinkEvent[] = [];
    link.subscribe((e) => events.push(e));
    await link.connect();
    await link.setProgram(PROGRAM);

    generator.server.faults.setRates('outbound', { drop: 1 });
    generator.server.reset(); // EVT boot goes out and is dropped
    generator.server.faults.setRates('outbound', {});

    const refused = link.setProgram({ ...PROGRAM, amplitudeUa: 500 });
    await expect(refused).rejects.toBeInstanceOf(NakError);
    await expect(refused).rejects.toMatchObject({ code: 16 });
    await until(
      () => events.some((e) => e.type === 'handshake' && e.resetDetected),
      'the reconnect that follows the refusal',
    );
    const handshake = events.find(
      (e): e is Extract<LinkEvent, { type: 'handshake' }> => e.type === 'handshake' && e.resetDetected,
    );
    expect(handshake?.handshake.identity.bootId).toBe(generator.server.model.bootId);
    // The refused SET executed nothing (the session gate refused it) and was not sent again after reconnecting.
    const sets = generator.server.model.executions.filter((e) => e.type === 'SET');
    expect(sets).toHaveLength(1);
    expect(generator.server.model.state.output).toBe('off');
    expect(generator.server.model.state.amplitudeUa).toBe(0);
    // And the link works again.
    await expect(link.setProgram(PROGRAM)).resolves.toMatchObject(PROGRAM);
  });
});
