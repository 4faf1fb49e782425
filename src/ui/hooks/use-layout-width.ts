import type React from 'react';
import { useEffect, useRef, useState } from 'react';
import { measureElement, useStdout, type DOMElement } from 'ink';
import { MIN_COLUMNS } from '../layout.js';

/**
 * The width the screen is laid out to: the root box's own width as Ink laid it out (the terminal's
 * columns, or a narrower parent), measured again after every render and when the terminal is resized.
 */
export function useLayoutWidth(): {
  root: React.RefObject<DOMElement | null>;
  width: number;
  rows: number | undefined;
} {
  const root = useRef<DOMElement | null>(null);
  const { stdout } = useStdout();
  const [width, setWidth] = useState(MIN_COLUMNS);
  const [, setResizes] = useState(0);
  useEffect(() => {
    if (!root.current) return;
    const measured = Math.floor(measureElement(root.current).width);
    if (measured > 0 && measured !== width) setWidth(measured);
  });
  useEffect(() => {
    const onResize = () => setResizes((n) => n + 1);
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return { root, width, rows: stdout.rows };
}
