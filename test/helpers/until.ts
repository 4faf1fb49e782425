/**
 * Waits until `check` holds, polling every few ms. The budget is generous on purpose: this guards
 * against a hang, it is not a timing assertion, and a cold first run on a fresh clone or a busy
 * machine can take seconds just to load Ink or spawn a process.
 */
export async function until(
  check: () => boolean,
  what: string,
  timeoutMs = 20_000,
  detail: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      const more = detail();
      throw new Error(`timed out waiting for ${what}${more ? `\n${more}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}
