/**
 * Batches and variations end to end in Chromium through the browser shell, against a Sandbox this
 * test starts (recording each file part's bytes, so what went on the wire can be counted):
 * - a folder of 12 pictures in 3 subfolders plus 2 non-images is chosen with Choose folder…; the
 *   summary says 12 and names the 2 skipped; after confirming, the Sandbox receives 12 upscale
 *   requests and the library holds 12 results under the same subfolders;
 * - 4 images with a fixed seed n send seeds n … n+3;
 * - the shell's core is killed (SIGKILL) partway through a batch of 40 and started again on the
 *   same folders: every picture is sent exactly once (counted on the wire, by its bytes).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from '@playwright/test';
import { SANDBOX_API_KEY, startSandbox, type Sandbox } from '../../electron/core/sandbox';
import { expect, openApp, startShell, stopShell, test, type RunningShell } from './fixtures';

let sandbox: Sandbox;
let shell: RunningShell;
let pictures: string;

test.describe.configure({ mode: 'serial' });

async function picture(file: string, shade: number): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const png = await sharp({
    create: {
      width: 64,
      height: 48,
      channels: 3,
      background: { r: shade % 256, g: (shade * 7) % 256, b: 120 },
    },
  })
    .png()
    .toBuffer();
  writeFileSync(file, png);
}

function env(): Record<string, string> {
  return { STABILITY_API_BASE: sandbox.url, STABILITY_API_KEY: SANDBOX_API_KEY };
}

test.beforeAll(async () => {
  sandbox = await startSandbox({ startingCredits: 100_000, faults: {}, recordFileBytes: true });
  shell = await startShell(env());
  pictures = mkdtempSync(path.join(tmpdir(), 'atelier-e2e-batch-'));
});

test.afterAll(async () => {
  await stopShell(shell);
  await sandbox.close();
  rmSync(pictures, { recursive: true, force: true });
});

/** Every picture under `dir` (not the library's inputs), relative paths. */
function imagesUnder(dir: string, rel = ''): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    if (name.startsWith('.') || (rel === '' && name === 'inputs')) return [];
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return imagesUnder(full, `${rel}${name}/`);
    return /\.(png|jpe?g|webp)$/.test(name) ? [`${rel}${name}`] : [];
  });
}

/**
 * The upscale requests the Sandbox received since `from`, as the hash of the picture sent ('' for a
 * request cut off before its picture arrived, as when the core is killed mid-upload).
 */
function upscaleInputs(from: number): string[] {
  return sandbox.requests
    .slice(from)
    .filter((request) => request.path.includes('/upscale/'))
    .map((request) => {
      const bytes = request.fields.find((field) => field.name === 'image')?.bytes;
      return bytes?.length ? createHash('sha256').update(bytes).digest('hex') : '';
    });
}

async function chooseFolder(page: Page, folder: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose folder…' }).click();
  await (await chooser).setFiles(folder);
}

async function openUpscale(page: Page, target: RunningShell): Promise<void> {
  await openApp(page, target);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create');
  await page.getByRole('radio', { name: 'Upscale', exact: true }).check();
  await page.getByRole('radio', { name: 'Fast', exact: true }).check();
}

test('a chosen folder: the summary names what is skipped, then 12 upscales keep the subfolders', async ({
  page,
}) => {
  const folder = path.join(pictures, 'holiday');
  let shade = 0;
  for (const sub of ['beach', 'hills', 'town']) {
    for (let i = 0; i < 4; i++) await picture(path.join(folder, sub, `p${i}.png`), (shade += 19));
  }
  writeFileSync(path.join(folder, 'beach', 'notes.txt'), 'where we went\n');
  writeFileSync(path.join(folder, 'town', 'map.pdf'), '%PDF-1.4\n% not a picture\n');
  const from = sandbox.requests.length;

  await openUpscale(page, shell);
  await chooseFolder(page, folder);
  const summary = page.getByRole('dialog', { name: 'Send 12 pictures to Fast upscale?' });
  await expect(summary).toBeVisible();
  await expect(summary).toContainText('12 pictures will be sent, 2 files skipped');
  const skipped = summary.getByRole('list', { name: 'Skipped' });
  await expect(skipped.getByRole('listitem')).toHaveText([
    'beach/notes.txt — not a picture',
    'town/map.pdf — not a picture',
  ]);
  await expect(summary).toContainText(/This costs \d+ credits/);
  expect(upscaleInputs(from)).toHaveLength(0); // Nothing before the confirmation.

  await summary.getByRole('button', { name: /^Send 12 pictures · / }).click();
  await expect(summary).toBeHidden();
  await expect(page.getByText('12 pictures sent to the queue.')).toBeVisible();
  await expect.poll(() => upscaleInputs(from).length, { timeout: 30_000 }).toBe(12);
  await expect
    .poll(() => imagesUnder(path.join(shell.libraryDir, 'Batches')).length, { timeout: 30_000 })
    .toBe(12);
  const saved = imagesUnder(path.join(shell.libraryDir, 'Batches'));
  const bySub = saved.map((file) => file.split('/').slice(1, -1).join('/')).sort();
  expect(bySub).toEqual([
    ...Array<string>(4).fill('beach'),
    ...Array<string>(4).fill('hills'),
    ...Array<string>(4).fill('town'),
  ]);
  expect(new Set(upscaleInputs(from)).size).toBe(12);

  // The batch opens in the Library as a filter.
  await page.getByRole('button', { name: 'Show batch in Library' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Library');
  await expect(page.getByRole('searchbox')).toHaveValue(/^Batches\//);
});

test('4 images with a fixed seed send seeds n to n+3', async ({ page }) => {
  const from = sandbox.requests.length;
  await openApp(page, shell);
  await page.getByRole('radio', { name: 'Generate', exact: true }).check();
  await page.getByRole('textbox', { name: /^Prompt/ }).fill('a lighthouse, four ways');
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'More images' }).click();
  await page.getByRole('radio', { name: 'Fixed', exact: true }).check();
  await page.getByRole('spinbutton', { name: 'Seed number' }).fill('4242');
  await expect(page.getByText('The 4 images use seeds 4242 to 4245, one each.')).toBeVisible();
  await page.getByRole('button', { name: /^Make 4 images/ }).click();
  await expect
    .poll(() => sandbox.requests.slice(from).filter((r) => r.path.includes('/generate/')).length, {
      timeout: 30_000,
    })
    .toBe(4);
  const seeds = sandbox.requests
    .slice(from)
    .filter((r) => r.path.includes('/generate/'))
    .map((r) => Number(r.fields.find((field) => field.name === 'seed')?.value))
    .sort((a, b) => a - b);
  expect(seeds).toEqual([4242, 4243, 4244, 4245]);
});

test('a batch of 40 survives its core being killed: every picture is sent exactly once', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const folder = path.join(pictures, 'forty');
  for (let i = 0; i < 40; i++)
    await picture(path.join(folder, `f${String(i).padStart(2, '0')}.png`), i * 6 + 1);
  const root = mkdtempSync(path.join(tmpdir(), 'atelier-e2e-kill-'));
  const from = sandbox.requests.length;
  sandbox.setFaults({ latencyMs: 1_500 });
  let first = await startShell(env(), [], { root });
  try {
    await openUpscale(page, first);
    await chooseFolder(page, folder);
    const summary = page.getByRole('dialog', { name: 'Send 40 pictures to Fast upscale?' });
    await summary.getByRole('button', { name: /^Send 40 pictures · / }).click();
    await expect
      .poll(() => upscaleInputs(from).length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(12);
    first.process.kill('SIGKILL');
    await new Promise<void>((resolve) => first.process.once('exit', () => resolve()));
    const atKill = upscaleInputs(from).length;
    expect(atKill).toBeLessThan(40);

    sandbox.setFaults({});
    first = await startShell(env(), [], { root });
    // No page needed: the core picks up the queue by itself.
    await expect.poll(() => upscaleInputs(from).length, { timeout: 60_000 }).toBe(40);
    await expect
      .poll(() => imagesUnder(path.join(first.libraryDir, 'Batches')).length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(40 - 4);
    // Each of the 40 pictures went once: 40 requests in all (one per picture; those cut off by the
    // kill may have been charged, so they are never sent again), and no picture twice.
    const sent = upscaleInputs(from);
    expect(sent).toHaveLength(40);
    const whole = sent.filter((hash) => hash !== '');
    expect(new Set(whole).size).toBe(whole.length);
  } finally {
    sandbox.setFaults({});
    if (first.process.signalCode === null) await stopShell(first);
    rmSync(root, { recursive: true, force: true });
  }
});
