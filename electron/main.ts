/**
 * The Electron main process entry (bundled to dist/electron/main.js). Everything it does lives in
 * electron/shell/: this file only says where the bundled files are and starts the shell.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from 'electron';
import { start } from './shell/app';

declare const __ATELIER_VERSION__: string | undefined;

const here = dirname(fileURLToPath(import.meta.url));

start({
  // Next to this file in dist/electron/.
  preload: join(here, 'preload.cjs'),
  rendererDir: join(here, '..', 'renderer'),
  version: typeof __ATELIER_VERSION__ === 'string' ? __ATELIER_VERSION__ : app.getVersion(),
}).catch((error: unknown) => {
  console.error('Atelier could not start:', error);
  app.exit(1);
});
