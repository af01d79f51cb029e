/**
 * Compare, end to end in Chromium through the browser shell: a small picture and its 4x upscale
 * (made here with sharp, a grid of distinct colours) dropped onto Compare as real files; in each
 * mode, 100% and a pan keep the same picture point under both (checked from element geometry);
 * the slider moves by drag and by keys; flip by key and button; Save comparison lands in the
 * library folder. Screenshots of each mode in both themes at 1280x800 and 900x600.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { saveResult } from '../../electron/core/library';
import { expect, test } from './fixtures';

const SMALL = { width: 160, height: 120 };
const BIG = { width: 640, height: 480 };

/** 8x8-pixel cells, each its own colour, so any point of the picture can be told apart. */
async function pictures(): Promise<{ small: Buffer; big: Buffer }> {
  const { width, height } = SMALL;
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      const cx = Math.floor(x / 8);
      const cy = Math.floor(y / 8);
      raw[o] = (cx * 37 + 40) & 0xff;
      raw[o + 1] = (cy * 53 + 20) & 0xff;
      raw[o + 2] = ((cx + cy) % 2) * 200 + ((x + y) % 2) * 40;
    }
  const small = await sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  const big = await sharp(small)
    .resize(BIG.width, BIG.height, { kernel: 'nearest' })
    .png()
    .toBuffer();
  return { small, big };
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Geometry {
  pictures: (Rect & { side: string; visible: boolean; rendering: string })[];
  panes: Rect[];
}

/** The on-screen rectangles of both pictures (transform included) and of the panes. */
function geometry(page: Page): Promise<Geometry> {
  // A string: this file is type-checked without the DOM library.
  return page.evaluate<Geometry>(`(() => {
    const rect = (el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; };
    return {
      pictures: [...document.querySelectorAll('.compare-picture')].map((el) => ({
        ...rect(el),
        side: el.dataset.side,
        visible: getComputedStyle(el).visibility === 'visible',
        rendering: getComputedStyle(el).imageRendering,
      })),
      panes: [...document.querySelectorAll('.compare-pane')].map(rect),
    };
  })()`);
}

/** Where a point of the picture (0..1 of its width and height) is, relative to its pane. */
function pointIn(picture: Rect, pane: Rect, u: number, v: number) {
  return { x: picture.x - pane.x + u * picture.width, y: picture.y - pane.y + v * picture.height };
}

async function expectAligned(page: Page) {
  const g = await geometry(page);
  const left = g.pictures.find((p) => p.side === '0');
  const right = g.pictures.find((p) => p.side === '1');
  if (!left || !right) throw new Error('both pictures should be on the page');
  const paneOf = (side: string) => (g.panes.length === 2 ? g.panes[Number(side)] : g.panes[0]);
  const [paneL, paneR] = [paneOf('0'), paneOf('1')];
  if (!paneL || !paneR) throw new Error('no pane');
  for (const [u, v] of [
    [0.3, 0.6],
    [0.5, 0.5],
    [0.9, 0.1],
  ] as const) {
    const a = pointIn(left, paneL, u, v);
    const b = pointIn(right, paneR, u, v);
    expect(Math.abs(a.x - b.x)).toBeLessThan(0.51);
    expect(Math.abs(a.y - b.y)).toBeLessThan(0.51);
  }
  return { g, left, right, paneL };
}

async function dropFiles(page: Page, files: { name: string; bytes: Buffer }[]) {
  const transfer = await page.evaluateHandle(
    `(() => {
      const files = ${JSON.stringify(files.map((f) => ({ name: f.name, b64: f.bytes.toString('base64') })))};
      const dt = new DataTransfer();
      for (const f of files) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { type: 'image/png' }));
      }
      return dt;
    })()`,
  );
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent('[data-testid=compare-drop]', type, { dataTransfer: transfer });
  }
}

async function openCompare(page: Page) {
  await page
    .getByRole('navigation', { name: 'Places' })
    .getByRole('button', { name: 'Compare', exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Compare');
}

async function openDropped(page: Page) {
  const { small, big } = await pictures();
  await openCompare(page);
  await dropFiles(page, [
    { name: 'original.png', bytes: small },
    { name: 'upscale-4x.png', bytes: big },
  ]);
  await expect(page.getByTestId('label-0')).toContainText('160 × 120 px');
  await expect(page.getByTestId('label-1')).toContainText('640 × 480 px');
}

async function setMode(page: Page, name: 'Side by side' | 'Slider' | 'Flip') {
  await page.getByRole('radio', { name }).check();
}

test('each mode: at 100% and after a pan, the same point of both pictures lines up', async ({
  app,
}) => {
  await openDropped(app);
  await expect(app.getByTestId('label-0')).toContainText('original.png');
  await expect(app.getByTestId('label-1')).toContainText('upscale-4x.png');

  for (const mode of ['Side by side', 'Slider', 'Flip'] as const) {
    await setMode(app, mode);
    // Fit first: both still line up.
    await app.getByRole('button', { name: 'Fit' }).click();
    await expectAligned(app);

    await app.getByRole('button', { name: '100%', exact: true }).click();
    await expect(app.getByRole('button', { name: '100%', exact: true })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    let { left, right } = await expectAligned(app);
    // 100%: the upscale at one pixel per pixel, the original at 4x, pixelated (no smoothing).
    expect(right.width).toBeCloseTo(BIG.width, 1);
    expect(left.width).toBeCloseTo(BIG.width, 1);
    expect(left.rendering).toBe('pixelated');

    // 200% then pan with the mouse: the view moves, both stay together.
    await app.getByRole('button', { name: '200%', exact: true }).click();
    const stage = app.getByTestId('compare-stage');
    const box = await stage.boundingBox();
    if (!box) throw new Error('no stage');
    const before = (await geometry(app)).pictures[0];
    // Start away from the slider's divider, so this drag pans.
    const start = { x: box.x + box.width * 0.2, y: box.y + box.height * 0.7 };
    await app.mouse.move(start.x, start.y);
    await app.mouse.down();
    await app.mouse.move(start.x + 40, start.y + 25, { steps: 4 });
    await app.mouse.up();
    ({ left, right } = await expectAligned(app));
    const after = (await geometry(app)).pictures[0];
    expect(after?.x).not.toBe(before?.x);
    expect(right.width).toBeCloseTo(BIG.width * 2, 1);

    // The keyboard pans and zooms too.
    await stage.focus();
    const x0 = left.x;
    await app.keyboard.press('ArrowRight');
    ({ left } = await expectAligned(app));
    expect(left.x).toBeLessThan(x0);
    await app.keyboard.press('-');
    await expect(app.locator('output')).toContainText('150%');
    await expectAligned(app);

    // Ctrl+wheel (pinch) zooms to the cursor: the picture point under it stays put (from 200%,
    // where the frame is larger than the view, so nothing is re-centred).
    await app.keyboard.press('2');
    const g1 = await geometry(app);
    const p1 = g1.pictures[0];
    const cursor = { x: box.x + box.width * 0.3, y: box.y + box.height * 0.4 };
    await app.mouse.move(cursor.x, cursor.y);
    await app.keyboard.down('Control');
    await app.mouse.wheel(0, -200);
    await app.keyboard.up('Control');
    await expect
      .poll(async () => (await geometry(app)).pictures[0]?.width)
      .toBeGreaterThan((p1?.width ?? 0) * 1.2);
    const g2 = await geometry(app);
    const p2 = g2.pictures[0];
    if (!p1 || !p2) throw new Error('no picture');
    const u1 = (cursor.x - p1.x) / p1.width;
    const u2 = (cursor.x - p2.x) / p2.width;
    expect(Math.abs(u1 - u2) * p2.width, mode).toBeLessThan(1.5);
    const v1 = (cursor.y - p1.y) / p1.height;
    const v2 = (cursor.y - p2.y) / p2.height;
    expect(Math.abs(v1 - v2) * p2.height, mode).toBeLessThan(1.5);
    await expectAligned(app);
  }
});

test('two pictures chosen in the file chooser open side by side', async ({ app }) => {
  const { small, big } = await pictures();
  await openCompare(app);
  const chooser = app.waitForEvent('filechooser');
  await app.getByRole('button', { name: 'Choose files…' }).click();
  const dialog = await chooser;
  expect(dialog.isMultiple()).toBe(true);
  await dialog.setFiles([
    { name: 'original.png', mimeType: 'image/png', buffer: small },
    { name: 'upscale-4x.png', mimeType: 'image/png', buffer: big },
  ]);
  await expect(app.getByTestId('label-0')).toContainText('160 × 120 px');
  await expect(app.getByTestId('label-1')).toContainText('640 × 480 px');
});

test('mode switches keep the zoom and the position', async ({ app }) => {
  await openDropped(app);
  await app.getByRole('button', { name: '200%', exact: true }).click();
  const stage = app.getByTestId('compare-stage');
  await stage.focus();
  await app.keyboard.press('ArrowRight');
  await app.keyboard.press('ArrowDown');
  const side = (await geometry(app)).pictures.find((p) => p.side === '1');
  const sidePane = (await geometry(app)).panes[1];
  await setMode(app, 'Slider');
  await expect(app.locator('output')).toContainText('200%');
  const slider = (await geometry(app)).pictures.find((p) => p.side === '1');
  const sliderPane = (await geometry(app)).panes[0];
  if (!side || !slider || !sidePane || !sliderPane) throw new Error('no geometry');
  // The same picture point sits at each view's centre.
  const centre = (p: Rect, pane: Rect) => ({
    u: (pane.x + pane.width / 2 - p.x) / p.width,
    v: (pane.y + pane.height / 2 - p.y) / p.height,
  });
  const a = centre(side, sidePane);
  const b = centre(slider, sliderPane);
  expect(Math.abs(a.u - b.u) * slider.width).toBeLessThan(1);
  expect(Math.abs(a.v - b.v) * slider.height).toBeLessThan(1);
  expect(slider.width).toBeCloseTo(BIG.width * 2, 1);
});

test('the slider moves by drag and by keys, vertical and horizontal; flip by key and button', async ({
  app,
}) => {
  await openDropped(app);
  await setMode(app, 'Slider');
  const divider = app.getByRole('slider', { name: 'Divider between left and right' });
  await expect(divider).toHaveAttribute('aria-valuenow', '50');
  const stage = app.getByTestId('compare-stage');
  const box = await stage.boundingBox();
  const handle = await divider.boundingBox();
  if (!box || !handle) throw new Error('no geometry');
  await app.mouse.move(handle.x + handle.width / 2, box.y + box.height / 2);
  await app.mouse.down();
  await app.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2, { steps: 5 });
  await app.mouse.up();
  await expect(divider).toHaveAttribute('aria-valuenow', '25');
  await expect(app.getByTestId('wipe')).toHaveAttribute('style', /inset\(0px 0px 0px 25%\)/);
  await expect(divider).toBeFocused();
  for (let i = 0; i < 5; i++) await app.keyboard.press('ArrowRight');
  await expect(divider).toHaveAttribute('aria-valuenow', '30');
  await app.keyboard.press('Shift+ArrowLeft');
  await expect(divider).toHaveAttribute('aria-valuenow', '20');
  await app.keyboard.press('End');
  await expect(divider).toHaveAttribute('aria-valuenow', '100');

  await app.getByRole('radio', { name: 'Horizontal' }).check();
  await expect(divider).toHaveAttribute('aria-orientation', 'horizontal');
  await divider.focus();
  await app.keyboard.press('Home');
  await app.keyboard.press('ArrowDown');
  await expect(divider).toHaveAttribute('aria-valuenow', '1');
  const h = await divider.boundingBox();
  if (!h) throw new Error('no divider');
  await app.mouse.move(box.x + box.width / 2, h.y + h.height / 2);
  await app.mouse.down();
  await app.mouse.move(box.x + box.width / 2, box.y + box.height * 0.75, { steps: 5 });
  await app.mouse.up();
  await expect(divider).toHaveAttribute('aria-valuenow', '75');
  await expect(app.getByTestId('wipe')).toHaveAttribute('style', /inset\(75% 0px 0px\)/);

  await setMode(app, 'Flip');
  const shown = async () =>
    (await geometry(app)).pictures.filter((p) => p.visible).map((p) => p.side);
  expect(await shown()).toEqual(['0']);
  await stage.focus();
  await app.keyboard.press('f');
  expect(await shown()).toEqual(['1']);
  await app.keyboard.press('Space');
  expect(await shown()).toEqual(['0']);
  await app.getByRole('button', { name: 'Show right' }).click();
  expect(await shown()).toEqual(['1']);
  await expect(app.getByTestId('label-1')).toContainText('Showing right');

  // Swap: the sides change places.
  await setMode(app, 'Side by side');
  await app.getByRole('button', { name: 'Swap sides' }).click();
  await expect(app.getByTestId('label-0')).toContainText('upscale-4x.png');
  await expect(app.getByTestId('label-1')).toContainText('original.png');
});

test('Save comparison puts a side-by-side PNG in the library folder', async ({ app, shell }) => {
  await openDropped(app);
  await app.getByRole('button', { name: 'Save comparison' }).click();
  const status = app.getByRole('status').filter({ hasText: 'Saved the comparison' });
  await expect(status).toBeVisible();
  const text = (await status.textContent()) ?? '';
  const relative = /library: (\S+\.png)/.exec(text)?.[1];
  if (!relative) throw new Error(`no path in: ${text}`);
  const file = path.join(shell.libraryDir, ...relative.split('/'));
  expect(existsSync(file)).toBe(true);
  const meta = await sharp(file).metadata();
  expect(meta.format).toBe('png');
  expect(meta.width).toBeGreaterThan(BIG.width * 2);
  const sidecar = JSON.parse(readFileSync(file.replace(/\.png$/, '.json'), 'utf8')) as {
    operation: string;
    inputs: { role: string; width: number; height: number }[];
  };
  expect(sidecar.operation).toBe('comparison');
  expect(sidecar.inputs.map((i) => [i.role, i.width, i.height])).toEqual([
    ['left', SMALL.width, SMALL.height],
    ['right', BIG.width, BIG.height],
  ]);
});

test('Compare with… lists the library and opens two of its pictures by their media URLs', async ({
  app,
  shell,
}) => {
  const { small, big } = await pictures();
  const base = {
    endpoint: null,
    model: null,
    params: {},
    seed: null,
    finishReason: null,
    credits: 0,
    sandbox: true,
  };
  await saveResult(shell.libraryDir, {
    bytes: small,
    format: 'png',
    recipe: { ...base, operation: 'import', params: { prompt: 'grid original' } },
  });
  await saveResult(shell.libraryDir, {
    bytes: big,
    format: 'png',
    recipe: { ...base, operation: 'upscale', model: 'fast', params: { prompt: 'grid upscale' } },
  });
  await app.reload();
  await openCompare(app);
  for (const name of ['grid original', 'grid upscale']) {
    await app.getByRole('button', { name: 'Compare with…' }).first().click();
    const dialog = app.getByRole('dialog', { name: /Compare with/ });
    await expect(dialog).toBeVisible();
    if (name === 'grid upscale') {
      await expect(dialog.getByRole('button', { name: /^grid original/ })).toBeVisible();
      mkdirSync('test-results/screenshots', { recursive: true });
      await app.screenshot({ path: 'test-results/screenshots/compare-picker-light-1280x800.png' });
    }
    await dialog.getByRole('button', { name: new RegExp(`^${name}`) }).click();
    await expect(dialog).toBeHidden();
  }
  await expect(app.getByTestId('label-0')).toContainText('160 × 120 px');
  await expect(app.getByTestId('label-1')).toContainText('fast · 640 × 480 px');
  await app.getByRole('button', { name: '100%', exact: true }).click();
  await expectAligned(app);
  // Saving by library ids.
  await app.getByRole('button', { name: 'Save comparison' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Saved the comparison' })).toBeVisible();
});

for (const [width, height] of [
  [1280, 800],
  [900, 600],
] as const) {
  test(`screenshots of each mode in both themes at ${width}x${height}`, async ({ app }) => {
    mkdirSync('test-results/screenshots', { recursive: true });
    await app.setViewportSize({ width, height });
    await openDropped(app);
    for (const scheme of ['light', 'dark'] as const) {
      await app.emulateMedia({ colorScheme: scheme });
      for (const [mode, slug] of [
        ['Side by side', 'side'],
        ['Slider', 'slider'],
        ['Flip', 'flip'],
      ] as const) {
        await setMode(app, mode);
        await app.getByRole('button', { name: 'Fit' }).click();
        await app.mouse.move(width - 1, height - 1);
        const overflow = await app.evaluate<number>(
          'document.documentElement.scrollWidth - document.documentElement.clientWidth',
        );
        expect(overflow).toBe(0);
        await app.screenshot({
          path: `test-results/screenshots/compare-${slug}-${scheme}-${width}x${height}.png`,
        });
      }
      await setMode(app, 'Side by side');
      await app.getByRole('button', { name: '100%', exact: true }).click();
      await app.screenshot({
        path: `test-results/screenshots/compare-side-100-${scheme}-${width}x${height}.png`,
      });
    }
  });
}
