import { parseCommandLine } from '../shared/parse-command-line.js';
import type { Command, CommandIo } from './command.js';
import { UserError } from '../errors/user-error.js';
import { explainListError } from '../shared/serial-port-list-error.js';

export interface ListedPort {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
  pnpId?: string | undefined;
  locationId?: string | undefined;
}

export type PortLister = () => Promise<ListedPort[]>;

const HELP = `Usage: scs ports [--json]

Lists the serial ports this machine can see, to pass one to 'scs --port PATH'.

Options:
  --json   print one JSON document: {"ports":[{"path":..,"manufacturer":..,"serialNumber":..,
           "vendorId":..,"productId":..,"pnpId":..,"locationId":..}]}; on failure {"ports":null,"error":".."}
  --help   show this help

Pseudo-terminals (such as the one 'scs sim' prints) are never listed: connect to them by path.
On Linux the list comes from udev (udevadm); without it listing is impossible, but --port PATH works.
`;

const ADVICE =
  "Connect by path instead: 'scs --port /dev/ttyUSB0' (or /dev/ttyACM0, COM3, ...), " +
  "or start the generator simulator on a pseudo-terminal with 'scs sim' and pass the path it prints to --port.";

async function defaultLister(): Promise<ListedPort[]> {
  const { SerialPort } = await import('serialport');
  return SerialPort.list();
}

const OPTIONS = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

export async function runPorts(argv: string[], io: CommandIo, list: PortLister = defaultLister): Promise<number> {
  const { values } = parseCommandLine(argv, { options: OPTIONS }, 'scs ports');
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  let ports: ListedPort[];
  try {
    ports = await list();
  } catch (error) {
    const reason = explainListError(error);
    if (values.json) io.stdout.write(`${JSON.stringify({ ports: null, error: `${reason} ${ADVICE}` })}\n`);
    throw new UserError(`${reason}\n${ADVICE}`);
  }
  ports = [...ports].sort((a, b) => a.path.localeCompare(b.path));
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ ports: ports.map(normalize) })}\n`);
    return 0;
  }
  if (ports.length === 0) {
    io.stdout.write(`No serial ports found. Pseudo-terminals are never listed. ${ADVICE}\n`);
    return 0;
  }
  const width = Math.max(...ports.map((p) => p.path.length));
  for (const p of ports) {
    const usbId = p.vendorId && p.productId ? `${p.vendorId}:${p.productId}` : '';
    const details = [p.manufacturer, usbId, p.serialNumber && `serial ${p.serialNumber}`].filter(Boolean).join('  ');
    io.stdout.write(`${p.path.padEnd(width)}  ${details}`.trimEnd() + '\n');
  }
  io.stdout.write(`\nConnect with: scs --port ${ports[0]!.path}\n`);
  return 0;
}

function normalize(p: ListedPort): Required<{ [K in keyof ListedPort]: string | null }> {
  return {
    path: p.path,
    manufacturer: p.manufacturer ?? null,
    serialNumber: p.serialNumber ?? null,
    vendorId: p.vendorId ?? null,
    productId: p.productId ?? null,
    pnpId: p.pnpId ?? null,
    locationId: p.locationId ?? null,
  };
}

/** `scs ports`: the serial ports this machine can see, for `--port PATH`. */
const command: Command = {
  summary: 'list serial ports to connect a real generator (--json)',
  run: (argv, io) => runPorts(argv, io),
};
export default command;
