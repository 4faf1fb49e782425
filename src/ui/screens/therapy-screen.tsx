import React from 'react';
import { Box, Text } from 'ink';
import { ViewAmplitudeBar } from '../components/amplitude-bar.js';
import { Toned } from '../theme.js';
import { contactRows, formatMa } from '../format.js';
import { Flow } from '../layout.js';
import type { ScreenView } from '../screen-view.js';

/** Therapy: the program to commit, the clinician's window for the patient, patient mode. */
export function TherapyScreen({ view }: { view: ScreenView }) {
  const g = view.generator;
  if (!g) return <Toned tone="warn">No generator state yet: connect first (screen 1).</Toned>;
  const t = view.thresholds;
  const measured = t.sensoryUa !== null && t.discomfortUa !== null && !t.estimated;
  return (
    <Box flexDirection="column">
      <Text bold>{`Therapy   phase: ${view.phase}`}</Text>
      <Text>{`Program  ${g.rateHz} Hz  ${g.pulseWidthUs} µs  ${formatMa(g.amplitudeUa)}`}</Text>
      <Contacts contacts={g.contacts} />
      <Toned tone={g.committed ? 'ok' : 'warn'}>
        {g.committed
          ? 'Committed: yes (keeps running if the link drops)'
          : 'Committed: NO (test stimulation stops if the link drops; c commits)'}
      </Toned>
      {measured ? null : (
        <Toned tone="warn">Thresholds not measured: therapy needs a threshold search first (screen 3).</Toned>
      )}
      <ViewAmplitudeBar view={view} />
      <Flow
        segments={[
          {
            text: `Patient window ${view.patientWindow ? `${formatMa(view.patientWindow.lowUa)} to ${formatMa(view.patientWindow.highUa)}${view.patientWindow.set ? ' (set)' : ''}` : 'not set'} (w)`,
          },
          { text: `Patient mode ${view.patientMode ? 'ON (amplitude only)' : 'off'} (m)` },
        ]}
      />
    </Box>
  );
}

export function CommitDialog({ view }: { view: ScreenView }) {
  const g = view.generator;
  return (
    <Box flexDirection="column" borderStyle="double" paddingX={1} alignSelf="flex-start">
      <Text bold>Commit therapy to the generator?</Text>
      <Text>{g ? `${g.rateHz} Hz  ${g.pulseWidthUs} µs  ${formatMa(g.amplitudeUa)}` : 'no generator state'}</Text>
      {g ? <Contacts contacts={g.contacts} /> : null}
      <Text>It keeps running when the companion disconnects.</Text>
      <Text>y / Enter commit n / Esc cancel Space STOP</Text>
    </Box>
  );
}

/** The program's contacts in the lead drawing's notation, one line per lead. */
function Contacts({ contacts }: { contacts: string }) {
  return (
    <>
      {contactRows(contacts).map((row, i) => (
        <Text key={i}>{`${i === 0 ? 'Contacts' : ''}`.padEnd(9) + row}</Text>
      ))}
    </>
  );
}
