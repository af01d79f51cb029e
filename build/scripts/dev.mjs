// `npm run dev`: the app with live reload.
//   - Vite's dev server serves the renderer (hot reload of React code);
//   - esbuild rebuilds the main process, the preload and the browser shell on every change, and
//     Electron is relaunched after each rebuild (ATELIER_DEV_SERVER_URL tells the shell to load the
//     dev server, which only an unpackaged app accepts).
// Where the Electron binary is missing or cannot start, it says so in one sentence and runs the
// browser shell instead: Vite rebuilds dist/renderer on change (reload the page), and the browser
// shell restarts after each rebuild of the Node side. Arguments after `--` go to the shell.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { context } from 'esbuild';
import { build as viteBuild, createServer } from 'vite';
import { nodeBundles } from './node-bundles.mjs';
import { ELECTRON_MISSING, electronBinary, electronEnv, root } from './start.mjs';

const args = process.argv.slice(2);
const STARTUP_GRACE_MS = 5000;
const viteConfig = join(root, 'vite.config.ts');

// ---------------------------------------------------------------------------------------------
// The Node side, as build/scripts/bundle.mjs builds it, in watch mode.

let onRebuilt = () => undefined;
let debounce;
const firstBuilds = [];
/** Resolves its first build (watch() does one); later successful builds call onRebuilt. */
function notify() {
  let initial = true;
  let resolveFirst;
  firstBuilds.push(new Promise((resolvePromise) => (resolveFirst = resolvePromise)));
  return {
    name: 'atelier-dev-notify',
    setup(build) {
      build.onEnd((result) => {
        if (initial) {
          initial = false;
          resolveFirst();
          return;
        }
        if (result.errors.length > 0) return;
        clearTimeout(debounce);
        debounce = setTimeout(() => onRebuilt(), 150);
      });
    },
  };
}
const contexts = await Promise.all(
  nodeBundles(() => [notify()]).map((options) => context(options)),
);
await Promise.all(contexts.map((ctx) => ctx.watch()));
await Promise.all(firstBuilds);

// ---------------------------------------------------------------------------------------------
// Shutting down: everything this script started.

let child = null;
let viteServer = null;
let viteWatcher = null;
let stopping = false;

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  clearTimeout(debounce);
  if (child && child.exitCode === null) child.kill('SIGTERM');
  await Promise.allSettled([
    ...contexts.map((ctx) => ctx.dispose()),
    viteServer?.close(),
    viteWatcher?.close(),
  ]);
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

/** Stops the running child (if any) and waits until it is gone. */
function stopChild() {
  const current = child;
  child = null;
  if (!current || current.exitCode !== null || current.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolvePromise) => {
    current.once('exit', () => resolvePromise());
    current.kill('SIGTERM');
  });
}

// ---------------------------------------------------------------------------------------------
// The browser shell (fallback).

async function runBrowser() {
  onRebuilt = () => undefined;
  await viteServer?.close();
  viteServer = null;
  // Rebuild dist/renderer on every change; wait for the first build to write index.html.
  const index = join(root, 'dist', 'renderer', 'index.html');
  const since = Date.now();
  viteWatcher = await viteBuild({
    configFile: viteConfig,
    logLevel: 'error',
    build: { watch: {} },
  });
  viteWatcher.on('event', (event) => {
    if (event.type === 'BUNDLE_END') void event.result?.close();
  });
  for (let waited = 0; waited < 60_000; waited += 200) {
    if (existsSync(index) && statSync(index).mtimeMs >= since - 1000) break;
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 200));
  }
  let port = null;
  const launch = (extra) => {
    const shellArgs = [...args, ...extra];
    if (port && !shellArgs.includes('--port')) shellArgs.push('--port', port);
    const cli = join(root, 'dist', 'electron', 'web', 'cli.js');
    const started = spawn(process.execPath, [cli, ...shellArgs], {
      cwd: root,
      stdio: ['inherit', 'pipe', 'inherit'],
    });
    started.stdout.on('data', (chunk) => {
      const text = chunk.toString();
      port ??= /http:\/\/127\.0\.0\.1:(\d+)\//.exec(text)?.[1] ?? null;
      process.stdout.write(text);
    });
    started.on('exit', (code) => {
      if (child === started) void shutdown(code ?? 0);
    });
    child = started;
  };
  onRebuilt = () => {
    void stopChild().then(() => {
      console.log('The Node side changed: restarting the browser shell (open the new address).');
      launch(['--no-open']);
    });
  };
  launch([]);
}

// ---------------------------------------------------------------------------------------------
// Electron.

const binary = electronBinary();
if (!binary) {
  console.log(`${ELECTRON_MISSING} — starting Atelier in your browser instead.`);
  await runBrowser();
} else {
  viteServer = await createServer({ configFile: viteConfig, server: { strictPort: false } });
  await viteServer.listen();
  const url = viteServer.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/';
  console.log(`Vite dev server at ${url}`);
  let first = true;
  const launch = () => {
    const startedAt = Date.now();
    const started = spawn(binary, ['.', ...args], {
      cwd: root,
      env: electronEnv({ ATELIER_DEV_SERVER_URL: url }),
      stdio: 'inherit',
    });
    started.on('exit', (code, signal) => {
      if (child !== started) return; // relaunched on purpose
      child = null;
      const failedEarly = code !== 0 && Date.now() - startedAt < STARTUP_GRACE_MS;
      if (first && failedEarly) {
        console.log(
          `The Electron desktop shell could not start on this machine (it exited with ${signal ?? `code ${code}`}) — starting Atelier in your browser instead; if you expected the desktop app, reinstall with \`npm install\` while online.`,
        );
        void runBrowser();
        return;
      }
      void shutdown(code ?? 0);
    });
    setTimeout(() => (first = false), STARTUP_GRACE_MS).unref();
    child = started;
  };
  onRebuilt = () => {
    void stopChild().then(() => {
      if (!stopping) launch();
    });
  };
  launch();
}
