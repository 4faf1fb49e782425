import React from 'react';
import { Box, Text } from 'ink';
import { formatMa } from '../format.js';
import type { ScreenView } from '../screen-view.js';

/**
 * Asked before `b` starts a new threshold search over measured thresholds: the new search replaces
 * them, so the dialog names exactly what will be discarded (issue 13).
 */
export function SearchRestartDialog({ view }: { view: ScreenView }) {
  return (
    <Box flexDirection="column" borderStyle="double" paddingX={1} alignSelf="flex-start">
      <Text bold>Begin a new threshold search?</Text>
      <Text>{`It discards ${discardedWords(view)}.`}</Text>
      <Text>y / Enter begin again n / Esc keep them Space STOP</Text>
    </Box>
  );
}

/** What a new search discards, in words: the measured window, or the thresholds marked so far. */
export function discardedWords(view: ScreenView): string {
  const t = view.thresholds;
  const where = `(posture ${t.posture ?? view.posture}${t.pulseWidthUs ? `, ${t.pulseWidthUs} µs` : ''})`;
  const sensory = t.sensoryUa !== null && !t.estimated ? t.sensoryUa : null;
  if (sensory !== null && t.discomfortUa !== null)
    return `the measured window ${formatMa(sensory)} to ${formatMa(t.discomfortUa)} ${where}`;
  if (sensory !== null) return `the sensory threshold ${formatMa(sensory)} ${where}`;
  return `the discomfort threshold ${formatMa(t.discomfortUa)} ${where}`;
}
