/**
 * Issue: an uploaded SVG was served same-origin with the agent console, without CSP or nosniff, and
 * its script drove the agent API. Every answer now says nosniff, the console runs under a CSP
 * without inline script, and uploads other than raster images are downloads under a sandbox CSP.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { type RunningSimulator, startSimulator } from '../../simulator';
import { rawRequest } from '../simulator/support/http';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, quiet: true, env: false });
});
afterAll(() => sim.close());

async function upload(fileName: string, body: string): Promise<string> {
  const ticket = sim.backend.files.issue(fileName);
  const url = new URL(ticket.uploadUrl);
  const res = await rawRequest(sim.port, {
    method: 'POST',
    path: `${url.pathname}${url.search}`,
    headers: { 'content-type': 'application/octet-stream' },
    body,
  });
  expect(res.status).toBe(200);
  return new URL(ticket.downloadUrl).pathname;
}

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/api/agent/end",{method:"POST"})</script></svg>';

it('says nosniff on every kind of answer', async () => {
  const png = await upload('a.png', 'not really a png');
  const paths = [
    '/healthz',
    '/console',
    '/console/console.js',
    '/api/agent/sessions',
    '/v4/im_open_login_svc/account_import',
    '/no/such/path',
    '/assets/service-avatar.svg',
    png,
    '/files/%zz',
  ];
  for (const path of paths) {
    const res = await rawRequest(sim.port, { path });
    expect([path, res.headers['x-content-type-options']]).toEqual([path, 'nosniff']);
  }
});

it('serves the console under a CSP that allows no inline script, and the page has none', async () => {
  const res = await rawRequest(sim.port, { path: '/console' });
  const csp = String(res.headers['content-security-policy']);
  expect(csp).toMatch(/script-src 'self'(;|$)/);
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(csp).toContain("frame-ancestors 'none'");
  // No inline script, event handler or style attribute to need an exception.
  expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
  expect(res.body).not.toMatch(/\son[a-z]+\s*=/i);
  expect(res.body).not.toMatch(/\sstyle\s*=|<style/i);
  const html = readFileSync(join(__dirname, '../../simulator/console/index.html'), 'utf8');
  expect(res.body).toBe(html);
});

it('serves an uploaded SVG or HTML file as an attachment under a sandbox CSP', async () => {
  for (const [name, body, type] of [
    ['evil.svg', SVG, 'image/svg+xml'],
    ['evil.html', '<script>alert(1)</script>', 'application/octet-stream'],
    ['evil', '<script>alert(1)</script>', 'application/octet-stream'],
  ] as const) {
    const res = await rawRequest(sim.port, { path: await upload(name, body) });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers['content-disposition']).toMatch(/^attachment/);
    expect(String(res.headers['content-security-policy'])).toMatch(/(^|; )sandbox(;|$)/);
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'");
  }
});

it('keeps raster images inline (thumbnails), still sandboxed and nosniff', async () => {
  for (const name of ['p.png', 'p.jpg', 'p.jpeg', 'p.gif', 'p.webp']) {
    const res = await rawRequest(sim.port, { path: await upload(name, 'pixels') });
    expect(res.headers['content-disposition']).toBe('inline');
    expect(res.headers['content-type']).toMatch(/^image\/(png|jpeg|gif|webp)$/);
    expect(String(res.headers['content-security-policy'])).toMatch(/sandbox/);
  }
});
