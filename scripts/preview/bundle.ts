/**
 * esbuild bundles of the preview: the app (every page/component script plus app.ts, one IIFE, a lazy
 * factory per path) and the browser runtime (wx shim, router, built-in components).
 */
import fs from 'fs';
import path from 'path';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';

/** Files tried, in order, for a bare import found in a `miniprogram_npm` folder. */
const NPM_CANDIDATES = ['', '.js', '.ts', '/index.js', '/index.ts'];

/**
 * Resolves a bare import (`tslib`, `@tencentcloud/chat`, `dayjs/locale/en`) the way WeChat does:
 * from the nearest `miniprogram_npm` folder up from the importing file, never from node_modules.
 * Returns null when WeChat would not find it either.
 */
export function resolveMiniprogramNpm(root: string, importer: string, spec: string): string | null {
  let dir = path.dirname(importer);
  const top = path.resolve(root);
  for (;;) {
    const base = path.join(dir, 'miniprogram_npm', spec);
    for (const suffix of NPM_CANDIDATES) {
      const file = `${base}${suffix}`;
      if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
    }
    if (path.resolve(dir) === top || dir === path.dirname(dir)) return null;
    dir = path.dirname(dir);
  }
}

function miniprogramNpmPlugin(root: string): Plugin {
  return {
    name: 'miniprogram-npm',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const importer = args.importer || path.join(root, 'app.ts');
        const hit = resolveMiniprogramNpm(root, importer, args.path);
        if (hit) return { path: hit };
        return {
          errors: [
            {
              text: `"${args.path}" is not in any miniprogram_npm above ${path.relative(root, importer)} (run npm run pack-npm?)`,
            },
          ],
        };
      });
    },
  };
}

export interface AppBundleInput {
  root: string;
  /** Factory key (root-relative, no extension) → absolute script file. */
  scripts: Record<string, string>;
  outFile: string;
  minify: boolean;
}

/**
 * Bundles every script into one IIFE that defines `window.__FACTORIES__[key]`: calling a factory
 * evaluates its module once (esbuild's lazy `require` wrappers), as WeChat does per path.
 */
export async function bundleApp(
  input: AppBundleInput,
): Promise<{ bytes: number; warnings: string[] }> {
  const lines = ['var f = {};'];
  for (const [key, file] of Object.entries(input.scripts)) {
    const rel = `./${path.relative(input.root, file).split(path.sep).join('/')}`;
    lines.push(
      `f[${JSON.stringify(key)}] = function () { return require(${JSON.stringify(rel)}); };`,
    );
  }
  lines.push('window.__FACTORIES__ = f;');
  const result = await build({
    stdin: {
      contents: lines.join('\n'),
      resolveDir: input.root,
      sourcefile: 'preview-entry.js',
      loader: 'js',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2018',
    sourcemap: 'linked',
    minify: input.minify,
    outfile: input.outFile,
    logLevel: 'silent',
    plugins: [miniprogramNpmPlugin(input.root)],
  });
  return {
    bytes: fs.statSync(input.outFile).size,
    warnings: result.warnings.map((w) => w.text),
  };
}

/** Bundles the browser runtime (`runtime/boot.ts` and what it imports) into `outFile`. */
export async function bundleRuntime(outFile: string, minify: boolean): Promise<{ bytes: number }> {
  await build({
    entryPoints: [path.join(__dirname, 'runtime', 'boot.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2018',
    sourcemap: 'linked',
    minify,
    outfile: outFile,
    logLevel: 'silent',
  });
  return { bytes: fs.statSync(outFile).size };
}
