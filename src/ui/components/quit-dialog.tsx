import React from 'react';
import { Box, Text } from 'ink';
import type { SessionView } from '../view-model.js';
import { committedTherapyRunning } from '../key-handler.js';

/** Quitting stops output unless a committed therapy program is running and the clinician keeps it. */
export function QuitDialog({ view }: { view: SessionView }) {
  const keep = committedTherapyRunning(view);
  return (
    <Box flexDirection="column" borderStyle="double" paddingX={1} alignSelf="flex-start">
      <Text bold>Quit the companion?</Text>
      <Text>s / Enter STOP all output, then quit</Text>
      {keep ? <Text>k quit and leave the committed therapy running</Text> : null}
      <Text>n / Esc stay (Space is STOP, as everywhere)</Text>
    </Box>
  );
}
