// `npm start` (after `npm run build`): starts the Electron app. Where the Electron binary is
// missing (its download needs network access) or cannot start (e.g. no display), it says so in one
// sentence and starts the browser shell instead, so `npm install` then `npm start` always gives a
// working app. Arguments after `--` go to whichever shell runs (both take --library DIR).
//
// Also a module: dev.mjs and dist.mjs import electronBinary() from here.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** If Electron has not failed within this time, it is running. */
const STARTUP_GRACE_MS = 5000;

export const ELECTRON_MISSING =
  'The Electron desktop shell is not installed on this machine (its download needs network access; reinstall with `npm install` while online)';

/**
 * The path of the Electron executable in node_modules, or null when it is not there. Never loads
 * the electron package (that would try to download the binary).
 */
export function electronBinary(projectRoot = root) {
  const pkg = join(projectRoot, 'node_modules', 'electron');
  let relativePath;
  try {
    relativePath = readFileSync(join(pkg, 'path.txt'), 'utf8').trim() || null;
  } catch {
    relativePath = null;
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override
    ? join(override, relativePath ?? 'electron')
    : relativePath
      ? join(pkg, 'dist', relativePath)
      : null;
  return candidate && existsSync(candidate) ? candidate : null;
}

/** The folder holding the unpacked Electron (node_modules/electron/dist, or the override). */
export function electronDistDir(projectRoot = root) {
  return (
    process.env.ELECTRON_OVERRIDE_DIST_PATH || join(projectRoot, 'node_modules', 'electron', 'dist')
  );
}

/** The environment for Electron: never in run-as-node mode. */
export function electronEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

/** Runs a child to the end, forwarding Ctrl+C / SIGTERM; resolves with its exit code. */
function follow(child) {
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolvePromise) => {
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolvePromise(code ?? (signal ? 1 : 0));
    });
  });
}

/** Starts the browser shell (the built dist/electron/web/cli.js) and waits for it to end. */
export function runBrowserShell(args) {
  const cli = join(root, 'dist', 'electron', 'web', 'cli.js');
  if (!existsSync(cli)) {
    console.error(
      'The browser shell is not built yet (dist/electron/web/cli.js is missing): run `npm run build`, then `npm start` again.',
    );
    return Promise.resolve(1);
  }
  return follow(spawn(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' }));
}

/**
 * Starts Electron on the app. Resolves with { started: true, code } when it ran (code once it
 * ended), or { started: false, reason } when it failed within the first seconds.
 */
export function runElectron(binary, args, env = electronEnv()) {
  return new Promise((resolvePromise) => {
    const child = spawn(binary, ['.', ...args], {
      cwd: root,
      env,
      stdio: ['inherit', 'inherit', 'pipe'],
    });
    let early = true;
    let buffered = '';
    child.stderr.on('data', (chunk) => {
      if (early) buffered += chunk.toString();
      else process.stderr.write(chunk);
    });
    const timer = setTimeout(() => {
      early = false;
      if (buffered) process.stderr.write(buffered);
      void follow(child).then((code) => resolvePromise({ started: true, code }));
    }, STARTUP_GRACE_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolvePromise({ started: false, reason: error.message });
    });
    child.on('exit', (code, signal) => {
      if (!early) return;
      clearTimeout(timer);
      if (code === 0) {
        resolvePromise({ started: true, code: 0 });
        return;
      }
      const firstLine = buffered
        .split('\n')
        .map((line) => line.trim())
        .find((line) => line.length > 0);
      const why = signal ? `it stopped with ${signal}` : `it exited with code ${code}`;
      resolvePromise({
        started: false,
        reason: firstLine ? `${why}: ${firstLine.slice(0, 160)}` : why,
      });
    });
  });
}

async function main() {
  const args = process.argv.slice(2);
  const binary = electronBinary();
  if (!binary) {
    console.log(`${ELECTRON_MISSING} — starting Atelier in your browser instead.`);
    process.exit(await runBrowserShell(args));
  }
  const result = await runElectron(binary, args);
  if (result.started) process.exit(result.code);
  console.log(
    `The Electron desktop shell could not start on this machine (${result.reason}) — starting Atelier in your browser instead; if you expected the desktop app, reinstall with \`npm install\` while online.`,
  );
  process.exit(await runBrowserShell(args));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
