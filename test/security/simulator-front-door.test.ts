/**
 * The front door (Host guard, percent-escape check, nosniff) is a set of fastify hooks, so it must
 * hold for every route, including ones a hosted service adds and websocket upgrades; and a route
 * that throws answers 500 without taking the simulator down.
 */
import type { RouteOptions } from 'fastify';
import { WebSocket } from 'ws';

import { type RunningSimulator, startSimulator } from '../../simulator';
import { createTcccService } from '../../simulator/tccc';
import { rawRequest } from '../simulator/support/http';

let sim: RunningSimulator;
const serviceRoutes: RouteOptions[] = [];

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    quiet: true,
    env: false,
    service: (backend, ctx) => {
      const tccc = createTcccService(backend, {
        publicOrigin: ctx.httpUrl,
        logger: { info: () => undefined, warn: () => undefined },
      });
      return {
        register: async (app) => {
          app.addHook('onRoute', (route) => {
            serviceRoutes.push(route);
          });
          app.get('/boom', () => {
            throw new Error('handler bug');
          });
          await tccc.register(app);
        },
        close: () => tccc.close(),
      };
    },
  });
});
afterAll(() => sim.close());

/** Every method and concrete path of the hosted service's routes, plus the simulator's own. */
function everyRoute(): { method: string; path: string }[] {
  const own = [
    { method: 'GET', path: '/healthz' },
    { method: 'POST', path: '/v4/openim/sendmsg' },
    { method: 'POST', path: '/upload/x.png?sign=x' },
    { method: 'GET', path: '/files/x.png' },
    { method: 'GET', path: '/assets/service-avatar.svg' },
    { method: 'GET', path: '/binfo' },
    { method: 'GET', path: '/no/such/path' },
  ];
  const hosted = serviceRoutes.flatMap((route) =>
    (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({
      method,
      path: route.url.replace(/\*$/, 'x.svg'),
    })),
  );
  return [...own, ...hosted];
}

it("refuses a foreign Host on every route, the hosted service's included", async () => {
  const routes = everyRoute();
  expect(routes.some((r) => r.path.startsWith('/console'))).toBe(true);
  expect(routes.some((r) => r.path.startsWith('/api/agent/'))).toBe(true);
  for (const { method, path } of routes) {
    const res = await rawRequest(sim.port, {
      method,
      path,
      headers: { host: 'rebound.test', 'content-type': 'application/json' },
      // Node frames a request body only for these (any other would read as the next request).
      body: ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : undefined,
    });
    expect([method, path, res.status]).toEqual([method, path, 403]);
    expect([method, path, res.headers['x-content-type-options']]).toEqual([
      method,
      path,
      'nosniff',
    ]);
  }
});

function upgrade(path: string, host?: string): Promise<{ status: number; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${sim.wsUrl}${path}`, {
      ...(host ? { headers: { host } } : {}),
      handshakeTimeout: 5000,
    });
    ws.on('open', () => {
      ws.terminate();
      resolve({ status: 101, closed: false });
    });
    ws.on('unexpected-response', (_req, res) => {
      // The server ends the socket after its refusal; it must not be left open.
      const done = () => resolve({ status: res.statusCode ?? 0, closed: true });
      if (res.socket.destroyed) done();
      else res.socket.once('close', done);
      res.resume();
    });
    ws.on('error', reject);
  });
}

it('refuses websocket upgrades under a foreign Host or with a malformed path, and closes them', async () => {
  for (const path of ['/', '/binfo', '/info', '/proxy/prefix/binfo', '/console']) {
    expect([path, await upgrade(path, 'evil.test')]).toEqual([path, { status: 403, closed: true }]);
  }
  expect(await upgrade('/%zz/binfo')).toEqual({ status: 400, closed: true });
});

it("opens the SDK's websocket on any path it may use (a proxyServer with a path included)", async () => {
  for (const path of ['/binfo', '/info', '/', '/proxy/prefix/binfo']) {
    expect([path, (await upgrade(path)).status]).toEqual([path, 101]);
  }
});

it('answers a handler that throws with 500, logs it, and keeps serving', async () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const res = await rawRequest(sim.port, { path: '/boom' });
  expect(warn).toHaveBeenCalledWith('[simulator] http GET failed: handler bug');
  warn.mockRestore();
  expect(res.status).toBe(500);
  expect(res.body).toBe('internal error');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect((await rawRequest(sim.port, { path: '/healthz' })).status).toBe(200);
});
