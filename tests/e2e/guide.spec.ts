/**
 * Create's Guide tab end to end in Chromium through the browser shell, against a Sandbox this file
 * starts with `recordFileBytes`, so what went on the wire can be decoded: for each mode (sketch,
 * structure, style guide, style transfer) a dropped reference reaches the right endpoint in the
 * right image field (style transfer's two pictures not swapped; Swap swaps them on the wire), the
 * sliders' values sent lie within the endpoint table's ranges, and the result lands in the library
 * with its references named in the sidecar. Bad input per mode, each a sentence. Reuse settings
 * stages the references again from the library's inputs. Screenshots in both themes, two sizes.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { ENDPOINTS, findParam, type EndpointId } from '../../shared/endpoints';
import {
  SANDBOX_API_KEY,
  startSandbox,
  type RecordedRequest,
  type Sandbox,
} from '../../electron/core/sandbox';
import {
  dropBytes,
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

test.beforeAll(async () => {
  sandbox = await startSandbox({ startingCredits: 100_000, faults: {}, recordFileBytes: true });
  shell = await startShell({ STABILITY_API_BASE: sandbox.url, STABILITY_API_KEY: SANDBOX_API_KEY });
});

test.afterAll(async () => {
  await stopShell(shell);
  await sandbox.close();
});

const DONE = '[data-testid=job][data-state=done] img';

async function open(page: Page) {
  await openApp(page, shell);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create');
  await page.getByRole('radio', { name: 'Guide', exact: true }).check();
}

async function chooseMode(page: Page, name: string | RegExp) {
  await page.getByRole('radiogroup', { name: 'Guide with' }).getByRole('radio', { name }).check();
}

/** The Library's tiles, newest first. */
function libraryCells(page: Page) {
  return page.getByRole('listbox', { name: /Images/ }).getByRole('option');
}

function promptBox(page: Page) {
  return page.getByRole('textbox', { name: /^Prompt/ });
}

async function png(width: number, height: number, rgb = { r: 40, g: 110, b: 190 }) {
  return sharp({ create: { width, height, channels: 3, background: rgb } })
    .png()
    .toBuffer();
}

/** A real drop event on one drop target, carrying a File made in the page from these bytes. */
async function dropInto(page: Page, field: string, bytes: Buffer, name: string) {
  await dropBytes(page, `[data-testid=guide-drop-${field}]`, bytes, name);
}

/** Drops a picture and waits until its target shows its size. */
async function dropPicture(page: Page, field: string, bytes: Buffer, name: string) {
  await dropInto(page, field, bytes, name);
  const meta = await sharp(bytes).metadata();
  await expect(page.getByTestId(`guide-drop-${field}`)).toContainText(
    `${meta.width} × ${meta.height}`,
  );
}

/** The newest request to an endpoint. */
function lastRequest(id: EndpointId): RecordedRequest {
  const found = sandbox.requests.filter((r) => r.path === ENDPOINTS[id].path).at(-1);
  if (!found) throw new Error(`no request to ${id}`);
  return found;
}

/** The file fields of a request, by name, with each picture's size decoded from its bytes. */
async function filesOf(request: RecordedRequest) {
  const out: Record<string, { width: number; height: number }> = {};
  for (const field of request.fields.filter((f) => f.kind === 'file')) {
    const meta = await sharp(field.bytes).metadata();
    out[field.name] = { width: meta.width, height: meta.height };
  }
  return out;
}

/** Each text field that is a number parameter with a range: sent within the table's range. */
function expectInRange(id: EndpointId, request: RecordedRequest, names: readonly string[]) {
  for (const name of names) {
    const param = findParam(ENDPOINTS[id], name);
    const sent = request.fields.find((f) => f.name === name && f.kind === 'text')?.value;
    expect(sent, `${name} was sent`).toBeDefined();
    const value = Number(sent);
    expect(value).toBeGreaterThanOrEqual(param?.min ?? 0);
    expect(value).toBeLessThanOrEqual(param?.max ?? 1);
  }
}

/** Reuse settings of the newest picture, from the Library's detail view. */
async function reuseNewest(page: Page) {
  await page
    .getByRole('navigation', { name: 'Places' })
    .getByRole('button', { name: /Library/ })
    .click();
  await libraryCells(page).first().dblclick();
  await page.getByRole('dialog').getByRole('button', { name: 'Reuse settings' }).click();
}

/** Runs the form once and waits for one more finished picture. */
async function runOnce(page: Page, label: RegExp) {
  const before = await page.locator(DONE).count();
  await page.getByRole('button', { name: label }).click();
  await expect(page.locator(DONE)).toHaveCount(before + 1, { timeout: 30_000 });
}

/** The sidecars in the library folder (newest last, by name: ULIDs sort by time). */
function sidecars(): { inputs: { role: string; file: string; width: number; height: number }[] }[] {
  const out: string[] = [];
  for (const day of readdirSync(shell.libraryDir)) {
    const dir = path.join(shell.libraryDir, day);
    if (day.startsWith('.') || day === 'inputs' || !statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir)) if (name.endsWith('.json')) out.push(path.join(dir, name));
  }
  out.sort((a, b) => path.basename(a).localeCompare(path.basename(b)));
  return out.map(
    (file) => JSON.parse(readFileSync(file, 'utf8')) as ReturnType<typeof sidecars>[0],
  );
}

test('sketch: the drawing goes to control/sketch as image, control_strength in range', async ({
  page,
}) => {
  await open(page);
  await chooseMode(page, /^Sketch/);
  await dropPicture(page, 'image', await png(320, 256, { r: 250, g: 250, b: 250 }), 'drawing.png');
  await promptBox(page).fill('a castle on a hill, watercolour');
  const slider = page.getByRole('slider', { name: 'How closely to follow it' });
  await slider.fill('0.85');
  await expect(page.getByText('Keeps every line where it is')).toBeVisible();
  await runOnce(page, /Make 1 image · 5 credits/);
  const sent = lastRequest('control.sketch');
  expect(await filesOf(sent)).toEqual({ image: { width: 320, height: 256 } });
  expectInRange('control.sketch', sent, ['control_strength']);
  expect(sent.fields.find((f) => f.name === 'control_strength')?.value).toBe('0.85');
  expect(
    sidecars()
      .at(-1)
      ?.inputs.map((i) => [i.role, i.width, i.height]),
  ).toEqual([['image', 320, 256]]);
});

test('structure: the picture goes to control/structure as image', async ({ page }) => {
  await open(page);
  await chooseMode(page, /^Structure/);
  await dropPicture(page, 'image', await png(300, 240), 'street.png');
  await promptBox(page).fill('the same street in winter');
  await page.getByRole('slider', { name: 'How closely to follow it' }).fill('0.3');
  await runOnce(page, /Make 1 image · 5 credits/);
  const sent = lastRequest('control.structure');
  expect(await filesOf(sent)).toEqual({ image: { width: 300, height: 240 } });
  expectInRange('control.structure', sent, ['control_strength']);
});

test('style guide: the picture goes to control/style as image, with fidelity and shape', async ({
  page,
}) => {
  await open(page);
  await chooseMode(page, /^Style guide/);
  await dropPicture(page, 'image', await png(280, 280, { r: 200, g: 40, b: 40 }), 'red.png');
  await promptBox(page).fill('a fox in the snow');
  await page.getByRole('slider', { name: 'Style fidelity' }).fill('0.9');
  await page.getByRole('radio', { name: 'Widescreen (16:9)' }).check();
  await runOnce(page, /Make 1 image · 5 credits/);
  const sent = lastRequest('control.style');
  expect(await filesOf(sent)).toEqual({ image: { width: 280, height: 280 } });
  expectInRange('control.style', sent, ['fidelity']);
  expect(sent.fields.find((f) => f.name === 'aspect_ratio')?.value).toBe('16:9');
});

test('style transfer: init_image and style_image not swapped; Swap swaps them on the wire; Reuse settings restores them', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await open(page);
  await chooseMode(page, /^Style transfer/);
  await dropPicture(page, 'init_image', await png(400, 300), 'photo.png');
  await dropPicture(
    page,
    'style_image',
    await png(200, 200, { r: 220, g: 180, b: 30 }),
    'style.png',
  );
  // The prompt is optional here.
  await expect(page.getByRole('textbox', { name: 'Prompt (optional)' })).toBeVisible();
  await page.getByRole('slider', { name: 'How much to change' }).fill('0.1');
  await page.getByRole('slider', { name: 'Style strength' }).fill('0.6');
  await runOnce(page, /Make 1 image · 8 credits/);
  let sent = lastRequest('control.style-transfer');
  expect(await filesOf(sent)).toEqual({
    init_image: { width: 400, height: 300 },
    style_image: { width: 200, height: 200 },
  });
  expectInRange('control.style-transfer', sent, [
    'style_strength',
    'composition_fidelity',
    'change_strength',
  ]);
  expect(sent.fields.find((f) => f.name === 'change_strength')?.value).toBe('0.1');
  const named = sidecars().at(-1)?.inputs ?? [];
  expect(named.map((i) => [i.role, i.width]).sort()).toEqual([
    ['init_image', 400],
    ['style_image', 200],
  ]);
  for (const input of named) {
    expect(statSync(path.join(shell.libraryDir, input.file)).isFile()).toBe(true);
  }

  await page.getByRole('button', { name: 'Swap the two pictures' }).click();
  await expect(page.getByTestId('guide-drop-init_image')).toContainText('200 × 200');
  await runOnce(page, /Make 1 image · 8 credits/);
  sent = lastRequest('control.style-transfer');
  expect(await filesOf(sent)).toEqual({
    init_image: { width: 200, height: 200 },
    style_image: { width: 400, height: 300 },
  });

  // "Compare with original" offers each reference.
  const card = page.locator('[data-testid=job][data-state=done]').first();
  await card.getByRole('button', { name: 'Compare with original…' }).click();
  await expect(card.getByRole('button', { name: 'Compare with picture to change' })).toBeVisible();
  await card.getByRole('button', { name: 'Compare with style to take' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Compare');
  await expect(page.getByText('Style to take').first()).toBeVisible();

  // Reuse settings from the Library: the mode, the slider and both pictures come back.
  await reuseNewest(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create');
  await expect(page.getByRole('radio', { name: /^Style transfer/ })).toBeChecked();
  await expect(page.getByTestId('guide-drop-init_image')).toContainText('200 × 200');
  await expect(page.getByTestId('guide-drop-style_image')).toContainText('400 × 300');
  await expect(page.getByRole('slider', { name: 'How much to change' })).toHaveValue('0.1');

  // A reference no longer in the library's inputs folder: a sentence on its target.
  const style = (sidecars().at(-1)?.inputs ?? []).find((i) => i.role === 'style_image');
  rmSync(path.join(shell.libraryDir, style?.file ?? 'missing'));
  await reuseNewest(page);
  await expect(page.getByTestId('guide-drop-init_image')).toContainText('200 × 200');
  await expect(
    page
      .getByRole('alert')
      .filter({ hasText: /style image this picture was made with is no longer/ }),
  ).toBeVisible();
});

test('bad input per mode, each a sentence', async ({ page }) => {
  await open(page);
  const modes = [
    { name: /^Sketch/, field: 'image', label: 'Sketch to image' },
    { name: /^Structure/, field: 'image', label: 'Structure' },
    { name: /^Style guide/, field: 'image', label: 'Style guide' },
    { name: /^Style transfer/, field: 'init_image', label: 'Style transfer' },
  ];
  const target = (field: string) => page.getByTestId(`guide-drop-${field}`).locator('..');
  for (const mode of modes) {
    await chooseMode(page, mode.name);
    // Too small for the endpoint (the table's limits): refused before anything is sent.
    await dropPicture(page, mode.field, await png(40, 40), 'tiny.png');
    await expect(target(mode.field).getByRole('alert')).toHaveText(
      new RegExp(
        `is 40 × 40 pixels, too small: ${mode.label} needs at least 64 pixels on each side`,
      ),
    );
    // Too large: Atelier scales it down, and says so.
    await dropPicture(page, mode.field, await png(4000, 3000), 'huge.png');
    await expect(target(mode.field).getByRole('status')).toHaveText(
      /larger than the 9\.4 megapixels .* takes; Atelier sends it scaled down to about 3547 × 2660/,
    );
    // Not a picture at all: the core reads it and says what it is.
    await dropInto(page, mode.field, Buffer.from('this is not a picture'), 'notes.png');
    await expect(target(mode.field).getByRole('alert')).toHaveText(
      /“notes\.png” is a text file, not an image\./,
    );
  }
  // Style transfer with one picture only.
  await page
    .getByRole('button', { name: 'Remove Picture to change' })
    .click()
    .catch(() => undefined);
  await dropPicture(page, 'init_image', await png(300, 300), 'photo.png');
  await page.getByRole('button', { name: /Make 1 image · 8 credits/ }).click();
  await expect(target('style_image').getByRole('alert')).toHaveText(
    'Style transfer needs two pictures: add the style picture too (drop it here, paste it or choose a file).',
  );
});

/** A white page with a black frame and a diagonal stroke: a "sketch". */
async function drawing(width: number, height: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="white"/>
    <rect x="40" y="40" width="${width - 80}" height="${height - 80}" fill="none" stroke="black" stroke-width="10"/>
    <line x1="40" y1="${height - 40}" x2="${width - 40}" y2="40" stroke="black" stroke-width="10"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

test('screenshots of Guide in both themes at two sizes', async ({ page }) => {
  test.setTimeout(150_000);
  mkdirSync('test-results/screenshots', { recursive: true });
  // A sketch result to show: the drawing's lines traced into the Sandbox's pattern.
  await open(page);
  await chooseMode(page, /^Sketch/);
  await dropPicture(page, 'image', await drawing(512, 384), 'house.png');
  await promptBox(page).fill('a house by the sea, gouache');
  await runOnce(page, /Make 1 image · 5 credits/);
  const photo = await png(400, 300);
  const style = await png(200, 200, { r: 220, g: 180, b: 30 });
  for (const theme of ['light', 'dark'] as const) {
    for (const size of [
      { width: 1280, height: 800 },
      { width: 900, height: 600 },
    ]) {
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: theme });
      await open(page);
      await chooseMode(page, /^Style transfer/);
      await dropPicture(page, 'init_image', photo, 'photo.png');
      await dropPicture(page, 'style_image', style, 'style.png');
      await page.screenshot({
        path: `test-results/screenshots/guide-transfer-${theme}-${size.width}x${size.height}.png`,
      });
      await chooseMode(page, /^Sketch/);
      await page.screenshot({
        path: `test-results/screenshots/guide-sketch-${theme}-${size.width}x${size.height}.png`,
      });
    }
  }
});
