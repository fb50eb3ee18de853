/**
 * The Chat backend's routes: `/healthz`, the admin REST under `/v4/`, uploads and downloads, and
 * the SDK's websocket, which it opens on any path (`/binfo`, `/info`, ...): every GET that no other
 * route claims is a websocket route, and without an upgrade it is a 404.
 */
import { createReadStream } from 'node:fs';

import type { FastifyInstance, FastifyRequest } from 'fastify';

import { sendText } from '../http';
import type { ChatBackend } from './backend';
import { SERVICE_AVATAR } from './files';
import { handleRest } from './rest';

/** The request's URL (path still encoded) and its path's tail after `prefix`, decoded. */
function locate(request: FastifyRequest, prefix: string): { url: URL; name: string } {
  const url = new URL(request.url, 'http://localhost');
  return { url, name: decodeURIComponent(url.pathname.slice(prefix.length)) };
}

export function registerChatRoutes(app: FastifyInstance, backend: ChatBackend): void {
  // A Buffer, so fastify keeps the content type as it always was (no charset appended).
  app.all('/healthz', (_request, reply) =>
    reply.header('content-type', 'application/json').send(
      Buffer.from(
        JSON.stringify({
          ok: true,
          sdkAppID: backend.config.sdkAppID,
          connections: backend.connectionCount(),
          online: backend.onlineCount(),
          users: backend.store.userCount(),
          messages: backend.store.maxId(),
        }),
      ),
    ),
  );

  app.all('/v4/*', async (request, reply) => {
    const answer = await handleRest(backend, request.raw, locate(request, '/v4/').url);
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(answer));
  });

  app.route({
    method: ['POST', 'PUT'],
    url: '/upload/*',
    handler: (request, reply) => {
      const { url, name } = locate(request, '/upload/');
      reply.hijack();
      backend.files.handleUpload(request.raw, reply.raw, name, url);
    },
  });

  app.route({
    method: ['GET', 'HEAD'],
    url: '/files/*',
    handler: (request, reply) => {
      const file = backend.files.download(locate(request, '/files/').name);
      if (!file) return sendText(reply, 404, 'not found');
      reply.headers(file.headers);
      return reply.send(request.method === 'HEAD' ? undefined : createReadStream(file.path));
    },
  });
  app.route({
    method: ['GET', 'HEAD'],
    url: '/assets/service-avatar.svg',
    handler: (_request, reply) => reply.headers(SERVICE_AVATAR.headers).send(SERVICE_AVATAR.body),
  });

  app.route({
    method: 'GET',
    url: '/*',
    handler: (_request, reply) => sendText(reply, 404, 'not found'),
    wsHandler: (socket, request) => backend.attach(socket, request.raw),
  });
}
