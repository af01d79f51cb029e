/**
 * The Library's viewer end to end in Chromium through the browser shell: opened from a tile, Left
 * and Right through the current order, 1–5 rating (through library.rate) shown on the tile, F
 * favourite, C then a tile opens Compare with both, Escape closes; sort by rating. Screenshots of
 * the viewer at 1280×800 and 900×600.
 */
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { saveResult } from '../../electron/core/library';
import { expect, openApp, startShell, stopShell, test, type RunningShell } from './fixtures';

let shell: RunningShell;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  // A person with a key (else the first-run welcome covers the app); nothing is sent anywhere.
  shell = await startShell({
    STABILITY_API_KEY: 'sk-e2e-viewer-0000000000000000000000000000000000000000',
    STABILITY_API_BASE: 'http://127.0.0.1:9',
  });
  for (let i = 0; i < 4; i++) {
    const bytes = await sharp({
      create: { width: 120, height: 80, channels: 3, background: { r: 60 * i, g: 90, b: 160 } },
    })
      .png()
      .toBuffer();
    await saveResult(shell.libraryDir, {
      bytes,
      format: 'png',
      recipe: {
        operation: 'text-to-image',
        endpoint: '/v2beta/stable-image/generate/sd3',
        model: 'sd3.5-large',
        params: { prompt: `a harbour at dawn #${i}`, cfg_scale: 5, output_format: 'png' },
        seed: 500 + i,
        finishReason: 'SUCCESS',
        credits: 6.5,
        sandbox: false,
        createdAt: new Date(Date.UTC(2026, 10, 1 + i, 12)),
      },
    });
  }
});

test.afterAll(async () => {
  await stopShell(shell);
});

const cells = (page: Page) => page.getByRole('listbox', { name: /Images/ }).getByRole('option');

async function openLibrary(page: Page) {
  await openApp(page, shell);
  await page
    .getByRole('navigation', { name: 'Places' })
    .getByRole('button', { name: /Library/ })
    .click();
  await expect(cells(page).first()).toHaveAccessibleName(/#3\./);
}

test('viewer keys: Left/Right, rate, F, C, Escape; sort by rating', async ({ page }) => {
  await openLibrary(page);
  await cells(page).first().dblclick();
  const viewer = page.getByRole('dialog');
  await expect(viewer.getByText('a harbour at dawn #3')).toBeVisible();
  await expect(viewer.getByText('Prompt strictness (CFG)')).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(viewer.getByText('a harbour at dawn #2')).toBeVisible();
  await page.keyboard.press('4');
  await expect(viewer.getByRole('group', { name: 'Rating: 4 stars' })).toBeVisible();
  await page.keyboard.press('f');
  await expect(viewer.getByRole('button', { name: /Favourite/ })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await page.keyboard.press('ArrowLeft');
  await expect(viewer.getByText('a harbour at dawn #3')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(viewer).toHaveCount(0);
  await expect(cells(page).nth(1)).toHaveAccessibleName(/#2\..*favourite, rated 4 stars/);

  await page.getByRole('combobox', { name: 'Sort' }).selectOption('rating');
  await expect(cells(page).first()).toHaveAccessibleName(/#2\./);
  await page.getByRole('combobox', { name: 'Sort' }).selectOption('newest');
  await expect(cells(page).first()).toHaveAccessibleName(/#3\./);

  // C, then the next picture picked: Compare opens with both.
  await cells(page).first().dblclick();
  await page.keyboard.press('c');
  await expect(page.getByRole('toolbar', { name: 'Compare' })).toBeVisible();
  await cells(page).nth(2).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Compare');
});

test('screenshots of the viewer', async ({ page }) => {
  for (const [width, height] of [
    [1280, 800],
    [900, 600],
  ] as const) {
    await page.setViewportSize({ width, height });
    await openLibrary(page);
    await cells(page).nth(1).dblclick();
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.screenshot({ path: `test-results/library-viewer-${width}x${height}.png` });
  }
});
