import { SerialPort } from 'serialport';
import { LinkError } from './generator-link.js';
import { DEFAULT_BAUD, type PortConnection, type PortOpener } from './port-opener.js';

export { DEFAULT_BAUD } from './port-opener.js';

/** Opens a real serial port (serialport 13 with its native binding), a new port object per connection. */
export function serialPortOpener(path: string, baudRate = DEFAULT_BAUD): PortOpener {
  return {
    source: 'serial',
    description: path,
    async open(): Promise<PortConnection> {
      // autoOpen off and a fresh object: nothing written before this connection can be replayed on it.
      const port = new SerialPort({ path, baudRate, autoOpen: false });
      try {
        await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
      } catch (error) {
        port.destroy();
        throw new LinkError(explainOpenError(path, error as NodeJS.ErrnoException));
      }
      // Paced at the port's baud, a pty included: a real UART would send no faster (PROTOCOL.md §4.5).
      return { stream: port, pacing: { baud: baudRate }, close: () => closePort(port) };
    },
  };
}

function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) {
      port.destroy();
      resolve();
      return;
    }
    port.close(() => {
      port.destroy();
      resolve();
    });
  });
}

/** Turns the binding's error into what a person at the bedside can act on. */
export function explainOpenError(path: string, error: NodeJS.ErrnoException): string {
  const text = `${error.code ?? ''} ${error.message}`;
  if (/ENOENT|No such file/i.test(text)) {
    return `cannot open ${path}: no such port. Check the cable, run 'scs ports' to list ports, or start a simulator with 'scs sim'.`;
  }
  if (/EACCES|Permission denied/i.test(text)) {
    return `cannot open ${path}: permission denied. Add your user to the port's group (on Linux usually: sudo usermod -aG dialout $USER, then log in again).`;
  }
  if (/EBUSY|lock|Resource temporarily unavailable/i.test(text)) {
    return `cannot open ${path}: the port is in use by another program. Close it (another scs, a terminal program) and try again.`;
  }
  if (/baud/i.test(text)) return `cannot open ${path} at the requested baud rate: ${error.message}. Try --baud 115200.`;
  return `cannot open ${path}: ${error.message}`;
}
