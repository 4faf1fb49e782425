import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPtyGenerator, type PtyGenerator, type PtyGeneratorOptions } from '../../firmware-sim/pty-generator.js';
import { openGeneratorLink } from '../../src/link/open-link.js';
import type { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import { createSessionController, type SessionController } from '../../src/session/session-controller.js';

/** Link timing for sessions over a real pseudo-terminal: short, with retries enough for a busy machine. */
export const PTY_SESSION_TIMING = {
  requestTimeoutMs: 150,
  requestRetries: 5,
  heartbeatIntervalMs: 100,
  reconnectDelayMs: 20,
  reconnectMaxDelayMs: 200,
};

export interface PtySession {
  generator: PtyGenerator;
  link: SerialGeneratorLink;
  controller: SessionController;
  close(): Promise<void>;
}

/** The simulator on a real pty (behind a stable symlink, so it survives replug), a link and a session. */
export async function startPtySession(options: PtyGeneratorOptions & { dwellMs?: number } = {}): Promise<PtySession> {
  const { dwellMs = 10, ...generatorOptions } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-pty-session-'));
  const portPath = path.join(dir, 'generator');
  const generator = await startPtyGenerator({ linkPath: portPath, ...generatorOptions });
  const link = openGeneratorLink({ port: portPath, timing: PTY_SESSION_TIMING });
  const controller = createSessionController({ link, dwellMs });
  return {
    generator,
    link,
    controller,
    async close() {
      controller.dispose();
      await link.close();
      await generator.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
