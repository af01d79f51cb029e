/**
 * Other tools' pictures in the Library: a ComfyUI PNG chosen with Add pictures… and an InvokeAI PNG
 * dropped on the Library show the prompt and the model their tools wrote into them (ComfyUI's
 * `prompt` graph, InvokeAI's `invokeai_metadata`). One shell for the file.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import {
  COMFY_MODEL,
  COMFY_POSITIVE,
  INVOKE_METADATA,
  comfyPng,
  withChunks,
} from '../core/library/other-tools';
import {
  dropFile,
  expect,
  openApp,
  startShell,
  stopShell,
  test,
  type RunningShell,
} from './fixtures';

let shell: RunningShell;

test.beforeAll(async () => {
  // A key that goes nowhere, so the app opens on its places instead of the welcome screen.
  shell = await startShell({
    STABILITY_API_BASE: 'http://127.0.0.1:9',
    STABILITY_API_KEY: 'sk-e2e-00000000000000000000000000000000000000000000000000',
  });
});

test.afterAll(async () => {
  await stopShell(shell);
});

const picture = (r: number, g: number, b: number) =>
  sharp({ create: { width: 128, height: 96, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();

const cells = (page: Page) => page.getByRole('listbox', { name: /Images/ }).getByRole('option');

test('a ComfyUI picture added and an InvokeAI picture dropped show their prompt and model', async ({
  page,
}) => {
  await openApp(page, shell);
  await page
    .getByRole('navigation', { name: 'Places' })
    .getByRole('button', { name: /Library/ })
    .click();
  await expect(page.getByText('Your library is empty')).toBeVisible();

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Add pictures…' }).click();
  await (
    await chooser
  ).setFiles({
    name: 'ComfyUI_00042_.png',
    mimeType: 'image/png',
    buffer: comfyPng(await picture(40, 70, 140)),
  });
  await expect(cells(page).first()).toHaveAccessibleName(new RegExp(COMFY_POSITIVE.slice(0, 30)));

  const invoke = withChunks(await picture(200, 120, 40), {
    invokeai_metadata: JSON.stringify(INVOKE_METADATA),
  });
  await dropFile(page, '.library', {
    name: 'lighthouse.png',
    mimeType: 'image/png',
    buffer: invoke,
  });
  await expect(page.locator('.library-toolbar__count')).toHaveText('2 images');
  await expect(cells(page).first()).toHaveAccessibleName(/a lighthouse on a cliff/);

  // The detail: prompt, model and seed as the tools wrote them.
  await cells(page).nth(1).dblclick();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText(COMFY_POSITIVE)).toBeVisible();
  await expect(dialog.getByText(COMFY_MODEL)).toBeVisible();
  await expect(dialog.getByText('156680208700286')).toBeVisible();
  // Its whole recipe was read back too (a sidecar naming ComfyUI as its source is understood).
  await expect(dialog.getByText(/no longer in the library/)).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Previous picture' }).click();
  await expect(dialog.getByText(INVOKE_METADATA.positive_prompt)).toBeVisible();
  await expect(dialog.getByText('Juggernaut XL v9')).toBeVisible();

  // Search finds them by the prompt their tool wrote.
  await page.keyboard.press('Escape');
  await page.getByRole('searchbox').fill('galaxy bottle');
  await expect(cells(page)).toHaveCount(1);
  await expect(cells(page).first()).toHaveAccessibleName(/purple galaxy bottle/);
  await page.getByRole('searchbox').fill('');

  mkdirSync('test-results/screenshots', { recursive: true });
  await cells(page).nth(1).dblclick();
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    for (const size of [
      { width: 1280, height: 800 },
      { width: 900, height: 600 },
    ]) {
      await page.setViewportSize(size);
      await expect(dialog.getByText(COMFY_MODEL)).toBeVisible();
      await expect(dialog.getByText(/no longer in the library/)).toHaveCount(0);
      await page.screenshot({
        path: `test-results/screenshots/library-comfyui-${theme}-${size.width}x${size.height}.png`,
      });
    }
  }
});
