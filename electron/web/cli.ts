/**
 * `npm run serve -- [--port N] [--library DIR] [--no-open] [--help]`: the browser shell.
 *
 * Prints exactly one line on stdout, `Atelier is running at http://127.0.0.1:PORT/#code=CODE`,
 * opens the system browser unless --no-open, and stops cleanly on SIGINT/SIGTERM. Everything else
 * (warnings, errors) goes to stderr. Each address carries a one-time code (the browser is opened
 * with its own), which the page swaps for the session credential: a code seen in the process list
 * or left in the terminal is worthless once used.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHost, type Host } from '../core/host';
import { parseArgs, USAGE } from './args';
import { openBrowser } from './open-browser';
import { createMediaBase } from './security';
import { startWebShell, type WebShell } from './server';

declare const __ATELIER_VERSION__: string | undefined;
const VERSION = typeof __ATELIER_VERSION__ === 'string' ? __ATELIER_VERSION__ : '0.0.0-dev';

/** dist/electron/web/cli.js -> dist/renderer */
const RENDERER_DIR = fileURLToPath(new URL('../../renderer/', import.meta.url));

function fail(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(argv: readonly string[]): Promise<void> {
  const parsed = parseArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (parsed.kind === 'error') {
    fail(`${parsed.message}\n\n${USAGE}`);
    process.exit(2);
  }
  const { options } = parsed;

  if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    fail(
      `Atelier's page is not built yet (no ${path.join(RENDERER_DIR, 'index.html')}). Run "npm run build", then try again.`,
    );
    process.exit(1);
  }

  const mediaBase = createMediaBase();
  let host: Host;
  try {
    host = await createHost({
      shell: 'browser',
      version: VERSION,
      mediaBase,
      ...(options.libraryDir !== undefined ? { libraryDir: options.libraryDir } : {}),
    });
  } catch (error) {
    fail(
      `Atelier could not start its core (${describe(error)}). Check the data folder, then try again.`,
    );
    process.exit(1);
  }

  let shell: WebShell;
  try {
    shell = await startWebShell({
      host,
      rendererDir: RENDERER_DIR,
      port: options.port,
      media: host.library.media,
      mediaBase,
    });
  } catch (error) {
    await host.close();
    if (codeOf(error) === 'EADDRINUSE') {
      fail(
        `Port ${options.port} is already in use. Choose another with --port N, or use --port 0 for a free one.`,
      );
    } else {
      fail(`Atelier could not start its server (${describe(error)}). Try another --port.`);
    }
    process.exit(1);
  }

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // If closing hangs, leave anyway rather than keep the terminal.
    setTimeout(() => process.exit(1), 5000).unref();
    void (async () => {
      try {
        await shell.close();
        await host.close();
      } catch (error) {
        fail(`Atelier did not stop cleanly (${describe(error)}).`);
        process.exit(1);
      }
      process.exit(0);
    })();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  process.stdout.write(`Atelier is running at ${shell.url}\n`);
  if (options.open) openBrowser(shell.launchUrl());
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : undefined;
}

function describe(error: unknown): string {
  return codeOf(error) ?? (error instanceof Error ? error.message : 'unknown error');
}

void main(process.argv.slice(2));
