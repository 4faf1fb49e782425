import React from 'react';
import { describe, expect, it } from 'vitest';
import { renderPlain } from './render.js';
import { StatusLine } from '../../src/ui/components/status-line.js';
import { connectedView } from './fake-session.js';
import { noticeSentence } from '../../src/session/notice-words.js';
import { emptyScreenView, type ScreenView } from '../../src/ui/screen-view.js';

const frameOf = (view: ScreenView) => renderPlain(<StatusLine view={view} />).lastFrame() ?? '';

describe('status line', () => {
  it('says simulator, output off, amplitude and battery', () => {
    const f = frameOf(connectedView());
    expect(f).toContain('Link: connected (simulator)');
    expect(f).toContain('Output: off');
    expect(f).toContain('Output: off · programmed 0.00 mA');
    expect(f).toContain('Batt: 87%');
  });

  it('with output off the amplitude reads as programmed, never as delivered (issue 13)', () => {
    const v = connectedView();
    v.generator = { ...v.generator!, output: 'off', amplitudeUa: 550 };
    const f = frameOf(v);
    expect(f).toContain('Output: off · programmed 0.55 mA');
    expect(f).not.toContain('Amp: 0.55');
  });

  it('a ramp is shown while it runs, with its rate and the way to stop it (H4)', () => {
    const v = connectedView();
    v.generator = { ...v.generator!, output: 'on', mode: 'test', amplitudeUa: 150 };
    v.ramp = { fromUa: 0, toUa: 400, nowUa: 150, maPerS: 1 };
    expect(frameOf(v)).toMatch(/>> RAMPING amplitude 0\.15 mA → 0\.40 mA at 1 mA\/s \(no jump; Space stops\)/);
  });

  it('spells out output on with its mode, so no colour is needed', () => {
    const v = connectedView();
    v.generator = { ...v.generator!, output: 'on', mode: 'test', amplitudeUa: 1250 };
    const f = frameOf(v);
    expect(f).toContain('OUTPUT ON test');
    expect(f).toContain('Amp: 1.25 mA');
  });

  it('shows a serial port by its path and the output as unknown before any state', () => {
    const f = frameOf(emptyScreenView({ status: 'connecting', source: 'serial', description: '/dev/ttyUSB0' }));
    expect(f).toContain('Link: connecting (/dev/ttyUSB0)');
    expect(f).toContain('Output: unknown');
  });

  it('lists flagged contacts of the last impedance check', () => {
    const v = connectedView();
    v.impedance = {
      at: '2025-03-01T10:11:12+01:00',
      ohms: [800, 'open', 900, 'short', 700, 700, 700, 700],
      flagged: [2, 4],
    };
    const f = frameOf(v);
    expect(f).toContain('Impedance 10:11:12');
    expect(f).toContain('FLAGGED 2:open 4:short');
  });

  it('shows the last clamp notice in words', () => {
    const v = connectedView();
    // The words the session gives every notice (src/session/notice-words.ts), not a hand-written text.
    const text = noticeSentence({
      kind: 'clamp',
      field: 'amplitude',
      requested: 5,
      applied: 3.2,
      reason: 'discomfort threshold 3.2 mA',
    });
    v.lastNotice = { kind: 'clamp', text };
    expect(frameOf(v)).toContain('CLAMP Amplitude: 5 mA asked, 3.2 mA applied');
  });

  it('flags a difference between screen and generator', () => {
    const v = { ...connectedView(), mismatch: 'amplitude shown 1.00 mA, generator 1.50 mA' };
    expect(frameOf(v)).toContain('SCREEN AND GENERATOR DIFFER');
  });

  it('prints no colour codes when colour is disabled', () => {
    const v = connectedView();
    v.generator = { ...v.generator!, output: 'on', mode: 'therapy' };
    // eslint-disable-next-line no-control-regex
    expect(frameOf(v)).not.toMatch(/\u001B\[3[0-9]m/);
  });
});
