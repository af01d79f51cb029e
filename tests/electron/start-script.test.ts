/**
 * build/scripts/start.mjs (what `npm start` runs after building): where the Electron binary is
 * missing or cannot start, it says so in one sentence and starts the browser shell instead.
 * Electron is replaced by ELECTRON_OVERRIDE_DIST_PATH: an empty folder (missing) or a script that
 * fails like Electron without a display.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atelier-start-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs start.mjs until it printed two lines (or ended); then stops it. */
async function firstLines(overrideDist: string): Promise<string[]> {
  const child = spawn(
    process.execPath,
    ['build/scripts/start.mjs', '--no-open', '--port', '0', '--library', join(dir, 'library')],
    {
      env: {
        ...process.env,
        ELECTRON_OVERRIDE_DIST_PATH: overrideDist,
        ATELIER_DATA_DIR: join(dir, 'data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const reader = createInterface({ input: child.stdout });
  const stderr = createInterface({ input: child.stderr });
  await new Promise<void>((resolve) => {
    const take = (line: string) => {
      lines.push(line);
      if (lines.length >= 2) resolve();
    };
    reader.on('line', take);
    stderr.on('line', take);
    void exited.then(() => resolve());
  });
  child.kill('SIGTERM');
  await exited;
  return lines;
}

describe('npm start without a working Electron', () => {
  it('says the desktop shell is not installed, with the fix, and starts the browser shell', async () => {
    const empty = join(dir, 'no-electron');
    mkdirSync(empty);
    const [first, second] = await firstLines(empty);
    expect(first).toBe(
      'The Electron desktop shell is not installed on this machine (its download needs network access; reinstall with `npm install` while online) — starting Atelier in your browser instead.',
    );
    // The browser shell's own line (or, when nothing is built yet, its one-sentence reason).
    expect(second).toMatch(
      /^Atelier is running at http:\/\/127\.0\.0\.1:\d+\/#code=|^The browser shell is not built yet/,
    );
  });

  it('says Electron could not start, and why, then starts the browser shell', async () => {
    const broken = join(dir, 'broken-electron');
    mkdirSync(broken);
    const fake = join(broken, 'electron');
    writeFileSync(
      fake,
      '#!/bin/sh\necho "[1:ERROR:ozone_platform_x11.cc] Missing X server or \\$DISPLAY" >&2\nexit 1\n',
    );
    chmodSync(fake, 0o755);
    const [first, second] = await firstLines(broken);
    expect(first).toMatch(
      /^The Electron desktop shell could not start on this machine \(it exited with code 1: .*Missing X server or \$DISPLAY\) — starting Atelier in your browser instead; .*`npm install`.*\.$/,
    );
    expect(second).toMatch(
      /^Atelier is running at http:\/\/127\.0\.0\.1:\d+\/#code=|^The browser shell is not built yet/,
    );
  });
});
