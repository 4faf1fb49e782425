import React from 'react';
import { Box, Text } from 'ink';
import { FIELD_KEYS, GLOBAL_KEYS, SCREEN_KEYS, SCREENS, type KeyBinding, type ScreenId } from '../key-map.js';

/**
 * The key map from key-map.ts: the keys that work everywhere, then one screen's keys per page
 * (← / → pages), packed two to a line where they fit, so it stays inside 80×24 with the status visible.
 */
export function HelpOverlay({ screen }: { screen: ScreenId }) {
  const page = SCREENS.find((s) => s.id === screen)!;
  return (
    <Box flexDirection="column">
      <Text inverse bold>{` Keys   (← / → other screens; ? or Esc closes) `}</Text>
      {packBindings(GLOBAL_KEYS).map((line, i) => (
        <Text key={`g${i}`}>{line}</Text>
      ))}
      <Text
        bold
      >{`Screen ${page.digit} ${page.title}   pages [${SCREENS.map((s) => (s.id === screen ? `*${s.digit}*` : s.digit)).join(' ')}]`}</Text>
      {packBindings(SCREEN_KEYS[screen]).map((line, i) => (
        <Text key={`s${i}`}>{line}</Text>
      ))}
      <Text>{`In a text field: ${FIELD_KEYS.slice(1)
        .map((k) => `${k.keys} ${k.short}`)
        .join(', ')}; Space is STOP`}</Text>
    </Box>
  );
}

const COLUMN = 39;

/** Bindings as lines, two per line when both fit in half the width. */
export function packBindings(rows: readonly KeyBinding[], keyWidth = 10): string[] {
  const cells = rows.map((r) => ` ${r.keys.padEnd(keyWidth)} ${r.action}`);
  const lines: string[] = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    const next = cells[i + 1];
    if (cell.length < COLUMN && next !== undefined && next.length <= COLUMN) {
      lines.push(cell.padEnd(COLUMN) + next);
      i++;
    } else {
      lines.push(cell);
    }
  }
  return lines;
}
