import React from 'react';
import { Box, Text } from 'ink';
import type { ScreenView } from '../screen-view.js';
import { committedTherapyRunning } from '../key-handler.js';

/** Quitting stops output unless a committed therapy program is running and the clinician keeps it. */
export function QuitDialog({ view }: { view: ScreenView }) {
  const keep = committedTherapyRunning(view);
  return (
    <Box flexDirection="column" borderStyle="double" paddingX={1} alignSelf="flex-start">
      <Text bold>Quit the companion?</Text>
      <Text>s / Enter STOP all output, then quit</Text>
      {keep ? <Text>{keepWording(view)}</Text> : null}
      <Text>n / Esc stay (Space is STOP, as everywhere)</Text>
    </Box>
  );
}

/**
 * What `k` really does: a generator on a port keeps its committed program; the built-in simulator
 * runs inside scs, so its therapy ends with the process, and the dialog says so (issue 13).
 */
export function keepWording(view: ScreenView): string {
  return view.link.source === 'simulator'
    ? 'k quit without STOP (built-in simulator: therapy ends when scs exits)'
    : 'k quit and leave the committed therapy running on the generator';
}

/** The line printed after quitting with `k`, true to where the therapy ran. */
export function keptLine(source: ScreenView['link']['source']): string {
  return source === 'simulator'
    ? 'Built-in simulator: its therapy ended when scs exited (nothing keeps running).'
    : 'Left the committed therapy program running on the generator.';
}
