/**
 * A certificate authority and a server certificate made with openssl in a temporary directory, for
 * the TLS tests (sslmode=verify-full): the server certificate is for CN/SAN localhost and 127.0.0.1,
 * signed by the CA. FOR TESTS ONLY; the keys are thrown away with the directory.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface TestCa {
  /** The CA certificate (what a client gives as sslrootcert). */
  caCert: string;
  /** The server certificate and key signed by this CA. */
  serverCert: string;
  serverKey: string;
}

const openssl = (cwd: string, args: string[]) =>
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Makes CA `name` and, signed by it, a server certificate for localhost in `dir/name/`. */
export function makeTestCa(dir: string, name: string): TestCa {
  const at = path.join(dir, name);
  fs.mkdirSync(at, { recursive: true, mode: 0o700 });
  openssl(at, [
    'req',
    '-x509',
    ...EC,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    `/CN=scs test CA ${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  openssl(at, ['req', ...EC, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  fs.writeFileSync(
    path.join(at, 'server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
  );
  openssl(at, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-set_serial',
    '1',
    '-days',
    '2',
    '-extfile',
    'server.ext',
    '-out',
    'server.pem',
  ]);
  return {
    caCert: path.join(at, 'ca.pem'),
    serverCert: path.join(at, 'server.pem'),
    serverKey: path.join(at, 'server.key'),
  };
}
