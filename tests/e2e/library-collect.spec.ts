/**
 * Ratings, collections, bulk actions, Select all and Export, end to end in Chromium through the
 * browser shell, over a library seeded with real entries: a rating set in the app is read by
 * exiftool as xmp:Rating and one exiftool sets shows in the app; collections survive the index
 * being deleted; three pictures exported as JPEG at 1024 px with the recipe stripped (checked by
 * exiftool); Select all over more pictures than the grid has loaded. Screenshots of the sidebar,
 * the bulk bar and the Export dialog.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { saveResult, type ResultRecipe } from '../../electron/core/library';
import { expect, openApp, startShell, stopShell, test, type RunningShell } from './fixtures';

const EXIFTOOL = '/usr/bin/exiftool';
const run = promisify(execFile);
/** More than one page of the grid (200). */
const SMALL = 230;

let shell: RunningShell;
/** Library-relative image paths by prompt. */
const files = new Map<string, string>();

test.describe.configure({ mode: 'serial' });

function recipe(prompt: string, minute: number): ResultRecipe {
  return {
    operation: 'text-to-image',
    endpoint: '/v2beta/stable-image/generate/sd3',
    model: 'sd3.5-large',
    params: { prompt, aspect_ratio: '3:2' },
    seed: 1000 + minute,
    finishReason: 'SUCCESS',
    credits: 6.5,
    sandbox: false,
    createdAt: new Date(Date.UTC(2026, 9, 1, 12, minute)),
  };
}

async function picture(seed: number, width: number, height: number): Promise<Buffer> {
  const hue = (seed * 47) % 255;
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: hue, g: (hue * 3) % 255, b: 255 - hue },
    },
  })
    .png()
    .toBuffer();
}

async function seed(dir: string): Promise<void> {
  for (let i = 0; i < SMALL; i++) {
    const prompt = `a small sketch s${String(i).padStart(3, '0')}`;
    const saved = await saveResult(dir, {
      bytes: await picture(i, 48, 32),
      format: 'png',
      recipe: recipe(prompt, i),
    });
    files.set(prompt, saved.entry.path);
  }
  for (let i = 0; i < 3; i++) {
    const prompt = `a large harbour painting ${i}`;
    const saved = await saveResult(dir, {
      bytes: await picture(100 + i, 1536, 1152),
      format: 'png',
      recipe: recipe(prompt, SMALL + i),
    });
    files.set(prompt, saved.entry.path);
  }
}

test.beforeAll(async () => {
  shell = await startShell({
    STABILITY_API_KEY: 'sk-e2e-collect-000000000000000000000000000000000000000',
    STABILITY_API_BASE: 'http://127.0.0.1:9',
  });
  await seed(shell.libraryDir);
});

test.afterAll(async () => {
  await stopShell(shell);
});

async function openLibrary(page: Page, where: RunningShell = shell) {
  await openApp(page, where);
  await page
    .getByRole('navigation', { name: 'Places' })
    .getByRole('button', { name: /Library/ })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Library');
}

const TOTAL = SMALL + 3;
const grid = (page: Page) => page.getByRole('listbox', { name: /Images/ });
const cells = (page: Page) => grid(page).getByRole('option');
const count = (page: Page) => page.locator('.library-toolbar__count');
const search = (page: Page) => page.getByRole('searchbox', { name: 'Search prompts' });
const bulk = (page: Page) => page.getByRole('toolbar', { name: 'Selected images' });
const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Collections' });
const abs = (prompt: string) => join(shell.libraryDir, ...(files.get(prompt) ?? '').split('/'));

async function exiftoolJson(file: string, ...tags: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(EXIFTOOL, ['-j', ...tags, file]);
  return (JSON.parse(stdout) as Record<string, unknown>[])[0] ?? {};
}

test('a rating set in the app is xmp:Rating for exiftool, and one exiftool sets shows in the app', async ({
  page,
}) => {
  test.skip(!existsSync(EXIFTOOL), 'exiftool is not installed');
  await openLibrary(page);
  await expect(count(page)).toHaveText(`${TOTAL} images`);
  await search(page).fill('s007');
  await expect(count(page)).toHaveText(`1 of ${TOTAL}`);
  await cells(page).first().click();
  await bulk(page).getByRole('combobox', { name: 'Rate selected' }).selectOption('4');
  await expect(
    page.getByRole('status').filter({ hasText: 'Rated 1 picture 4 stars.' }),
  ).toBeVisible();
  expect((await exiftoolJson(abs('a small sketch s007'), '-XMP:Rating')).Rating).toBe(4);

  // Another program (exiftool here; Lightroom or Bridge alike) rates a picture.
  await search(page).fill('');
  await run(EXIFTOOL, ['-overwrite_original', '-XMP:Rating=2', abs('a small sketch s009')]);
  await page.getByRole('combobox', { name: 'Rating at least' }).selectOption('2');
  await expect(count(page)).toHaveText(`2 of ${TOTAL}`);
  await page.getByRole('combobox', { name: 'Rating at least' }).selectOption('4');
  await expect(count(page)).toHaveText(`1 of ${TOTAL}`);
  await page.getByRole('combobox', { name: 'Rating at least' }).selectOption('0');
  await expect(count(page)).toHaveText(`${TOTAL} images`);
});

test('Select all takes every picture of the filter, more than the grid has loaded', async ({
  page,
}) => {
  await openLibrary(page);
  await expect(count(page)).toHaveText(`${TOTAL} images`);
  await page.getByRole('button', { name: 'Select all', exact: true }).click();
  await expect(bulk(page)).toContainText(`${TOTAL} selected`);
  await bulk(page).getByRole('button', { name: 'Clear selection' }).click();
  await search(page).fill('sketch');
  await expect(count(page)).toHaveText(`${SMALL} of ${TOTAL}`);
  await grid(page).focus();
  await page.keyboard.press('Control+a');
  await expect(bulk(page)).toContainText(`${SMALL} selected`);
  await bulk(page).getByRole('button', { name: '★ Favourite' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: `Marked ${SMALL} pictures` }),
  ).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: /Favourites/ }).click();
  await expect(count(page)).toHaveText(`${SMALL} of ${TOTAL}`);
});

test('collections are made, filled and filtered, and survive a deleted index', async ({ page }) => {
  await openLibrary(page);
  await sidebar(page).getByRole('button', { name: 'New collection' }).click();
  await sidebar(page).getByRole('textbox', { name: 'New collection name' }).fill('Harbours');
  await sidebar(page).getByRole('textbox', { name: 'New collection name' }).press('Enter');
  await expect(sidebar(page).getByRole('button', { name: 'Harbours, 0 pictures' })).toBeVisible();

  await search(page).fill('harbour');
  await expect(count(page)).toHaveText(`3 of ${TOTAL}`);
  await page.getByRole('button', { name: 'Select all', exact: true }).click();
  await expect(bulk(page)).toContainText('3 selected');
  await bulk(page)
    .getByRole('combobox', { name: 'Add to collection' })
    .selectOption({ label: 'Harbours' });
  await expect(sidebar(page).getByRole('button', { name: 'Harbours, 3 pictures' })).toBeVisible();
  await search(page).fill('');
  await sidebar(page).getByRole('button', { name: 'Harbours, 3 pictures' }).click();
  await expect(count(page)).toHaveText(`3 of ${TOTAL}`);
  await cells(page).first().click();
  await bulk(page).getByRole('button', { name: 'Remove from Harbours' }).click();
  await expect(count(page)).toHaveText(`2 of ${TOTAL}`);
  await sidebar(page).getByRole('button', { name: 'Rename Harbours' }).click();
  await sidebar(page).getByRole('textbox', { name: 'New name for Harbours' }).fill('Two harbours');
  await sidebar(page).getByRole('textbox', { name: 'New name for Harbours' }).press('Enter');
  await expect(
    sidebar(page).getByRole('button', { name: 'Two harbours, 2 pictures' }),
  ).toBeVisible();

  // The library folder somewhere else without its index (a sync to another computer, or
  // .atelier deleted): the collection comes with it.
  const other = await startShell({
    STABILITY_API_KEY: 'sk-e2e-collect-000000000000000000000000000000000000000',
    STABILITY_API_BASE: 'http://127.0.0.1:9',
  });
  try {
    cpSync(shell.libraryDir, other.libraryDir, { recursive: true });
    rmSync(join(other.libraryDir, '.atelier'), { recursive: true, force: true });
    const second = await page.context().newPage();
    await openLibrary(second, other);
    await expect(count(second)).toHaveText(`${TOTAL} images`);
    await sidebar(second).getByRole('button', { name: 'Two harbours, 2 pictures' }).click();
    await expect(count(second)).toHaveText(`2 of ${TOTAL}`);
    await second.close();
  } finally {
    await stopShell(other);
  }
});

test('exports three pictures as JPEG at 1024 px with the recipe stripped', async ({ page }) => {
  await openLibrary(page);
  const out = join(shell.dataDir, '..', 'exported');
  mkdirSync(out, { recursive: true });
  await search(page).fill('harbour');
  await expect(count(page)).toHaveText(`3 of ${TOTAL}`);
  await page.getByRole('button', { name: 'Select all', exact: true }).click();
  await bulk(page).getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export 3 pictures' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Folder' }).fill(out);
  await dialog.getByRole('radio', { name: 'JPEG' }).check();
  await dialog.getByRole('radio', { name: 'Longest edge' }).check();
  await dialog.getByRole('spinbutton', { name: 'Longest edge in pixels' }).fill('1024');
  await dialog.getByRole('radio', { name: 'Strip everything' }).check();
  await dialog.getByRole('button', { name: 'Export' }).click();
  await expect(dialog.getByRole('status')).toHaveText(`3 pictures exported to ${out}.`);
  const names = readdirSync(out).sort();
  expect(names).toEqual([0, 1, 2].map((i) => `a large harbour painting ${i}.jpg`));
  if (existsSync(EXIFTOOL)) {
    for (const name of names) {
      const tags = await exiftoolJson(
        join(out, name),
        '-XMP:all',
        '-EXIF:all',
        '-ImageSize',
        '-FileType',
      );
      expect(tags).toEqual({
        SourceFile: join(out, name),
        FileType: 'JPEG',
        ImageSize: '1024x768',
      });
    }
  }
  // Again: nothing is overwritten.
  await dialog.getByRole('button', { name: 'Export' }).click();
  await expect(dialog.getByRole('status')).toHaveText(`3 pictures exported to ${out}.`);
  expect(readdirSync(out)).toContain('a large harbour painting 0 (2).jpg');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});

test('screenshots: the collections sidebar, the bulk bar and the Export dialog', async ({
  page,
}) => {
  mkdirSync('test-results/screenshots', { recursive: true });
  await openLibrary(page);
  await expect(count(page)).toHaveText(`${TOTAL} images`);
  await search(page).fill('harbour');
  await page.getByRole('button', { name: 'Select all', exact: true }).click();
  await expect(bulk(page)).toContainText('3 selected');
  for (const [width, height] of [
    [1280, 800],
    [900, 600],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({
        path: `test-results/screenshots/library-collect-${scheme}-${width}x${height}.png`,
      });
      await bulk(page).getByRole('button', { name: 'Export…' }).click();
      await expect(page.getByRole('dialog', { name: 'Export 3 pictures' })).toBeVisible();
      await page.screenshot({
        path: `test-results/screenshots/library-export-${scheme}-${width}x${height}.png`,
      });
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    }
  }
});
