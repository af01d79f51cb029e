/**
 * The Library end to end in Chromium through the browser shell: a library folder seeded with real
 * entries (saveResult, as Create writes them) before the page opens; search, filters, favourite,
 * delete with undo, the detail view's recipe, import by a real drop event, an image made in Create
 * (Sandbox) appearing live. Screenshots of the grid, the detail and the empty state.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { saveResult, type ResultRecipe } from '../../electron/core/library';
import { SANDBOX_API_KEY, startSandbox, type Sandbox } from '../../electron/core/sandbox';
import {
  dropFile,
  expect,
  openApp,
  startShell,
  stopShell,
  test,
  type RunningShell,
} from './fixtures';

let sandbox: Sandbox;
let shell: RunningShell;

test.describe.configure({ mode: 'serial' });

async function picture(seed: number, width = 96, height = 64): Promise<Buffer> {
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

const PROMPTS = [
  'a red fox in the snow, watercolour',
  'a lighthouse at dusk, oil painting',
  'an owl on a branch at night',
  'a bowl of lemons, still life',
  'a city street in the rain, neon',
  'mountains above the clouds, sunrise',
];

async function seed(dir: string): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const recipe: ResultRecipe = {
      operation: i % 5 === 4 ? 'upscale' : 'text-to-image',
      endpoint: '/v2beta/stable-image/generate/sd3',
      model: i % 3 === 0 ? 'sd3.5-large' : 'sd3.5-medium',
      params: {
        prompt: `${PROMPTS[i % PROMPTS.length] ?? ''} #${i}`,
        negative_prompt: 'blurry',
        aspect_ratio: '3:2',
      },
      seed: 1000 + i,
      finishReason: 'SUCCESS',
      credits: 6.5,
      sandbox: i % 4 === 0,
      createdAt: new Date(Date.UTC(2026, 9, 1 + i, 12)),
    };
    await saveResult(dir, { bytes: await picture(i), format: 'png', recipe });
  }
}

test.beforeAll(async () => {
  sandbox = await startSandbox({ startingCredits: 100_000, faults: {} });
  shell = await startShell({ STABILITY_API_BASE: sandbox.url, STABILITY_API_KEY: SANDBOX_API_KEY });
  // The library opens on first use: entries written now are read when the page asks.
  await seed(shell.libraryDir);
});

test.afterAll(async () => {
  await stopShell(shell);
  await sandbox.close();
});

async function openLibrary(page: Page, where: RunningShell = shell) {
  await openApp(page, where);
  await page
    .getByRole('navigation', { name: 'Places' })
    .getByRole('button', { name: /Library/ })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Library');
}

const grid = (page: Page) => page.getByRole('listbox', { name: /Images/ });
const cells = (page: Page) => grid(page).getByRole('option');
const count = (page: Page) => page.locator('.library-toolbar__count');

test('a picture dragged out of the grid carries its file for other programs', async ({ page }) => {
  await openLibrary(page);
  const first = cells(page).first();
  await expect(first).toHaveAttribute('draggable', 'true');
  // Runs in the page (DOM types are not in the Node project's lib).
  type Transfer = { getData(type: string): string };
  const transfer = await page.evaluateHandle(
    () => new (globalThis as unknown as { DataTransfer: new () => Transfer }).DataTransfer(),
  );
  await first.dispatchEvent('dragstart', { dataTransfer: transfer });
  const { download, uri } = await transfer.evaluate((data: Transfer) => ({
    download: data.getData('DownloadURL'),
    uri: data.getData('text/uri-list'),
  }));
  expect(download).toMatch(
    /^image\/png:[^:]+\.png:http:\/\/127\.0\.0\.1:\d+\/library-[A-Za-z0-9_-]{43}\/media\//,
  );
  expect(uri).toMatch(/\/media\/.+\.png$/);
  // The URL serves the picture itself (its per-run media base is the only secret it needs).
  const response = await page.request.get(uri);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('image/png');
});

test('shows the seeded library newest first; search and filters narrow it', async ({ page }) => {
  await openLibrary(page);
  await expect(count(page)).toHaveText('30 images');
  await expect(cells(page).first()).toHaveAccessibleName(/#29\./);
  // Thumbnails load through /thumb/ behind the cookie.
  await expect
    .poll(() =>
      cells(page)
        .first()
        .locator('img')
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    )
    .toBeGreaterThan(0);

  await page.getByRole('searchbox', { name: 'Search prompts' }).fill('lighthouse');
  await expect(count(page)).toHaveText('5 of 30');
  await page.getByRole('searchbox', { name: 'Search prompts' }).fill('');
  await expect(count(page)).toHaveText('30 images');

  await page.getByRole('combobox', { name: 'Operation' }).selectOption('upscale');
  await expect(count(page)).toHaveText('6 of 30');
  await page.getByRole('combobox', { name: 'Operation' }).selectOption('');
  await page.getByRole('combobox', { name: 'Model' }).selectOption('sd3.5-large');
  await expect(count(page)).toHaveText('10 of 30');
  await page.getByRole('combobox', { name: 'Model' }).selectOption('');
  await page.getByRole('combobox', { name: 'Sandbox images' }).selectOption('only');
  await expect(count(page)).toHaveText('8 of 30');
  await page.getByRole('combobox', { name: 'Sandbox images' }).selectOption('all');
  await page.getByLabel('From', { exact: true }).fill('2026-10-05');
  await page.getByLabel('To', { exact: true }).fill('2026-10-09');
  await expect(count(page)).toHaveText('5 of 30');
  await page.getByLabel('From', { exact: true }).fill('');
  await page.getByLabel('To', { exact: true }).fill('');
  await expect(count(page)).toHaveText('30 images');
});

test('favourite, detail with the recipe, delete with undo, keyboard', async ({ page }) => {
  await openLibrary(page);
  // Keys move through loaded images only: wait for them before pressing any.
  await expect(count(page)).toHaveText('30 images');
  await expect(cells(page).first()).toHaveAccessibleName(/#29\./);
  await grid(page).focus();
  await page.keyboard.press('ArrowRight'); // second newest: #28
  await expect(cells(page).nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('f');
  await expect(cells(page).nth(1)).toHaveAccessibleName(/#28\..*favourite/);
  await page.getByRole('button', { name: /Favourites/ }).click();
  await expect(count(page)).toHaveText('1 of 30');
  await page.getByRole('button', { name: /Favourites/ }).click();
  await expect(count(page)).toHaveText('30 images');

  // The detail view shows the recipe.
  await cells(page).nth(1).dblclick();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('a city street in the rain, neon #28')).toBeVisible();
  await expect(dialog.getByText('blurry')).toBeVisible();
  await expect(dialog.getByText('1028')).toBeVisible();
  await expect(dialog.getByText('96 × 64 px, PNG')).toBeVisible();
  await expect(dialog.getByText('Free (Sandbox)')).toBeVisible();
  await expect(dialog.getByRole('heading', { name: /Sandbox/ })).toBeVisible();
  await expect(dialog.getByRole('button', { name: /Favourite/ })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(dialog.getByRole('button', { name: 'Reveal in folder' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // Select three with Shift, delete them, undo.
  await cells(page).first().click();
  await cells(page)
    .nth(2)
    .click({ modifiers: ['Shift'] });
  await expect(page.getByText('3 selected')).toBeVisible();
  await page
    .getByRole('toolbar', { name: 'Selected images' })
    .getByRole('button', { name: /Delete/ })
    .click();
  await expect(count(page)).toHaveText('27 images');
  await expect(page.getByRole('status').getByText('Deleted 3 images.')).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(count(page)).toHaveText('30 images');
  await expect(cells(page).first()).toHaveAccessibleName(/#29\./);
});

test('reuse settings and use as input hand the image to Create', async ({ page }) => {
  await openLibrary(page);
  await cells(page).nth(2).dblclick(); // #27
  await page.getByRole('dialog').getByRole('button', { name: 'Reuse settings' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create');
  await expect(page.getByRole('textbox', { name: /^Prompt/ })).toHaveValue(
    'a bowl of lemons, still life #27',
  );

  await page
    .getByRole('navigation', { name: 'Places' })
    .getByRole('button', { name: /Library/ })
    .click();
  await cells(page).nth(2).dblclick();
  await page.getByRole('dialog').getByRole('button', { name: 'Use as input' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create');
  await expect(page.getByTestId('drop-zone')).toContainText('lemons');
});

test('a tile dragged onto Create opens it and lands in the drop zone, its prompt offered to Upscale', async ({
  page,
}) => {
  await openLibrary(page);
  const places = page.getByRole('navigation', { name: 'Places' });
  await places.getByRole('button', { name: /Create/ }).click();
  await page.getByRole('radio', { name: 'Upscale', exact: true }).check();
  await page.getByRole('radio', { name: 'Creative', exact: true }).check();
  await expect(page.getByRole('textbox', { name: /^Prompt/ })).toHaveValue('');
  await places.getByRole('button', { name: /Library/ }).click();
  await expect(cells(page).nth(3)).toHaveAccessibleName(/#26\./);

  // A real drag with the mouse: the tile, a rest on the Create button (it opens), the drop zone.
  await cells(page).nth(3).hover();
  await page.mouse.down();
  const createButton = places.getByRole('button', { name: /Create/ });
  await createButton.hover();
  await expect(createButton).toHaveAttribute('data-drag-over', '');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create');
  const zone = page.getByTestId('drop-zone');
  await zone.hover();
  await zone.hover({ position: { x: 20, y: 20 } });
  await page.mouse.up();

  await expect(zone).toContainText('96 × 64');
  await expect(zone.getByRole('img', { name: /Your picture/ })).toBeVisible();
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/library-tile-in-create.png' });
  await expect(page.getByRole('textbox', { name: /^Prompt/ })).toHaveValue(
    'an owl on a branch at night #26',
  );
  // What the person types is never replaced by the next picture's prompt.
  await page.getByRole('textbox', { name: /^Prompt/ }).fill('sharper, more texture');
  await places.getByRole('button', { name: /Library/ }).click();
  await cells(page).nth(4).dblclick(); // #25
  await page.getByRole('dialog').getByRole('button', { name: 'Upscale' }).click();
  await expect(zone).toContainText('lighthouse');
  await expect(page.getByRole('textbox', { name: /^Prompt/ })).toHaveValue('sharper, more texture');
});

test('a dropped image is imported; an image made in Create appears live', async ({ page }) => {
  await openLibrary(page);
  const bytes = await picture(99, 120, 80);
  await dropFile(page, '.library', { name: 'dropped.png', mimeType: 'image/png', buffer: bytes });
  await expect(page.getByText('Added 1 image to the library.')).toBeVisible();
  await expect(count(page)).toHaveText('31 images');
  await page.getByRole('combobox', { name: 'Operation' }).selectOption('import');
  await expect(cells(page)).toHaveCount(1);
  await expect(cells(page).first()).toHaveAccessibleName(/dropped/);
  await page.getByRole('combobox', { name: 'Operation' }).selectOption('');

  // Create, in the Sandbox: the picture shows up in the Library without a reload.
  await page
    .getByRole('navigation', { name: 'Places' })
    .getByRole('button', { name: /Create/ })
    .click();
  await page.getByRole('textbox', { name: /^Prompt/ }).fill('a paper boat on a pond');
  await page.getByRole('textbox', { name: /^Prompt/ }).press('Control+Enter');
  await expect(page.locator('[data-testid=job][data-state=done] img')).toHaveCount(1, {
    timeout: 30_000,
  });
  await page
    .getByRole('navigation', { name: 'Places' })
    .getByRole('button', { name: /Library/ })
    .click();
  await expect(count(page)).toHaveText('32 images', { timeout: 10_000 });
  await expect(cells(page).first()).toHaveAccessibleName(/a paper boat on a pond/);
});

test('an empty library: pictures chosen with Add pictures…, anything else left out and said', async ({
  page,
}) => {
  const empty = await startShell({
    STABILITY_API_BASE: sandbox.url,
    STABILITY_API_KEY: SANDBOX_API_KEY,
  });
  try {
    await openLibrary(page, empty);
    await expect(page.getByText('Your library is empty')).toBeVisible();
    let chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Add pictures…' }).click();
    await (
      await chooser
    ).setFiles([
      { name: 'harbour.png', mimeType: 'image/png', buffer: await picture(7, 120, 80) },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') },
    ]);
    await expect(
      page.getByText(
        'Added 1 image to the library. 1 file was not PNG, JPEG or WebP and stayed out.',
      ),
    ).toBeVisible();
    await expect(count(page)).toHaveText('1 image');
    await expect(cells(page).first()).toHaveAccessibleName(/harbour/);

    // Once there are pictures, the button sits in the header.
    chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Add pictures…' }).click();
    await (
      await chooser
    ).setFiles({ name: 'dunes.png', mimeType: 'image/png', buffer: await picture(8, 80, 80) });
    await expect(count(page)).toHaveText('2 images');
  } finally {
    await stopShell(empty);
  }
});

test('screenshots of the Library', async ({ page }) => {
  mkdirSync('test-results/screenshots', { recursive: true });
  const empty = await startShell({
    STABILITY_API_BASE: sandbox.url,
    STABILITY_API_KEY: SANDBOX_API_KEY,
  });
  try {
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      for (const size of [
        { width: 1280, height: 800 },
        { width: 900, height: 600 },
      ]) {
        await page.setViewportSize(size);
        const suffix = `${theme}-${size.width}x${size.height}`;
        await openLibrary(page);
        await expect(cells(page).first().locator('img')).toBeVisible();
        // Every thumbnail loaded (a function, not a string: the page's CSP forbids eval).
        await expect
          .poll(() =>
            page
              .locator('.library-cell img')
              .evaluateAll((images) =>
                images.every((image) => (image as unknown as { complete: boolean }).complete),
              ),
          )
          .toBe(true);
        await page.screenshot({ path: `test-results/screenshots/library-grid-${suffix}.png` });
        await cells(page).nth(1).dblclick();
        await expect(page.getByRole('dialog').locator('img')).toBeVisible();
        await page.screenshot({ path: `test-results/screenshots/library-detail-${suffix}.png` });
        await page.keyboard.press('Escape');

        await openLibrary(page, empty);
        await expect(page.getByText('Your library is empty')).toBeVisible();
        await page.screenshot({ path: `test-results/screenshots/library-empty-${suffix}.png` });
      }
    }
  } finally {
    await stopShell(empty);
  }
});
