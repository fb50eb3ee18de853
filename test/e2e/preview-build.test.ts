/**
 * Node-side pieces of the preview (no browser): unit conversion, tab environment, URL rules,
 * component graph, npm resolution, WXSS/asset rewriting, the simulate patch and the static server.
 */
import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';
import zlib from 'zlib';
import { fixSvg, fontCss, iconCss, samplePng } from '../../scripts/preview/assets';
import { buildPreview, configJs, patchSimulate, PROJECT_ROOT } from '../../scripts/preview/build';
import { resolveMiniprogramNpm } from '../../scripts/preview/bundle';
import { readAppGraph, resolveComponentPath } from '../../scripts/preview/graph';
import {
  isLoopbackUrl,
  parseQuery,
  readTabEnv,
  resolveNavUrl,
  storagePrefix,
} from '../../scripts/preview/runtime/env';
import { convertUnits } from '../../scripts/preview/runtime/units';
import { safeJoin, servePreview } from '../../scripts/preview/serve';
import { readWxss, stripRemoteUrls } from '../../scripts/preview/wxss';
import { FIXTURE_ROOT, prepareFixture } from './rig';

const NPM = path.join(PROJECT_ROOT, 'miniprogram', 'miniprogram_npm');

describe('convertUnits', () => {
  const m = { width: 375, height: 603 };
  it('maps 750rpx to the phone width and keeps fractions', () => {
    expect(convertUnits('width:750rpx;margin:-32rpx 1.5rpx .5rpx', m)).toBe(
      'width:375px;margin:-16px 0.75px 0.25px',
    );
  });
  it('measures vh/vw against the page area', () => {
    expect(convertUnits('height:calc(100vh - 88rpx);width:50vw', m)).toBe(
      'height:calc(603px - 44px);width:187.5px',
    );
  });
  it('leaves other units and identifiers alone', () => {
    const css = '.t-w-10rpxx{font-size:14px;height:2em}.a-10vh{}';
    expect(convertUnits(css, m)).toBe(css);
  });
  it('scales font sizes only, as a large system font does', () => {
    const css =
      '.a{font-size:28rpx;line-height:44rpx;height:64rpx}' +
      'page{--td-font-size-base:28rpx;--td-font-body-medium:28rpx / 44rpx var(--f);--td-radius:8rpx}';
    expect(convertUnits(css, { ...m, fontScale: 1.5 })).toBe(
      '.a{font-size:21px;line-height:22px;height:32px}' +
        'page{--td-font-size-base:21px;--td-font-body-medium:21px / 22px var(--f);--td-radius:4px}',
    );
    expect(convertUnits(css, { ...m, fontScale: 1 })).toBe(convertUnits(css, m));
  });
});

describe('readTabEnv', () => {
  const session = (): {
    getItem(k: string): string | null;
    setItem(k: string, v: string): void;
    data: Map<string, string>;
  } => {
    const data = new Map<string, string>();
    return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
  };
  it('takes ?user=, ?lang=, ?theme= and leaves the rest as launch query', () => {
    const env = readTabEnv('?user=bob&lang=en&theme=dark&scene=1011&entry=qr', session());
    expect(env).toMatchObject({
      user: 'bob',
      language: 'en',
      theme: 'dark',
      scene: 1011,
      query: { entry: 'qr' },
    });
  });
  it('keeps one random user per tab session and sanitises names', () => {
    const s = session();
    const a = readTabEnv('', s, () => 0.5);
    expect(a.user).toMatch(/^u[0-9a-z]{6}$/);
    expect(readTabEnv('', s, () => 0.1).user).toBe(a.user);
    expect(readTabEnv('?user=<b>ad min', session()).user).toBe('badmin');
  });
  it('turns a non-numeric ?scene= into a mini-program-code launch (1047, query.scene encoded)', () => {
    const env = readTabEnv('?scene=s%3Dafter_sales%26g%3Dvip&page=pages/chat/chat', session());
    expect(env.scene).toBe(1047);
    expect(env.query).toEqual({ scene: 's%3Dafter_sales%26g%3Dvip' });
    expect(decodeURIComponent(env.query.scene ?? '')).toBe('s=after_sales&g=vip');
    expect(readTabEnv('?scene=1047', session())).toMatchObject({ scene: 1047, query: {} });
    expect(readTabEnv('', session()).scene).toBe(1001);
  });
  it('reads ?fontScale= within 1 to 2', () => {
    expect(readTabEnv('?fontScale=1.5', session()).fontScale).toBe(1.5);
    expect(readTabEnv('?fontScale=9', session()).fontScale).toBe(2);
    expect(readTabEnv('?fontScale=x', session()).fontScale).toBe(1);
    expect(readTabEnv('?fontScale=1.5&a=1', session()).query).toEqual({ a: '1' });
  });
  it('accepts only loopback overrides of the app config', () => {
    const env = readTabEnv('?proxy=ws://127.0.0.1:1234&login=https://evil.example', session());
    expect(env.proxyServer).toBe('ws://127.0.0.1:1234');
    expect(env.loginEndpoint).toBeUndefined();
  });
  it('separates storage per user', () => {
    expect(storagePrefix('alice')).not.toBe(storagePrefix('bob'));
  });
});

describe('URL rules', () => {
  it('isLoopbackUrl accepts 127/8, localhost and [::1] only', () => {
    expect(isLoopbackUrl('http://127.0.0.1:9500/api')).toBe(true);
    expect(isLoopbackUrl('ws://127.3.2.1:1')).toBe(true);
    expect(isLoopbackUrl('http://localhost/x')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:80/')).toBe(true);
    expect(isLoopbackUrl('https://127.0.0.1.example.com/')).toBe(false);
    expect(isLoopbackUrl('wss://im.example.com/')).toBe(false);
    expect(isLoopbackUrl('file:///etc/passwd')).toBe(false);
    expect(isLoopbackUrl('not a url')).toBe(false);
  });
  it('resolveNavUrl handles absolute, relative and query', () => {
    expect(resolveNavUrl('/pages/chat/chat?id=%E5%AE%A2&x', 'pages/a/a')).toEqual({
      route: 'pages/chat/chat',
      query: { id: '客', x: '' },
    });
    expect(resolveNavUrl('../b/b?y=1', 'pages/a/a')).toEqual({
      route: 'pages/b/b',
      query: { y: '1' },
    });
    expect(resolveNavUrl('c', 'pages/a/a').route).toBe('pages/a/c');
    expect(parseQuery('a=1&&b=%ZZ')).toEqual({ a: '1', b: '%ZZ' });
  });
});

describe('component graph', () => {
  let work: string;
  let root: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-graph-'));
    root = prepareFixture(FIXTURE_ROOT, work);
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('walks pages and usingComponents transitively with npm paths resolved', () => {
    const graph = readAppGraph(root);
    if (!graph.ok) throw new Error(JSON.stringify(graph.error));
    const paths = graph.value.components.map((c) => c.path);
    expect(paths.slice(0, 2)).toEqual(['pages/home/home', 'pages/detail/detail']);
    expect(paths).toContain('components/tag-chip/tag-chip');
    expect(paths).toContain('miniprogram_npm/tdesign-miniprogram/button/button');
    // tdesign's own relative dependency (button → loading)
    expect(paths).toContain('miniprogram_npm/tdesign-miniprogram/loading/loading');
    const home = graph.value.components[0];
    expect(home.json.usingComponents).toMatchObject({
      't-button': '/miniprogram_npm/tdesign-miniprogram/button/button',
    });
    expect(home.script?.endsWith('home.ts')).toBe(true);
    expect(graph.value.pageWindows['pages/home/home'].navigationBarTitleText).toBe('首页 Home');
    expect(graph.value.pageWindows['pages/detail/detail'].navigationBarBackgroundColor).toBe(
      '#ffffff',
    );
  });

  it('reports every unresolvable component', () => {
    const json = path.join(root, 'pages/detail/detail.json');
    const before = fs.readFileSync(json, 'utf8');
    fs.writeFileSync(
      json,
      JSON.stringify({ usingComponents: { 'x-a': '/nope/a', 'x-b': 'no-such-pkg/b' } }),
    );
    try {
      const graph = readAppGraph(root);
      expect(graph.ok).toBe(false);
      if (!graph.ok)
        expect(graph.error.map((e) => e.message)).toEqual([
          expect.stringContaining('"x-a"'),
          expect.stringContaining('"x-b"'),
        ]);
    } finally {
      fs.writeFileSync(json, before);
    }
  });

  it('resolveComponentPath: relative first, then the nearest miniprogram_npm', () => {
    expect(
      resolveComponentPath(root, 'pages/home/home', '../../components/tag-chip/tag-chip'),
    ).toBe('components/tag-chip/tag-chip');
    expect(resolveComponentPath(root, 'pages/home/home', 'tdesign-miniprogram/icon/icon')).toBe(
      'miniprogram_npm/tdesign-miniprogram/icon/icon',
    );
    expect(resolveComponentPath(root, 'pages/home/home', '../../../outside')).toBeNull();
  });
});

describe('resolveMiniprogramNpm', () => {
  it('finds packages in the nearest miniprogram_npm, like WeChat', () => {
    const button = path.join(NPM, 'tdesign-miniprogram', 'button', 'button.js');
    expect(resolveMiniprogramNpm(path.dirname(NPM), button, 'tslib')).toBe(
      path.join(NPM, 'tdesign-miniprogram', 'miniprogram_npm', 'tslib', 'index.js'),
    );
    const page = path.join(PROJECT_ROOT, 'miniprogram', 'pages', 'x', 'x.ts');
    expect(resolveMiniprogramNpm(path.dirname(NPM), page, '@tencentcloud/chat')).toBe(
      path.join(NPM, '@tencentcloud', 'chat', 'index.js'),
    );
    expect(resolveMiniprogramNpm(path.dirname(NPM), page, 'left-pad')).toBeNull();
  });
});

describe('WXSS and assets', () => {
  it('drops remote fonts and URLs', () => {
    const css =
      "@font-face{font-family:t;src:url(https://cdn.example/t.woff) format('woff')}.a{background:url(//cdn.example/x.png)}.b{background:url(data:,x)}";
    expect(stripRemoteUrls(css)).toBe('.a{background:none}.b{background:url(data:,x)}');
  });
  it('inlines @imports and the icon font URL is gone from tdesign icon.wxss', () => {
    const css = readWxss(
      path.join(NPM, 'tdesign-miniprogram', 'icon', 'icon.wxss'),
      path.dirname(NPM),
    );
    expect(css).not.toMatch(/@import/);
    expect(css).not.toMatch(/https?:\/\//);
    expect(css).toContain('.t-icon-base');
  });
  it('icon masks, SVG fix and the font family rename', () => {
    expect(iconCss(['chat'])).toContain('.t-icon--t-icon-chat{--preview-icon:url(icons/chat.svg)}');
    expect(fixSvg('<svg view-box="0 0 24 24">')).toBe('<svg viewBox="0 0 24 24">');
    const font = fontCss(
      "@font-face{font-family: 'Noto Sans SC Variable';font-display: swap;src:url(./files/a.woff2)}",
      'fonts',
    );
    expect(font).toBe(
      "@font-face{font-family: 'PingFang SC';font-display: block;src:url(fonts/a.woff2)}",
    );
  });
  it('samplePng is a valid PNG of the asked size', () => {
    const png = samplePng(32, 16);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(32);
    expect(png.readUInt32BE(20)).toBe(16);
    const idat = png.indexOf('IDAT');
    const len = png.readUInt32BE(idat - 4);
    expect(zlib.inflateSync(png.subarray(idat + 4, idat + 4 + len)).length).toBe((32 * 3 + 1) * 16);
  });
});

describe('patchSimulate', () => {
  it('routes both rpx converters through the preview and writes ids to the DOM', () => {
    const src = fs.readFileSync(
      path.join(PROJECT_ROOT, 'node_modules', 'miniprogram-simulate', 'build.js'),
      'utf8',
    );
    const out = patchSimulate(src);
    if (!out.ok) throw new Error(out.error);
    expect(out.value.match(/window\.__PREVIEW_UNITS__\(style\)/g)).toHaveLength(2);
    expect(out.value).toContain('writeIdToDOM: true,');
    expect(patchSimulate('function x() {}').ok).toBe(false);
  });
});

describe('buildPreview', () => {
  it('fails as a value when miniprogram_npm is missing', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-nonpm-'));
    try {
      fs.writeFileSync(path.join(root, 'app.json'), '{"pages":["a/a"]}');
      const r = await buildPreview({ root, outDir: path.join(root, 'out') });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.stage).toBe('npm');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('servePreview', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-serve-'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<p>hi</p>');
    fs.writeFileSync(path.join(dir, 'config.js'), 'window.__APP_CONFIG__ = {"from":"disk"};');
    fs.writeFileSync(path.join(os.tmpdir(), 'preview-secret.txt'), 'secret');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const get = (url: string): Promise<{ status: number; body: string; type: string }> =>
    new Promise((resolve, reject) => {
      http
        .get(url, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body,
              type: String(res.headers['content-type']),
            }),
          );
        })
        .on('error', reject);
    });

  it('serves files on 127.0.0.1, config.js from memory, and nothing outside its folder', async () => {
    const appConfig = { loginEndpoint: 'http://127.0.0.1:1', proxyServer: 'ws://127.0.0.1:2' };
    const server = await servePreview({
      dir,
      port: 0,
      appConfig,
      previewEnv: { consoleUrl: 'http://127.0.0.1:2/console' },
    });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const index = await get(server.url);
      expect(index).toMatchObject({ status: 200, body: '<p>hi</p>' });
      expect(index.type).toContain('text/html');
      appConfig.loginEndpoint = 'http://127.0.0.1:3';
      const config = await get(`${server.url}config.js`);
      expect(config.body).toBe(configJs(appConfig, { consoleUrl: 'http://127.0.0.1:2/console' }));
      expect(config.body).toContain('127.0.0.1:3');
      expect((await get(`${server.url}missing.js`)).status).toBe(404);
      expect((await get(`${server.url}..%2fpreview-secret.txt`)).status).not.toBe(200);
    } finally {
      await server.close();
    }
  });

  it('/__loopback forwards to allowed origins only, body and status included', async () => {
    const seen: string[] = [];
    const upstream = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${body} origin=${String(req.headers.origin)}`);
        res.writeHead(201, { 'content-type': 'text/plain', 'x-up': '1' }).end('stored');
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const port = (upstream.address() as { port: number }).port;
    const server = await servePreview({
      dir,
      port: 0,
      appConfig: { loginEndpoint: 'http://127.0.0.1:1', proxyServer: 'ws://127.0.0.1:1' },
      proxyOrigins: [`http://127.0.0.1:${port}`],
    });
    const post = (target: string): Promise<{ status: number; body: string; up?: string }> =>
      new Promise((resolve, reject) => {
        const req = http.request(
          `${server.url}__loopback?url=${encodeURIComponent(target)}`,
          {
            method: 'POST',
            headers: { origin: server.url.slice(0, -1), 'content-type': 'text/plain' },
          },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body,
                up: res.headers['x-up'] as string | undefined,
              }),
            );
          },
        );
        req.on('error', reject);
        req.end('payload');
      });
    try {
      expect(await post(`http://127.0.0.1:${port}/upload/a?sign=s`)).toEqual({
        status: 201,
        body: 'stored',
        up: '1',
      });
      expect(seen).toEqual(['POST /upload/a?sign=s payload origin=undefined']);
      expect((await post(`http://127.0.0.1:${port + 1}/x`)).status).toBe(403);
      expect((await post('http://example.com/x')).status).toBe(403);
      expect((await get(`${server.url}config.js`)).body).toContain('"loopbackProxy":"/__loopback"');
    } finally {
      await server.close();
      await new Promise<void>((r) => upstream.close(() => r()));
    }
  });

  it('safeJoin never leaves the folder', () => {
    expect(safeJoin('/srv/p', '/a/b.js')).toBe('/srv/p/a/b.js');
    expect(safeJoin('/srv/p', '/../../etc/passwd')).toBe('/srv/p/etc/passwd');
    expect(safeJoin('/srv/p', '/%2e%2e/x')).toBe('/srv/p/x');
    expect(safeJoin('/srv/p', '/a%00')).toBeNull();
  });
});
