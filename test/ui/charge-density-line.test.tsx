import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessGenerator, type InProcessGenerator } from '../../firmware-sim/in-process.js';
import { inProcessOpener } from '../../src/link/in-process-opener.js';
import { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import { StatusLine } from '../../src/ui/components/status-line.js';
import { LiveSession } from '../../src/ui/live-session.js';
import type { ScreenView } from '../../src/ui/screen-view.js';
import { until } from '../helpers/until.js';
import { connectedView } from './fake-session.js';
import { renderPlain } from './render.js';

/**
 * Issue 19 on the bedside screen: the status lines show the most loaded contact, its share of its
 * polarity's current and its density next to the limit, and whether the shares are measured.
 * Cathodes of 250, 1000, 1000, 1000 Ω: the first carries (1/250) / (1/250 + 3/1000) = 4/7 = 57.1 %.
 */

const frameOf = (view: ScreenView) => renderPlain(<StatusLine view={view} />).lastFrame() ?? '';

const generators: InProcessGenerator[] = [];
const sessions: LiveSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  for (const g of generators.splice(0)) g.close();
});

describe('charge density on the status lines', () => {
  it('spells out contact, share, density and limit, and says when the worst case applies', () => {
    const v = connectedView();
    v.chargeDensity = {
      contact: 1,
      polarity: 'cathode',
      sharePct: 57.1,
      densityUcPerCm2: 29.97,
      limitUcPerCm2: 30,
      densityMaxUa: 12_850,
      basis: 'impedance',
      reason: null,
    };
    expect(frameOf(v).replace(/\s+/g, ' ')).toContain(
      'Charge density: contact 1 (cathode) carries 57.1% → 29.97 of 30 µC/cm² (limit reached at 12.85 mA; shares by measured impedance)',
    );
    v.chargeDensity = { ...v.chargeDensity, sharePct: 100, basis: 'worst-case', reason: 'no impedance check yet' };
    expect(frameOf(v).replace(/\s+/g, ' ')).toContain(
      'carries 100% → 29.97 of 30 µC/cm² (limit reached at 12.85 mA; WORST CASE, no impedance check yet)',
    );
    v.chargeDensity = null;
    expect(frameOf(v)).not.toContain('Charge density');
  });

  it('the live bedside session shows the measured share after the impedance check', async () => {
    const session = new LiveSession({
      dwellMs: 0,
      initial: {},
      openLink: () => {
        const generator = createInProcessGenerator({
          config: { impedances: [250, 1000, 1000, 1000, 1000, 1000, 1000, 1000] },
        });
        generators.push(generator);
        return new SerialGeneratorLink({ opener: inProcessOpener(generator) });
      },
    });
    sessions.push(session);
    await until(() => session.getView().generator !== null, 'connection');
    session.send({ type: 'ELECTRODES', spec: '----++++' });
    await session.idle();
    expect(session.getView().chargeDensity).toMatchObject({
      contact: 1,
      sharePct: 100,
      basis: 'worst-case',
      reason: 'no impedance check yet',
    });
    session.send({ type: 'IMPEDANCE_CHECK' });
    await session.idle();
    const v = session.getView();
    expect(v.chargeDensity).toMatchObject({
      contact: 1,
      polarity: 'cathode',
      sharePct: 57.1,
      basis: 'impedance',
      reason: null,
      limitUcPerCm2: 30,
    });
    expect(frameOf(v).replace(/\s+/g, ' ')).toContain('Charge density: contact 1 (cathode) carries 57.1%');
  });
});
