import React from 'react';
import { Box, Text } from 'ink';
import { FIELD_HIDDEN, FIELD_LABEL, type TextField } from '../ui-state.js';

/**
 * A text field drawn from UiState. It has no input hook of its own: the app's single key handler
 * feeds it, after STOP has seen the key, so a field can never swallow the space bar.
 */
export function TextFieldView({ field }: { field: TextField }) {
  return (
    // The hint moves under the field as a whole when the line is too narrow for both.
    <Box flexWrap="wrap" columnGap={3}>
      <Text>
        <Text bold>{`${FIELD_LABEL[field.kind]}: `}</Text>
        <Text underline>{FIELD_HIDDEN.has(field.kind) ? '*'.repeat(field.text.length) : field.text}</Text>
        <Text inverse> </Text>
      </Text>
      <Text>{'Enter accept  Esc cancel  (Space = STOP)'}</Text>
    </Box>
  );
}
