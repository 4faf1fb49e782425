import React from 'react';
import { Box, Text } from 'ink';
import { LeadDrawing } from '../components/lead-drawing.js';
import { ViewAmplitudeBar } from '../components/amplitude-bar.js';
import { Toned } from '../theme.js';
import { formatContacts } from '../format.js';
import { Flow, Para } from '../layout.js';
import type { ScreenView } from '../screen-view.js';

/** Programming: rate, pulse width, amplitude, the lead and the amplitude window. */
export function ProgramScreen({ view, draft, cursor }: { view: ScreenView; draft: string | null; cursor: number }) {
  const g = view.generator;
  if (!g) return <Toned tone="warn">No generator state yet: connect first (screen 1).</Toned>;
  const t = view.thresholds;
  return (
    <Box flexDirection="column">
      <Text bold>{`Program   phase: ${view.phase}`}</Text>
      <Flow
        segments={[
          { text: `Rate ${g.rateHz} Hz (r/R)` },
          { text: `Pulse width ${g.pulseWidthUs} µs (w/W)` },
          { text: `Posture ${view.posture}` },
        ]}
      />
      <LeadDrawing contacts={g.contacts} draft={draft} cursor={cursor} flagged={view.impedance?.flagged ?? []} />
      {view.electrodes && view.electrodes !== g.contacts ? (
        <Para tone="warn">{`Session electrodes ${formatContacts(view.electrodes)} not yet on the generator`}</Para>
      ) : null}
      <ViewAmplitudeBar view={view} />
      {t.estimated ? (
        <Para tone="warn">Sensory threshold is an ESTIMATE (pulse width changed): re-measure before therapy.</Para>
      ) : null}
    </Box>
  );
}
