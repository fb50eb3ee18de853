/** Serves a TCCC service's routes from a bare fastify app on an ephemeral loopback port. */
import Fastify from 'fastify';

import type { TcccService } from '../../../simulator/tccc';

export interface Served {
  origin: string;
  close(): Promise<void>;
}

export async function serve(service: TcccService): Promise<Served> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  await service.register(app);
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain').send('not found'));
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  return { origin, close: () => app.close() };
}
