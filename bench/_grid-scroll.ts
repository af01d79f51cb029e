/**
 * The Chromium part of `npm run bench -- library`: the built app in the browser shell over a
 * library folder, the Library place opened in Debian's Chromium (headless, the flags of the e2e
 * tests), and the whole grid scrolled from the newest image to the oldest, one step per animation
 * frame. Measured in the page: the interval between animation frames (p50, p95, max) and the most
 * DOM nodes the document had at any frame (the virtualized grid keeps that flat, whatever the size).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from '@playwright/test';
import { CHROMIUM_FLAGS } from '../playwright.config';

export interface ScrollResult {
  images: number;
  stepPx: number;
  frames: number;
  scrolledPx: number;
  p50: number;
  p95: number;
  max: number;
  /** Frames that missed at least one display refresh (longer than 20 ms). */
  late: number;
  /** Frames longer than two frame intervals (33.4 ms): visible stutters. */
  long: number;
  nodesAtStart: number;
  nodesMax: number;
  /** Thumbnails that loaded while the grid scrolled. */
  thumbsLoaded: number;
  seconds: number;
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CLI = 'dist/electron/web/cli.js';

/** Why the Chromium part cannot run here, or null when it can. */
export function cannotScroll(): string | null {
  if (!existsSync(CHROMIUM_PATH))
    return `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`;
  if (!existsSync(CLI) || !existsSync('dist/renderer/index.html'))
    return 'the app is not built (npm run build)';
  return null;
}

async function startShell(libraryDir: string) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'atelier-bench-data-'));
  const child = spawn(
    process.execPath,
    [CLI, '--no-open', '--port', '0', '--library', libraryDir],
    {
      env: {
        ...process.env,
        ATELIER_DATA_DIR: dataDir,
        // A well-formed key that goes nowhere, so the Library opens instead of the welcome screen.
        STABILITY_API_KEY: 'sk-bench-0000000000000000000000000000000000000000000000',
        STABILITY_API_BASE: 'http://127.0.0.1:9',
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the browser shell exited (${String(code)})`)));
  });
  const url = /^Atelier is running at (\S+)$/.exec(first)?.[1];
  if (!url) throw new Error(`the browser shell said: ${first}`);
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, stop };
}

/** Page-side: what one scroll of the whole grid measured. */
interface InPage {
  intervals: number[];
  nodesAtStart: number;
  nodesMax: number;
  scrolledPx: number;
  thumbsLoaded: number;
}

export async function scrollGrid(
  libraryDir: string,
  images: number,
  options: {
    /** Pixels scrolled per animation frame (400: a fast fling). */
    stepPx?: number;
    /** Stop after this many pixels (default: the whole grid). */
    maxPx?: number;
    width?: number;
    height?: number;
    /** Write a Chromium performance trace of the scroll to this file (open it in DevTools). */
    trace?: string;
  } = {},
): Promise<ScrollResult> {
  const shell = await startShell(libraryDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  try {
    const page = await browser.newPage({
      viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    });
    await page.goto(shell.url);
    await page
      .getByRole('navigation', { name: 'Places' })
      .getByRole('button', { name: /Library/ })
      .click();
    const count = page.locator('.library-toolbar__count');
    await count.filter({ hasText: `${images.toLocaleString('en-US')} images` }).waitFor({
      timeout: 120_000,
    });
    // Let the first screen of thumbnails settle before the clock starts.
    await page.waitForTimeout(1000);
    if (options.trace)
      await browser.startTracing(page, {
        path: options.trace,
        screenshots: false,
        categories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline.frame',
          'blink',
          'cc',
          'v8.execute',
        ],
      });
    const started = Date.now();
    const measured = await page.evaluate(
      async ({ stepPx, maxPx }): Promise<InPage> => {
        const doc = (globalThis as unknown as { document: DomLike }).document;
        const raf = (globalThis as unknown as { requestAnimationFrame: Raf }).requestAnimationFrame;
        const grid = doc.querySelector('.library-grid');
        if (!grid) throw new Error('no grid');
        const nodes = () => doc.getElementsByTagName('*').length;
        const nodesAtStart = nodes();
        const intervals: number[] = [];
        let nodesMax = nodesAtStart;
        let scrolledPx = 0;
        let thumbsLoaded = 0;
        // load does not bubble: listen in the capture phase.
        grid.addEventListener('load', () => (thumbsLoaded += 1), true);
        return new Promise<InPage>((resolve) => {
          let last = 0;
          const tick = (now: number) => {
            if (last > 0) intervals.push(now - last);
            last = now;
            nodesMax = Math.max(nodesMax, nodes());
            const end = Math.min(maxPx, grid.scrollHeight - grid.clientHeight);
            if (grid.scrollTop >= end - 1) {
              resolve({ intervals, nodesAtStart, nodesMax, scrolledPx, thumbsLoaded });
              return;
            }
            const before = grid.scrollTop;
            grid.scrollTop = Math.min(end, before + stepPx);
            scrolledPx += grid.scrollTop - before;
            raf(tick);
          };
          raf(tick);
        });

        // The few DOM types this function uses (the bench compiles against Node's lib only).
        type Raf = (callback: (now: number) => void) => number;
        interface ElementLike {
          scrollTop: number;
          addEventListener(type: string, listener: () => void, capture: boolean): void;
          readonly scrollHeight: number;
          readonly clientHeight: number;
        }
        interface DomLike {
          querySelector(selector: string): ElementLike | null;
          getElementsByTagName(name: string): { length: number };
        }
      },
      { stepPx: options.stepPx ?? 400, maxPx: options.maxPx ?? Number.MAX_SAFE_INTEGER },
    );
    if (options.trace) await browser.stopTracing();
    const sorted = [...measured.intervals].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return {
      images,
      stepPx: options.stepPx ?? 400,
      frames: sorted.length,
      scrolledPx: measured.scrolledPx,
      p50: at(0.5),
      p95: at(0.95),
      max: sorted[sorted.length - 1] ?? 0,
      late: sorted.filter((ms) => ms > 20).length,
      long: sorted.filter((ms) => ms > 33.4).length,
      nodesAtStart: measured.nodesAtStart,
      nodesMax: measured.nodesMax,
      thumbsLoaded: measured.thumbsLoaded,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await browser.close();
    await shell.stop();
  }
}
