// The esbuild options of the Node side (Electron main, preload, the browser shell), shared by
// bundle.mjs (one build) and dev.mjs (watch mode). The renderer is built by Vite.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

/** One esbuild options object per output; `plugins` go into each. */
export function nodeBundles(plugins = () => []) {
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node22',
    sourcemap: true,
    logLevel: 'warning',
    define: { __ATELIER_VERSION__: JSON.stringify(pkg.version) },
  };
  return [
    // Main process and browser shell: ESM, dependencies stay in node_modules (native modules inside).
    {
      ...common,
      entryPoints: { main: 'electron/main.ts', 'web/cli': 'electron/web/cli.ts' },
      outdir: 'dist/electron',
      format: 'esm',
      packages: 'external',
      plugins: plugins(),
      banner: {
        js: "import { createRequire as __atelierCreateRequire } from 'node:module'; const require = __atelierCreateRequire(import.meta.url);",
      },
    },
    // A sandboxed preload must be one CommonJS file that requires nothing but 'electron'.
    {
      ...common,
      entryPoints: { preload: 'electron/preload.ts' },
      outdir: 'dist/electron',
      outExtension: { '.js': '.cjs' },
      format: 'cjs',
      external: ['electron'],
      plugins: plugins(),
    },
  ];
}
