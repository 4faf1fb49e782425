import React from 'react';
import { Box, Text } from 'ink';
import { Toned } from '../theme.js';
import { CONTACTS_PER_LEAD, contactCell } from '../format.js';

export interface LeadDrawingProps {
  /** The configuration on the generator (+ - 0 per contact). */
  contacts: string;
  /** An edited configuration not yet applied, shown under the applied one. */
  draft?: string | null;
  /** 0-based contact under the cursor, when editing. */
  cursor?: number | null;
  /** 1-based contacts flagged by the impedance check. */
  flagged?: readonly number[];
}

/**
 * The lead as a row of contacts with each one's polarity: `+` anode, `-` cathode, `.` off.
 * Sixteen contacts draw as two leads of eight. `!` marks a contact the impedance check flagged.
 */
export function LeadDrawing({ contacts, draft = null, cursor = null, flagged = [] }: LeadDrawingProps) {
  if (contacts.length === 0 && !draft) return <Toned tone="muted">Lead: no generator connected</Toned>;
  const count = Math.max(contacts.length, draft?.length ?? 0);
  const leads: number[][] = [];
  for (let start = 0; start < count; start += CONTACTS_PER_LEAD)
    leads.push(range(start, Math.min(count, start + CONTACTS_PER_LEAD)));
  return (
    <Box flexDirection="column">
      {leads.map((indexes, lead) => (
        <Box key={lead} flexDirection="column">
          <Row
            label={leads.length > 1 ? `Lead ${lead + 1}` : 'Lead'}
            indexes={indexes}
            contacts={contacts}
            flagged={flagged}
          />
          {draft !== null ? <Row label="Draft" indexes={indexes} contacts={draft} flagged={flagged} /> : null}
          {cursor !== null ? (
            <Text>{'        ' + indexes.map((i) => (i === cursor ? ' ^^^  ' : '      ')).join('')}</Text>
          ) : null}
        </Box>
      ))}
      <Toned tone="muted">{'        + anode  - cathode  . off  ! impedance flagged'}</Toned>
    </Box>
  );
}

function Row({
  label,
  indexes,
  contacts,
  flagged,
}: {
  label: string;
  indexes: number[];
  contacts: string;
  flagged: readonly number[];
}) {
  return (
    <Box>
      <Text>{label.padEnd(8)}</Text>
      {indexes.map((i) => {
        const polarity = contacts[i] ?? '0';
        const mark = flagged.includes(i + 1) ? '!' : ' ';
        const cell = contactCell(i, polarity);
        return (
          <Toned
            key={i}
            tone={polarity === '+' ? 'danger' : polarity === '-' ? 'info' : 'muted'}
            bold={polarity !== '0'}
          >
            {cell + mark}
          </Toned>
        );
      })}
    </Box>
  );
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}
