// Bundles the Node side (Electron main, preload, the browser shell) with esbuild into dist/electron.
// The renderer is built by Vite (vite.config.ts) into dist/renderer.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
  define: { __ATELIER_VERSION__: JSON.stringify(pkg.version) },
};

await Promise.all([
  // Main process and browser shell: ESM, dependencies stay in node_modules (native modules inside).
  build({
    ...common,
    entryPoints: { main: 'electron/main.ts', 'web/cli': 'electron/web/cli.ts' },
    outdir: 'dist/electron',
    format: 'esm',
    packages: 'external',
    banner: {
      js: "import { createRequire as __atelierCreateRequire } from 'node:module'; const require = __atelierCreateRequire(import.meta.url);",
    },
  }),
  // A sandboxed preload must be one CommonJS file that requires nothing but 'electron'.
  build({
    ...common,
    entryPoints: { preload: 'electron/preload.ts' },
    outdir: 'dist/electron',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    external: ['electron'],
  }),
]);
