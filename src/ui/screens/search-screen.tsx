import React from 'react';
import { Box, Text } from 'ink';
import { ViewAmplitudeBar } from '../components/amplitude-bar.js';
import { Toned } from '../theme.js';
import { formatMa, formatSeconds } from '../format.js';
import { POSTURES } from '../../session/session-types.js';
import type { ScreenView } from '../screen-view.js';

/**
 * The threshold-search wizard. Each step says what to do and shows whether it is done; the dwell
 * before the next step is always on screen so nobody presses into a refused step without knowing why.
 */
export function SearchScreen({ view, nowMs }: { view: ScreenView; nowMs: number }) {
  const g = view.generator;
  const { search, thresholds: t } = view;
  const hasElectrodes = /\+/.test(g?.contacts ?? '') && /-/.test(g?.contacts ?? '');
  const sensory = t.sensoryUa !== null && !t.estimated;
  const discomfort = t.discomfortUa !== null;
  const steps: Array<{ done: boolean; text: string }> = [
    { done: hasElectrodes, text: 'Electrodes: at least one + and one - (screen 2)' },
    { done: true, text: `Posture: ${POSTURES.map((p) => (p === view.posture ? `[${p}]` : p)).join(' ')}  (p/P)` },
    { done: search.active || sensory, text: 'b begins: impedance check, then test output on at 0 mA' },
    { done: sensory, text: `↑ one step at a time; s at first paresthesia   sensory ${formatMa(t.sensoryUa)}` },
    { done: discomfort, text: `↑ until uncomfortable; d marks it   discomfort ${formatMa(t.discomfortUa)}` },
  ];
  return (
    <Box flexDirection="column">
      <Text bold>{`Threshold search   ${search.active ? 'SEARCHING' : 'not searching'}   phase: ${view.phase}`}</Text>
      {steps.map((s, i) => (
        <Toned key={i} tone={s.done ? 'ok' : 'plain'}>{`${s.done ? '[x]' : '[ ]'} ${i + 1}. ${s.text}`}</Toned>
      ))}
      <Dwell view={view} nowMs={nowMs} />
      <ViewAmplitudeBar view={view} />
      {t.posture && (t.sensoryUa !== null || discomfort) ? (
        <Toned tone="muted">{`Thresholds stored for posture ${t.posture}${t.pulseWidthUs ? ` at ${t.pulseWidthUs} µs` : ''}`}</Toned>
      ) : null}
    </Box>
  );
}

function Dwell({ view, nowMs }: { view: ScreenView; nowMs: number }) {
  const { search } = view;
  const remainingMs = search.nextStepAtMs === null ? 0 : Math.max(0, search.nextStepAtMs - nowMs);
  const step = `step ${formatMa(search.stepUa)}`;
  if (!search.active)
    return <Toned tone="muted">{`Dwell ${formatSeconds(search.dwellMs)} between steps; ${step}`}</Toned>;
  if (remainingMs > 0) {
    const total = Math.max(search.dwellMs, remainingMs);
    const filled = Math.round(((total - remainingMs) / total) * 10);
    return (
      <Toned tone="warn">{`Dwell: WAIT ${formatSeconds(remainingMs)} [${'#'.repeat(filled)}${'.'.repeat(10 - filled)}] before the next step; ${step}`}</Toned>
    );
  }
  return <Toned tone="ok">{`Dwell: ready for the next step; ${step}`}</Toned>;
}
