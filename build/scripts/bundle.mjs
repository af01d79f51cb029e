// Bundles the Node side (Electron main, preload, the browser shell) with esbuild into dist/electron.
// The renderer is built by Vite (vite.config.ts) into dist/renderer.
import { build } from 'esbuild';
import { nodeBundles } from './node-bundles.mjs';

await Promise.all(nodeBundles().map((options) => build(options)));
