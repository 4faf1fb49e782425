import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessGenerator, type InProcessGenerator } from '../../firmware-sim/in-process.js';
import { inProcessOpener } from '../../src/link/in-process-opener.js';
import type { PortOpener } from '../../src/link/port-opener.js';
import { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import { App } from '../../src/ui/app.js';
import { LiveSession } from '../../src/ui/live-session.js';
import type { Notice } from '../../src/session/notice.js';
import type { SessionView } from '../../src/session/session-controller.js';
import { until } from '../helpers/until.js';
import { KEY, renderPlain } from './render.js';

/**
 * bb5-N7 (README: the last notice shows the last clamp, rejection or warning; a STOP's confirmation
 * replaces a "STOP held" warning). STOP pressed while the link is down is held; during the outage the
 * patient's remote sets 2.5 mA. On the reconnection the held STOP is confirmed AND the change is found:
 * the confirmation answers only "STOP held", so the program warning (what the generator now holds)
 * must stay the last notice, not be pushed off the line by the confirmation.
 */

/** The session machine's notices in order (the screen shows only the last one that weighs). */
const sessionNotices = (session: LiveSession): readonly Notice[] =>
  (session as unknown as { controller: { view(): SessionView } }).controller.view().notices;

const generators: InProcessGenerator[] = [];
const sessions: LiveSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  for (const g of generators.splice(0)) g.close();
});

/** The in-process cable, whose reconnections wait until the test plugs the cable back in. */
function gatedOpener(generator: InProcessGenerator): { opener: PortOpener; plugBackIn: () => void } {
  const base = inProcessOpener(generator);
  let opens = 0;
  let plugBackIn = () => {};
  const pluggedBack = new Promise<void>((resolve) => (plugBackIn = resolve));
  return {
    opener: {
      source: base.source,
      description: base.description,
      open: async () => {
        if (opens++ > 0) await pluggedBack;
        return base.open();
      },
    },
    plugBackIn,
  };
}

describe('bedside last notice: a held STOP confirmed on the reconnection that finds an outside change (bb5-N7)', () => {
  it('keeps the outside-change warning as the last notice; the confirmation replaces only "STOP held"', async () => {
    const generator = createInProcessGenerator({ telemetryHz: 20 });
    generators.push(generator);
    const cable = gatedOpener(generator);
    const session = new LiveSession({
      dwellMs: 0,
      initial: {},
      openLink: () => new SerialGeneratorLink({ opener: cable.opener }),
    });
    sessions.push(session);
    await until(() => session.getView().generator !== null, 'connection');
    for (const intent of [
      { type: 'ELECTRODES', spec: '-+000000' },
      { type: 'SEARCH_START' },
      { type: 'AMPLITUDE_UP' },
    ] as const)
      session.send(intent);
    await session.idle();
    const model = generator.server.model;
    expect(model.state).toMatchObject({ output: 'on', amplitudeUa: 50 });

    const app = renderPlain(<App session={session} listPorts={async () => ({ paths: [] })} onQuit={() => {}} />);
    const frame = () => (app.lastFrame() ?? '').replace(/\n +/g, ' ');
    const lastNotice = () => /Last notice[^\n]*/.exec(frame())?.[0] ?? '';

    generator.unplug();
    await until(() => session.getView().link.status !== 'connected', 'the link down', undefined, frame);
    app.stdin.write(KEY.space);
    await until(() => /STOP held/.test(lastNotice()), 'the STOP held warning', undefined, frame);
    // The patient's remote while the cable is out.
    const { rateHz, pulseWidthUs, contacts } = model.state;
    generator.server.externalChange({ rateHz, pulseWidthUs, contacts, amplitudeUa: 2500 });

    cable.plugBackIn();
    await until(
      () => sessionNotices(session).some((n) => n.kind === 'info' && /STOP held .*confirmed/.test(n.reason)),
      'the held STOP confirmed',
      undefined,
      frame,
    );
    await until(() => frame().includes('!! SCREEN AND GENERATOR DIFFER'), 'the !! line', undefined, frame);
    expect(model.state).toMatchObject({ output: 'off', amplitudeUa: 2500 });
    const notices = sessionNotices(session);
    const changed = notices.findLastIndex((n) => n.kind === 'warn' && /changed outside the companion/.test(n.reason));
    const confirmed = notices.findLastIndex((n) => n.kind === 'info' && /STOP held .*confirmed/.test(n.reason));
    expect(changed).toBeGreaterThanOrEqual(0);
    expect(changed).toBeLessThan(confirmed); // the case: the warning comes first, the confirmation after it

    expect(lastNotice()).toMatch(/^Last notice[^:]*: WARN .*changed outside the companion/);
    expect(lastNotice()).not.toMatch(/STOP held/);
    app.unmount();
  });
});
