import React from 'react';
import { Box, Text } from 'ink';
import { MIN_COLUMNS, Para, useWidth, wrapWords } from '../layout.js';
import { FIELD_KEYS, GLOBAL_KEYS, SCREEN_KEYS, SCREENS, type KeyBinding, type ScreenId } from '../key-map.js';

/**
 * The key map from key-map.ts: the keys that work everywhere, then one screen's keys per page
 * (← / → pages), packed two to a line where they fit, so it stays inside 80×24 with the status visible.
 */
export function HelpOverlay({ screen }: { screen: ScreenId }) {
  const page = SCREENS.find((s) => s.id === screen)!;
  const width = useWidth();
  return (
    <Box flexDirection="column">
      <Text inverse bold>{` Keys   (← / → other screens; ? or Esc closes) `}</Text>
      {packBindings(GLOBAL_KEYS, 10, width).map((line, i) => (
        <Text key={`g${i}`}>{line}</Text>
      ))}
      <Text
        bold
      >{`Screen ${page.digit} ${page.title}   pages [${SCREENS.map((s) => (s.id === screen ? `*${s.digit}*` : s.digit)).join(' ')}]`}</Text>
      {packBindings(SCREEN_KEYS[screen], 10, width).map((line, i) => (
        <Text key={`s${i}`}>{line}</Text>
      ))}
      <Para>{`In a text field: ${FIELD_KEYS.slice(1)
        .map((k) => `${k.keys} ${k.short}`)
        .join(', ')}; Space is STOP`}</Para>
    </Box>
  );
}

const COLUMN = 39;

/**
 * Bindings as lines: short ones side by side in columns of 39 (two at 80 columns, four at 160), a long
 * one on a line of its own, wrapped under its action when it is wider than the screen.
 */
export function packBindings(rows: readonly KeyBinding[], keyWidth = 10, width = MIN_COLUMNS): string[] {
  const cells = rows.map((r) => ` ${r.keys.padEnd(keyWidth)} ${r.action}`);
  const lines: string[] = [];
  let line = '';
  let shortCells = false;
  for (const cell of cells) {
    const padded = line.padEnd(Math.ceil((line.length + 1) / COLUMN) * COLUMN);
    if (line !== '' && shortCells && cell.length <= COLUMN && padded.length + cell.length <= width) {
      line = padded + cell;
      continue;
    }
    if (line !== '') lines.push(line);
    if (cell.length > width) {
      lines.push(...wrapWords(cell, width, keyWidth + 2));
      line = '';
      continue;
    }
    line = cell;
    shortCells = cell.length < COLUMN;
  }
  if (line !== '') lines.push(line);
  return lines;
}
