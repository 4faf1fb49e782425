/**
 * Why listing serial ports failed, in words a person can act on. Shared by `scs ports` and the
 * bedside UI's connect screen, which both call serialport's SerialPort.list().
 */
export function explainListError(error: unknown): string {
  const err = error as NodeJS.ErrnoException & { path?: string; spawnargs?: string[] };
  const text = `${err?.code ?? ''} ${err?.message ?? String(error)}`;
  if (/udevadm/.test(text) && /ENOENT/.test(text)) {
    return 'cannot list serial ports: udevadm was not found. On Linux, listing needs udev, which containers and minimal systems lack.';
  }
  return `cannot list serial ports: ${err?.message ?? String(error)}.`;
}
