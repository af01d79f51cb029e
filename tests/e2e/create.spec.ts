/**
 * Create end to end in Chromium through the browser shell, against a Sandbox this test starts
 * (STABILITY_API_BASE + the Sandbox key), so faults can be switched on and off while it runs:
 * 4 images of one prompt; a dropped picture transformed at two strengths; a dropped picture
 * upscaled with each upscaler; cancelling a running job; each error kind as a plain sentence; every
 * finished job's picture in the library folder. Screenshots of Create in both themes, two sizes.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { SANDBOX_API_KEY, startSandbox, type Sandbox } from '../../electron/core/sandbox';
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
  sandbox = await startSandbox({ startingCredits: 100_000, faults: {} });
  shell = await startShell({
    STABILITY_API_BASE: sandbox.url,
    STABILITY_API_KEY: SANDBOX_API_KEY,
    ATELIER_CREATIVE_POLL_MS: '50',
  });
});

test.afterAll(async () => {
  await stopShell(shell);
  await sandbox.close();
});

test.beforeEach(() => sandbox.setFaults({}));

/** Every picture in the library folder (not inputs, not caches), relative paths. */
function libraryImages(): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir)) {
      if (name.startsWith('.') || (rel === '' && name === 'inputs')) continue;
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full, `${rel}${name}/`);
      else if (/\.(png|jpe?g|webp)$/.test(name)) out.push(`${rel}${name}`);
    }
  };
  try {
    walk(shell.libraryDir, '');
  } catch {
    // No library folder yet.
  }
  return out;
}

async function open(page: Page) {
  await openApp(page, shell);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create');
}

function promptBox(page: Page) {
  return page.getByRole('textbox', { name: /^Prompt/ });
}

const DONE = '[data-testid=job][data-state=done] img';

/** Waits until `more` pictures beyond `before` are shown. */
async function expectMoreDone(page: Page, before: number, more: number) {
  await expect(page.locator(DONE)).toHaveCount(before + more, { timeout: 30_000 });
}

function jobs(page: Page) {
  return page.getByTestId('job');
}

async function png(width: number, height: number): Promise<Buffer> {
  return sharp({
    create: { width, height, channels: 3, background: { r: 40, g: 110, b: 190 } },
  })
    .png()
    .toBuffer();
}

/** A real drop event on the drop zone carrying a File made in the page from these bytes. */
async function dropFile(page: Page, bytes: Buffer, name: string) {
  await dropBytes(page, '[data-testid=drop-zone]', bytes, name);
}

async function chooseTab(page: Page, name: string) {
  await page.getByRole('radio', { name, exact: true }).check();
}

test('makes 4 images of one prompt and shows them as they arrive', async ({ page }) => {
  await open(page);
  const before = libraryImages().length;
  await promptBox(page).fill('a lighthouse at dusk, watercolour');
  await page.getByRole('radio', { name: 'Widescreen (16:9)' }).check();
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'More images' }).click();
  const run = page.getByRole('button', { name: /Make 4 images · 12 credits/ });
  await expect(run).toBeVisible();
  await promptBox(page).press('Control+Enter');
  await expect(jobs(page)).toHaveCount(4);
  await expect(page.locator('[data-testid=job][data-state=done] img')).toHaveCount(4, {
    timeout: 30_000,
  });
  await expect(
    page.getByRole('region', { name: 'a lighthouse at dusk, watercolour' }),
  ).toContainText('Stable Image Core · 16:9');
  expect(libraryImages().length - before).toBe(4);
});

test('each model shows exactly its options', async ({ page }) => {
  await open(page);
  await page.getByRole('radio', { name: /SD 3.5 Large Turbo/ }).check();
  await expect(page.getByLabel('Prompt strictness')).toHaveValue('1');
  await expect(page.getByRole('button', { name: /Make 1 image · 4 credits/ })).toBeVisible();
  await page.getByRole('radio', { name: /Stable Image Core/ }).check();
  await expect(page.getByLabel('Prompt strictness')).toHaveCount(0);
  await expect(page.getByLabel('Style')).toBeVisible();
  await page.getByRole('radio', { name: /Stable Image Ultra/ }).check();
  await expect(page.getByRole('button', { name: /8 credits/ })).toBeVisible();
});

test('transforms a dropped picture at two strengths', async ({ page }) => {
  await open(page);
  await chooseTab(page, 'Transform');
  await dropFile(page, await png(640, 480), 'harbour.png');
  await expect(page.getByTestId('drop-zone')).toContainText('640 × 480');
  await expect(page.getByRole('img', { name: 'Your picture: harbour.png' })).toBeVisible();
  await page.getByRole('radio', { name: /SD 3.5 Medium/ }).check();
  await promptBox(page).fill('as an oil painting');
  const before = libraryImages().length;
  const shown = await page.locator(DONE).count();
  for (const strength of ['0.3', '0.85']) {
    await page.getByLabel('Strength').fill(strength);
    await page.getByRole('button', { name: /Transform 1 image/ }).click();
  }
  await expectMoreDone(page, shown, 2);
  await expect(page.getByText(/strength 0.3/)).toBeVisible();
  await expect(page.getByText(/strength 0.85/)).toBeVisible();
  expect(libraryImages().length - before).toBe(2);
});

test('upscales a dropped picture with each upscaler', async ({ page }) => {
  await open(page);
  await chooseTab(page, 'Upscale');
  // Taken through the system's file chooser this time (the other tests drop theirs).
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'choose a file' }).click();
  await (
    await chooser
  ).setFiles({
    name: 'small.png',
    mimeType: 'image/png',
    buffer: await png(512, 384),
  });
  await expect(page.getByTestId('drop-zone')).toContainText('512 × 384');
  const before = libraryImages().length;
  const shown = await page.locator(DONE).count();
  for (const name of ['Fast', 'Conservative', 'Creative']) {
    await page.getByRole('radio', { name, exact: true }).check();
    if (name !== 'Fast') await promptBox(page).fill('crisp detail');
    await page.getByRole('button', { name: /^Upscale · / }).click();
  }
  await expectMoreDone(page, shown, 3);
  expect(libraryImages().length - before).toBe(3);

  // Any upscale opens in Compare next to the picture it was made from, with both real sizes.
  await page
    .locator('[data-testid=job][data-state=done]', { hasText: '2048×1536' })
    .first()
    .getByRole('button', { name: 'Compare with original' })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Compare');
  await expect(page.getByTestId('label-0')).toContainText('Original');
  await expect(page.getByTestId('label-0')).toContainText('512 × 384 px');
  await expect(page.getByTestId('label-1')).toContainText('2048 × 1536 px');
});

test('cancels a running job', async ({ page }) => {
  await open(page);
  sandbox.setFaults({ latencyMs: 60_000 });
  await promptBox(page).fill('a very slow picture');
  await page.getByRole('button', { name: /Make 1 image/ }).click();
  const job = page.locator('[data-testid=job][data-state=generating]');
  await expect(job).toHaveCount(1, { timeout: 15_000 });
  await job.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('[data-testid=job][data-state=cancelled]')).toHaveCount(1);
});

test('shows each kind of error as a plain sentence', async ({ page }) => {
  await open(page);
  const cases: { prompt: string; state: string; text: RegExp }[] = [
    { prompt: 'sandbox-filter cat', state: 'filtered', text: /content filter/i },
    { prompt: 'sandbox-moderate cat', state: 'failed', text: /\w+ .*\./ },
    { prompt: 'sandbox-public-figure cat', state: 'failed', text: /\w+ .*\./ },
    { prompt: 'sandbox-language cat', state: 'failed', text: /\w+ .*\./ },
  ];
  for (const c of cases) {
    await promptBox(page).fill(c.prompt);
    await page.getByRole('button', { name: /Make 1 image/ }).click();
    const card = page.getByRole('article', { name: new RegExp(c.prompt) });
    await expect(card).toHaveAttribute('data-state', c.state, { timeout: 15_000 });
    await expect(card).toContainText(c.text);
    await expect(card).not.toContainText(/\b(400|403|422|500)\b/);
  }
  // A server error after the request went out: it may have been charged; retry only on a click.
  sandbox.setFaults({ error500: 1 });
  await promptBox(page).fill('server trouble');
  await page.getByRole('button', { name: /Make 1 image/ }).click();
  const card = page.getByRole('article', { name: /server trouble/ });
  await expect(card).toHaveAttribute('data-state', /needs-attention|failed/, { timeout: 15_000 });
  await expect(card).toContainText(/charged|Stability/);
  if ((await card.getAttribute('data-state')) === 'needs-attention') {
    sandbox.setFaults({});
    await card.getByRole('button', { name: 'Retry…' }).click();
    await expect(card).toContainText('It may have been charged — send again?');
    await card.getByRole('button', { name: 'Send again' }).click();
    await expect(card).toHaveAttribute('data-state', 'done', { timeout: 15_000 });
  }
  // No credits left: says so, and what to do.
  sandbox.setFaults({});
  const credits = sandbox.ledger.balance;
  sandbox.ledger.set(0);
  // Atelier knows the balance is 0 once it refreshes, so it asks before a run it cannot pay for;
  // say yes, and Stability's own refusal comes back as a sentence.
  await page.getByTestId('credits').click();
  await expect(page.getByTestId('credits')).toHaveText('0 credits');
  await promptBox(page).fill('no money left');
  const asked: string[] = [];
  page.once('dialog', (dialog) => {
    asked.push(dialog.message());
    void dialog.accept();
  });
  await page.getByRole('button', { name: /Make 1 image/ }).click();
  await expect
    .poll(() => asked)
    .toEqual([expect.stringMatching(/costs 3 credits and your balance is 0 credits/)]);
  const broke = page.getByRole('article', { name: /no money left/ });
  await expect(broke).toHaveAttribute('data-state', 'failed', { timeout: 15_000 });
  await expect(broke).toContainText(/credits/i);
  sandbox.ledger.set(credits);
  // Atelier learns the balance is back, so later runs need not ask.
  await page.getByTestId('credits').click();
  await expect(page.getByTestId('credits')).not.toHaveText('0 credits');
  // Refused before sending: the field says why.
  await promptBox(page).fill('');
  await page.getByRole('button', { name: /Make 1 image/ }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Required.' })).toBeVisible();
});

test('every finished job has its picture in the library folder', async ({ page }) => {
  await open(page);
  // The job list loads after the page: wait for it before counting.
  await expect(page.locator('[data-testid=job][data-state=done]').first()).toBeVisible();
  const done = await page.locator('[data-testid=job][data-state=done]').count();
  expect(done).toBeGreaterThan(0);
  expect(libraryImages().length).toBe(done);
});

test('screenshots of Create', async ({ page }) => {
  test.setTimeout(240_000);
  mkdirSync('test-results/screenshots', { recursive: true });
  const shots: { name: string; prepare: (page: Page) => Promise<void> }[] = [
    {
      name: 'results',
      prepare: async (p) => {
        await chooseTab(p, 'Generate');
        await promptBox(p).fill('a lighthouse at dusk, warm light, watercolour');
      },
    },
    {
      name: 'transform',
      prepare: async (p) => {
        await chooseTab(p, 'Transform');
        await dropFile(p, await png(640, 480), 'harbour.png');
        await expect(p.getByTestId('drop-zone')).toContainText('640 × 480');
      },
    },
    {
      name: 'upscale',
      prepare: async (p) => {
        await chooseTab(p, 'Upscale');
        await dropFile(p, await png(512, 384), 'small.png');
        await expect(p.getByTestId('drop-zone')).toContainText('512 × 384');
      },
    },
  ];
  await open(page);
  // A batch of its own to show (whatever ran before).
  const title = 'a quiet harbour at night, ink and wash';
  await promptBox(page).fill(title);
  await page.getByRole('radio', { name: 'Landscape photo (3:2)' }).check();
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'More images' }).click();
  await promptBox(page).press('Control+Enter');
  await expect(page.getByRole('region', { name: title }).locator(DONE)).toHaveCount(4, {
    timeout: 30_000,
  });
  for (const theme of ['light', 'dark'] as const) {
    for (const size of [
      { width: 1280, height: 800 },
      { width: 900, height: 600 },
    ]) {
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: theme });
      await open(page);
      await expect(page.locator(DONE).first()).toBeVisible();
      for (const shot of shots) {
        await shot.prepare(page);
        await page.screenshot({
          path: `test-results/screenshots/create-${shot.name}-${theme}-${size.width}x${size.height}.png`,
        });
      }
    }
  }
});

test('screenshots of an empty and a filled Create', async ({ page }) => {
  test.setTimeout(240_000);
  const fresh = await startShell({
    STABILITY_API_BASE: sandbox.url,
    STABILITY_API_KEY: SANDBOX_API_KEY,
  });
  try {
    mkdirSync('test-results/screenshots', { recursive: true });
    for (const theme of ['light', 'dark'] as const) {
      for (const size of [
        { width: 1280, height: 800 },
        { width: 900, height: 600 },
      ]) {
        await page.setViewportSize(size);
        await page.emulateMedia({ colorScheme: theme });
        await openApp(page, fresh);
        await expect(page.getByRole('main', { name: 'Create' })).toContainText(
          'Type a prompt or drop a picture here to make images',
        );
        const tag = `${theme}-${size.width}x${size.height}`;
        await page.screenshot({ path: `test-results/screenshots/create-empty-${tag}.png` });
        await page.getByRole('radio', { name: /^SD 3.5 Large [0-9]/ }).check();
        await promptBox(page).fill('a lighthouse at dusk, warm light, watercolour');
        await page.getByLabel('Leave out').fill('text, people');
        await page.getByLabel('Style').selectOption({ label: 'Fantasy art' });
        await page.getByRole('radio', { name: 'Landscape photo (3:2)' }).check();
        await page.getByRole('button', { name: 'More images' }).click();
        await page.screenshot({ path: `test-results/screenshots/create-filled-${tag}.png` });
      }
    }
  } finally {
    await stopShell(fresh);
  }
});
