/** Serves a TCCC service's `handleHttp` from a loopback server on an ephemeral port. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

import type { TcccService } from '../../../simulator/tccc';

export interface Served {
  server: Server;
  origin: string;
  close(): Promise<void>;
}

export async function serve(service: TcccService): Promise<Served> {
  const server = createServer((req, res) => {
    if (!service.handleHttp(req, res)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
