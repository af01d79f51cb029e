/**
 * Settings > Library folder > Move pictures here, end to end in Chromium: a library of real
 * entries, a new folder typed in, the confirmation, the progress line, and afterwards the same
 * pictures in the Library, served from the new folder (the old one keeps nothing of them).
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { saveResult } from '../../electron/core/library';
import { expect, openApp, startShell, stopShell, test } from './fixtures';

function picturesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) =>
    name.endsWith('.png'),
  );
}

test('moves the library to another folder from Settings, and the Library follows', async ({
  page,
}) => {
  const shell = await startShell(
    {
      STABILITY_API_KEY: 'sk-e2e-move-000000000000000000000000000000000000000000',
      STABILITY_API_BASE: 'http://127.0.0.1:9',
    },
    [],
    { librarySetting: true },
  );
  try {
    mkdirSync(shell.libraryDir, { recursive: true });
    for (let i = 0; i < 5; i++) {
      await saveResult(shell.libraryDir, {
        bytes: await sharp({
          create: { width: 48, height: 32, channels: 3, background: { r: 40 * i, g: 90, b: 160 } },
        })
          .png()
          .toBuffer(),
        format: 'png',
        recipe: {
          operation: 'text-to-image',
          endpoint: '/v2beta/stable-image/generate/core',
          model: null,
          params: { prompt: `a paper crane #${i}` },
          seed: i,
          finishReason: 'SUCCESS',
          credits: 3,
          sandbox: true,
          createdAt: new Date(Date.UTC(2026, 10, 1 + i, 12)),
        },
      });
    }
    const target = join(shell.libraryDir, '..', 'moved library');
    await openApp(page, shell);
    const places = page.getByRole('navigation', { name: 'Places' });
    await places.getByRole('button', { name: /Library/ }).click();
    await expect(page.locator('.library-toolbar__count')).toHaveText('5 images');

    await places.getByRole('button', { name: /Settings/ }).click();
    const field = page.getByRole('textbox', { name: 'Library folder' });
    await expect(field).toHaveValue(shell.libraryDir);
    const move = page.getByRole('button', { name: 'Move the library to this folder' });
    await expect(move).toBeDisabled();
    await field.fill(target);
    // The question names both folders; No changes nothing.
    page.once('dialog', (dialog) => {
      expect(dialog.message()).toContain(shell.libraryDir);
      expect(dialog.message()).toContain(target);
      void dialog.dismiss();
    });
    await move.click();
    expect(picturesUnder(shell.libraryDir)).toHaveLength(5);

    page.once('dialog', (dialog) => void dialog.accept());
    await move.click();
    await expect(
      page
        .getByRole('status')
        .filter({ hasText: /^Moved 5 pictures \(10 files with their recipes\) to / }),
    ).toBeVisible();
    await expect(page.getByText(`Now: ${target}.`)).toBeVisible();
    expect(picturesUnder(target)).toHaveLength(5);
    expect(picturesUnder(shell.libraryDir)).toHaveLength(0);
    mkdirSync('test-results/screenshots', { recursive: true });
    await page.getByRole('textbox', { name: 'Library folder' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/screenshots/settings-library-moved-1280x800.png' });
    await page.setViewportSize({ width: 900, height: 600 });
    await page.getByRole('textbox', { name: 'Library folder' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/screenshots/settings-library-moved-900x600.png' });

    await places.getByRole('button', { name: /Library/ }).click();
    await expect(page.locator('.library-toolbar__count')).toHaveText('5 images');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Library');
    await expect(page.getByText(target)).toBeVisible();
    const first = page
      .getByRole('listbox', { name: /Images/ })
      .getByRole('option')
      .first();
    await expect(first).toHaveAccessibleName(/a paper crane #4/);
    await expect
      .poll(() =>
        first
          .locator('img')
          .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBeGreaterThan(0);
  } finally {
    await stopShell(shell);
  }
});
