/**
 * Playwright fixtures: each test gets its own browser shell (the built app served by
 * `node dist/electron/web/cli.js`) with a fresh data folder and library folder, and a page opened
 * at its launch address (one-time code, swapped by the page for the credential).
 */
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface RunningShell {
  /** The launch address printed by the shell, with #code=... (works once). */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The one-time code of `url`. */
  code: string;
  /** The session credential, once a page has swapped the code for it (see openApp). */
  session: string | null;
  dataDir: string;
  libraryDir: string;
  process: ChildProcessWithoutNullStreams;
}

export const READY_LINE =
  /^Atelier is running at (http:\/\/127\.0\.0\.1:(\d+))\/#code=([A-Za-z0-9_-]+)$/;

/**
 * Starts the browser shell on a random port; resolves once it printed its one line. The library
 * folder is given with --library; with `librarySetting`, it is the saved setting instead (as in
 * the desktop app, where it can be moved).
 */
export async function startShell(
  env: Record<string, string> = {},
  args: string[] = [],
  {
    librarySetting = false,
    root: keep,
  }: {
    librarySetting?: boolean;
    /** Run on this folder's data and library (from an earlier shell), and leave it when it exits. */
    root?: string;
  } = {},
): Promise<RunningShell> {
  const root = keep ?? mkdtempSync(join(tmpdir(), 'atelier-e2e-'));
  const dataDir = join(root, 'data');
  const libraryDir = join(root, 'library');
  if (librarySetting) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'settings.json'), `${JSON.stringify({ libraryDir })}\n`);
  }
  const library = librarySetting ? [] : ['--library', libraryDir];
  const child = spawn(
    process.execPath,
    ['dist/electron/web/cli.js', '--no-open', '--port', '0', ...library, ...args],
    { env: { ...process.env, ATELIER_DATA_DIR: dataDir, ...env }, stdio: 'pipe' },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`shell did not start: ${stderr}`)), 20_000);
    lines.once('line', (first) => {
      clearTimeout(timer);
      resolve(first);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`shell exited with ${String(code)}: ${stderr}`));
    });
  });
  const match = READY_LINE.exec(line);
  if (!match) throw new Error(`unexpected first line: ${line}`);
  const [, origin = '', , code = ''] = match;
  const stop = () => rmSync(root, { recursive: true, force: true });
  if (keep === undefined) child.once('exit', stop);
  return {
    url: line.slice('Atelier is running at '.length),
    origin,
    code,
    session: null,
    dataDir,
    libraryDir,
    process: child,
  };
}

/**
 * Reads the credential the page keeps (renderer/transport/session.ts). A script string: this file is
 * type-checked without the DOM library.
 */
export const READ_SESSION = "window.sessionStorage.getItem('atelier.session')";

/**
 * Opens Atelier in `page`. The first page of a shell goes through the launch address as a person
 * does (the code is swapped for the credential); later pages are let in the way a reload is, with
 * the credential in their sessionStorage, because each launch address works only once.
 */
export async function openApp(page: Page, shell: RunningShell): Promise<void> {
  if (shell.session === null) {
    await page.goto(shell.url);
    const kept = await page.waitForFunction(READ_SESSION);
    shell.session = String(await kept.jsonValue());
    return;
  }
  await page.addInitScript(
    `window.sessionStorage.setItem('atelier.session', ${JSON.stringify(shell.session)})`,
  );
  await page.goto(`${shell.origin}/`);
}

export async function stopShell(shell: RunningShell): Promise<void> {
  if (shell.process.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => shell.process.once('exit', () => resolve()));
  shell.process.kill('SIGTERM');
  await exited;
}

/** Drops one file on `selector` as a person dragging it from the file manager would. */
export async function dropFile(
  page: Page,
  selector: string,
  file: { name: string; mimeType: string; buffer: Buffer },
): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ b64, name, type }) => {
      const scope = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: File): void } };
      };
      const data = new scope.DataTransfer();
      data.items.add(
        new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type }),
      );
      return data;
    },
    { b64: file.buffer.toString('base64'), name: file.name, type: file.mimeType },
  );
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent(selector, type, { dataTransfer: transfer });
  }
}

/** A real drop event on `selector`, carrying a PNG File made in the page from these bytes. */
export function dropBytes(page: Page, selector: string, bytes: Buffer, name: string) {
  return dropFile(page, selector, { name, mimeType: 'image/png', buffer: bytes });
}

export const test = base.extend<{ shell: RunningShell; app: Page }>({
  // eslint-disable-next-line no-empty-pattern
  shell: async ({}, use) => {
    // A person who already has a key (else the first-run welcome screen covers the frame). The key
    // is well formed but goes nowhere: the API address is a closed local port.
    const shell = await startShell({
      STABILITY_API_KEY: 'sk-e2e-frame-0000000000000000000000000000000000000000',
      STABILITY_API_BASE: 'http://127.0.0.1:9',
    });
    await use(shell);
    await stopShell(shell);
  },
  app: async ({ page, shell }, use) => {
    await openApp(page, shell);
    await use(page);
  },
});

/** Runs `shoot` in each look a screen is checked in: light and dark, at 1280×800 and 900×600. */
export async function eachLook(page: Page, shoot: (tag: string) => Promise<void>): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    for (const size of [
      { width: 1280, height: 800 },
      { width: 900, height: 600 },
    ]) {
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: theme });
      await shoot(`${theme}-${size.width}x${size.height}`);
    }
  }
}

export { expect };
