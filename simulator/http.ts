/**
 * The simulator's HTTP layer: a fastify app whose front door (Host guard, percent-escape check,
 * nosniff, the agent API's Origin check) runs as `onRequest` hooks, so it covers every route,
 * every 404 and every websocket upgrade alike (@fastify/websocket routes upgrades through the same
 * hooks). Routes are registered by their owners (`chat/routes.ts`, the hosted service).
 *
 * The node:http server is the app's (`serverFactory`) but listens before the routes are known: the
 * hosted service builds its URLs from the real port, and with `port: 0` that exists only once the
 * server listens. Until the app is ready it answers 503.
 */
import { createServer } from 'node:http';

import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

import type { Logger } from './chat/logger';
import { type HostGuard, decodablePath } from './http-guard';

/** The SDK's frames are small JSON; 1 MB is far above any of them. */
const MAX_WS_PAYLOAD = 1024 * 1024;
const READS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sendText(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply.code(status).type('text/plain; charset=utf-8').send(text);
}

/** Answers the request itself when the front door refuses it; false lets it through. */
function refused(
  guard: HostGuard,
  request: FastifyRequest,
  reply: FastifyReply,
  routeUrl: string | undefined,
): boolean {
  if (!guard.allowsHost(request.headers.host)) {
    sendText(
      reply,
      403,
      'unknown Host: the simulator answers localhost, 127.0.0.1, [::1] and SIMULATOR_ALLOWED_HOSTS',
    );
    return true;
  }
  const rawPath = request.url.split('?')[0];
  if (!decodablePath(rawPath)) {
    sendText(reply, 400, 'malformed percent-escape in the path');
    return true;
  }
  // By the decoded path and the matched route, so no spelling of the URL slips past it.
  const agentApi = [decodeURIComponent(rawPath), routeUrl ?? ''].some((p) =>
    p.startsWith('/api/agent/'),
  );
  if (agentApi && !READS.has(request.method) && !guard.allowsStateChange(request.raw)) {
    sendText(reply, 403, 'foreign Origin: the agent API takes changes from the console page only');
    return true;
  }
  return false;
}

/**
 * Builds the app (not yet ready: register routes, then `await app.ready()`). A handler that
 * throws answers 500 and never takes the simulator down; bodies are left unread for the routes,
 * which stream them under their own limits.
 */
export async function createHttpApp(guard: HostGuard, log: Logger): Promise<FastifyInstance> {
  let ready = false;
  const app = Fastify({
    logger: false,
    // Node's own defaults (the server is ours): request 300 s, headers 60 s, keep-alive 5 s.
    serverFactory: (handler) =>
      createServer((req, res) => {
        if (ready) return handler(req, res);
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
        res.end('starting');
      }),
    // A broken request line or header: drop the socket, as before (no answer to a non-HTTP peer).
    clientErrorHandler: (_e, socket) => socket.destroy(),
    // A path the router cannot decode (`/files/%zz`) never reaches the hooks; refuse it the same way.
    frameworkErrors: (error, request, reply) => {
      reply.raw.setHeader('x-content-type-options', 'nosniff');
      if (request.headers.upgrade) reply.raw.once('finish', () => request.raw.socket.destroy());
      if (!refused(guard, request, reply, undefined)) sendText(reply, 400, error.message);
    },
  });
  app.addHook('onReady', (done) => {
    ready = true;
    done();
  });
  // Bodies stay streams: uploads are written to disk under their limits, JSON is read capped.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  // Loaded first: its onRequest hook must mark an upgrade before a refusal ends it (so the
  // socket is closed), and its onRoute hook must see the websocket routes.
  await app.register(fastifyWebsocket, {
    options: { maxPayload: MAX_WS_PAYLOAD, perMessageDeflate: false },
    // A client's broken or oversized frame ends its socket, silently as before (it reconnects).
    errorHandler: (_error, socket) => socket.terminate(),
  });
  app.addHook('onRequest', (request, reply, done) => {
    // Nothing the simulator serves is to be content-sniffed (an upload named .png stays an image).
    reply.raw.setHeader('x-content-type-options', 'nosniff');
    if (!refused(guard, request, reply, request.routeOptions.url)) done();
  });

  app.setNotFoundHandler((_request, reply) => sendText(reply, 404, 'not found'));
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status < 500) return sendText(reply, status, error.message);
    log.warn(`http ${request.method} failed: ${error.message}`);
    return sendText(reply, 500, 'internal error');
  });
  return app;
}
