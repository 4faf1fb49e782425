import React, { createContext, useContext } from 'react';
import { Text } from 'ink';
import { Toned, type Tone } from './theme.js';

/**
 * Laying lines out to the terminal's width (issue 13): a value never parts from its unit ("0.40" on
 * one line, "mA" on the next), a key never parts from what it does ("B re-bind", "(m)"), and a wide
 * terminal packs more on a line instead of keeping an 80-column screen. 80×24 is the smallest screen.
 */

/** The smallest terminal the bedside screen is laid out for. */
export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

const WidthContext = createContext<number>(MIN_COLUMNS);

/** The width the screen is laid out to, set by the app from the terminal (80 outside an app). */
export const WidthProvider = WidthContext.Provider;

export function useWidth(): number {
  return useContext(WidthContext);
}

/** A word that reads as part of the one before it: a unit, or a key in brackets such as `(m)`. */
const GLUED = /^(mA|Hz|µs|ms|s|min|h|%|µC\/cm²|mA\/s|Ω|\([A-Za-z?]\))[),.;:]*$/;

/**
 * Words into lines of at most `width` characters, breaking only between words and never before a
 * unit or a bracketed key; continuation lines start with `indent` spaces. A single word longer than
 * a line is cut (nothing else could show it).
 */
export function wrapWords(text: string, width: number, indent = 0): string[] {
  const words: string[] = [];
  for (const word of text.split(' ')) {
    if (words.length > 0 && word !== '' && GLUED.test(word)) words[words.length - 1] += ` ${word}`;
    else words.push(word);
  }
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (candidate.length <= width || line.trim() === '') {
      line = candidate;
      continue;
    }
    lines.push(line);
    line = ' '.repeat(indent) + word;
  }
  lines.push(line);
  return lines.flatMap((l) => cut(l, width));
}

function cut(line: string, width: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < line.length; i += width) parts.push(line.slice(i, i + width));
  return parts.length > 0 ? parts : [''];
}

/** A sentence wrapped with `wrapWords` to the screen's width, continuation lines indented. */
export function Para({
  children,
  tone,
  bold,
  inverse,
  indent = 2,
}: {
  children: string;
  tone?: Tone;
  bold?: boolean;
  inverse?: boolean;
  indent?: number;
}) {
  const width = useWidth();
  return (
    <Toned tone={tone ?? 'plain'} bold={bold ?? false} inverse={inverse ?? false}>
      {wrapWords(children, width, indent).join('\n')}
    </Toned>
  );
}

export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
  inverse?: boolean;
}

/** Which segments share a line: as many as fit with `gap` between them, in order, none split. */
export function flowLines(lengths: readonly number[], width: number, gap: number): number[][] {
  const lines: number[][] = [];
  let used = 0;
  lengths.forEach((length, i) => {
    const last = lines[lines.length - 1];
    if (last && used + gap + length <= width) {
      last.push(i);
      used += gap + length;
    } else {
      lines.push([i]);
      used = length;
    }
  });
  return lines;
}

/** Segments (each a key with its action, or one fact) flowed onto as few lines as the width allows. */
export function Flow({ segments, gap = '   ' }: { segments: ReadonlyArray<Segment | null>; gap?: string }) {
  const width = useWidth();
  const shown = segments.filter((s): s is Segment => s !== null && s.text !== '');
  const lines = flowLines(
    shown.map((s) => s.text.length),
    width,
    gap.length,
  );
  return (
    <>
      {lines.map((indexes, line) => (
        <Text key={line}>
          {indexes.map((i, k) => {
            const s = shown[i]!;
            const text = s.text.length > width ? wrapWords(s.text, width, 2).join('\n') : s.text;
            return (
              <React.Fragment key={i}>
                {k > 0 ? gap : ''}
                <Toned tone={s.tone ?? 'plain'} bold={s.bold ?? false} inverse={s.inverse ?? false}>
                  {text}
                </Toned>
              </React.Fragment>
            );
          })}
        </Text>
      ))}
    </>
  );
}
