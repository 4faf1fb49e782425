/**
 * The web-diary benchmark's anchor: a bare `node:http` server that answers the same POST
 * /api/entries requests the diary server gets (reads and parses the JSON body, answers 201 with a
 * small JSON) with no framework, no validation and no storage. Run as its own process, like the server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let id: unknown;
    try {
      id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown }).id ?? null;
    } catch {
      res.writeHead(400).end();
      return;
    }
    const body = JSON.stringify({ entry: { id }, duplicate: false });
    res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`serving the patient diary at http://127.0.0.1:${port}/ (anchor: bare node:http)\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
