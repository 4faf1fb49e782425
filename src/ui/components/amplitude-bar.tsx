import React from 'react';
import { Box, Text } from 'ink';
import { Toned } from '../theme.js';
import { formatMa } from '../format.js';
import { useWidth } from '../layout.js';
import type { ScreenView } from '../screen-view.js';

export interface AmplitudeBarProps {
  amplitudeUa: number;
  sensoryUa: number | null;
  discomfortUa: number | null;
  /** The window the session enforces now (may be narrower than sensory–discomfort). */
  window?: { lowUa: number; highUa: number } | null;
  width?: number;
  /** With output off the amplitude is only programmed, and the line says so (issue 13). */
  output?: 'on' | 'off';
}

/** Full-scale value: some room above the highest mark, at least 2 mA. */
export function barScaleUa(values: ReadonlyArray<number | null | undefined>): number {
  const highest = Math.max(0, ...values.filter((v): v is number => typeof v === 'number'));
  return Math.max(2000, Math.ceil((highest * 1.25) / 1000) * 1000);
}

export function renderBar({ amplitudeUa, sensoryUa, discomfortUa, window = null, width = 50 }: AmplitudeBarProps): {
  bar: string;
  scaleUa: number;
} {
  const scaleUa = barScaleUa([amplitudeUa, sensoryUa, discomfortUa, window?.highUa]);
  const cellOf = (ua: number) => Math.min(width - 1, Math.floor((ua / scaleUa) * width));
  const low = window?.lowUa ?? sensoryUa;
  const high = window?.highUa ?? discomfortUa;
  const cells: string[] = [];
  for (let i = 0; i < width; i++) {
    const ua = ((i + 0.5) / width) * scaleUa;
    const inWindow = low !== null && high !== null && ua >= low && ua <= high;
    cells.push(amplitudeUa > 0 && i <= cellOf(amplitudeUa) ? '#' : inWindow ? '-' : '.');
  }
  if (sensoryUa !== null) cells[cellOf(sensoryUa)] = '[';
  if (discomfortUa !== null) cells[cellOf(discomfortUa)] = ']';
  return { bar: cells.join(''), scaleUa };
}

/** Room the bar's line keeps for `Amplitude 0 |` and `| 12.00 mA` around the cells. */
const BAR_FRAME = 30;

/**
 * The amplitude against the sensory–discomfort window:
 *   `0 |#####[####|-----]..........| 6.40 mA`
 * `#` up to the current value, `-` the rest of the window, `.` outside it, `[` sensory, `]` discomfort.
 * The scale is display only; the window comes from the session.
 */
export function AmplitudeBar(props: AmplitudeBarProps) {
  // The bar takes the screen's width: finer steps on a wide terminal, 50 cells at 80 columns.
  const width = useWidth() - BAR_FRAME;
  const { bar, scaleUa } = renderBar({ width, ...props });
  const { amplitudeUa, sensoryUa, discomfortUa, window = null, output = 'on' } = props;
  const now = output === 'off' ? `programmed ${formatMa(amplitudeUa)} (output off)` : `now ${formatMa(amplitudeUa)}`;
  return (
    <Box flexDirection="column">
      <Box>
        <Text>{'Amplitude 0 |'}</Text>
        <Toned tone="info">{bar}</Toned>
        <Text>{`| ${formatMa(scaleUa)}`}</Text>
      </Box>
      <Text>{`  ${now}  [ sensory ${formatMa(sensoryUa)}  ] discomfort ${formatMa(discomfortUa)}`}</Text>
      <Text>
        {window
          ? `  window ${formatMa(window.lowUa)} to ${formatMa(window.highUa)}`
          : '  window: none yet (measure thresholds)'}
      </Text>
    </Box>
  );
}

/** The bar for the generator on screen: its amplitude and output, the thresholds and window in force. */
export function ViewAmplitudeBar({ view }: { view: ScreenView }) {
  const generator = view.generator;
  if (!generator) return null;
  return (
    <AmplitudeBar
      amplitudeUa={generator.amplitudeUa}
      output={generator.output}
      sensoryUa={view.thresholds.sensoryUa}
      discomfortUa={view.thresholds.discomfortUa}
      window={view.window}
    />
  );
}
