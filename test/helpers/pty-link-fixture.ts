import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { startPtyGenerator, type PtyGenerator, type PtyGeneratorOptions } from '../../firmware-sim/pty-generator.js';
import { openGeneratorLink, type OpenLinkOptions } from '../../src/link/open-link.js';
import type { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';

/**
 * The simulator on a real pseudo-terminal in a fresh temporary directory, and a link opened on it through
 * the real serialport binding; after each test the link and the simulator are closed and the directory
 * removed. Register once per test file (it adds an afterEach).
 */
export function ptyLinkFixture(prefix: string) {
  let generator: PtyGenerator | undefined;
  let link: SerialGeneratorLink | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await link?.close();
    await generator?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    link = generator = dir = undefined;
  });
  return {
    async start(
      options: PtyGeneratorOptions = {},
      linkOptions: Omit<OpenLinkOptions, 'port'> = {},
    ): Promise<{ generator: PtyGenerator; link: SerialGeneratorLink }> {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      const linkPath = path.join(dir, 'generator');
      generator = await startPtyGenerator({ telemetryHz: 0, linkPath, ...options });
      link = openGeneratorLink({ port: linkPath, ...linkOptions });
      return { generator, link };
    },
  };
}
