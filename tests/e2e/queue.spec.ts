/**
 * The Queue panel end to end in Chromium through the browser shell, against a Sandbox this file
 * starts (one shell for the whole file): Pause all holds every request until Resume all; reordering
 * (by drag, by Alt+Up on a focused job, by Move down) changes the order of requests on the wire;
 * Cancel all waiting, Retry failed and Clear finished through the panel; a job that may have been
 * charged waits under "Needs your decision" until its own "Send again — n credits". Screenshots of
 * the panel in both themes, two sizes.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { SANDBOX_API_KEY, startSandbox, type Sandbox } from '../../electron/core/sandbox';
import {
  eachLook,
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
  shell = await startShell({ STABILITY_API_BASE: sandbox.url, STABILITY_API_KEY: SANDBOX_API_KEY });
});

test.afterAll(async () => {
  await stopShell(shell);
  await sandbox.close();
});

test.beforeEach(() => sandbox.setFaults({}));

/** The prompts of the generate requests the Sandbox received, in order. */
function promptsOnTheWire(): string[] {
  return sandbox.requests
    .filter((request) => request.method === 'POST' && request.path.includes('/generate/'))
    .flatMap((request) =>
      request.fields.filter((f) => f.name === 'prompt').map((f) => f.value ?? ''),
    );
}

/** How many pictures the library folder holds (staged inputs aside). */
function pictures(): number {
  return readdirSync(shell.libraryDir, { recursive: true, encoding: 'utf8' }).filter(
    (name) => /\.(png|jpe?g|webp)$/.test(name) && !name.startsWith('inputs'),
  ).length;
}

async function open(page: Page) {
  await openApp(page, shell);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create');
}

function panel(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Queue' });
}

function group(page: Page, name: string): Locator {
  return panel(page).getByRole('region', { name: new RegExp(`^${name}`) });
}

function waitingTitles(page: Page): Locator {
  return group(page, 'Waiting').locator('.queue-job__title');
}

async function makeOne(page: Page, prompt: string) {
  await page.getByRole('textbox', { name: /^Prompt/ }).fill(prompt);
  await page.getByRole('button', { name: /Make 1 image/ }).click();
}

async function openQueue(page: Page) {
  if (!(await panel(page).isVisible())) await page.keyboard.press('Control+j');
  await expect(panel(page)).toBeVisible();
}

test('Pause holds every request until Resume; reorder changes the order on the wire', async ({
  page,
}) => {
  await open(page);
  // One at a time, so the order they start is the order they reach the Sandbox.
  await page.keyboard.press('Control+4');
  await page
    .getByRole('radiogroup', { name: 'Jobs at once' })
    .getByRole('radio', { name: '1', exact: true })
    .check();
  await page.keyboard.press('Control+1');

  const queueButton = page.getByRole('button', { name: /^Queue:/ });
  await expect(queueButton).toHaveAccessibleName('Queue: 0 running or waiting');
  await queueButton.click();
  await expect(panel(page)).toBeVisible();
  await expect(panel(page).getByRole('heading', { name: 'Queue' })).toBeFocused();
  await panel(page).getByRole('button', { name: 'Pause all' }).click();
  await expect(panel(page).getByRole('button', { name: 'Resume all' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(panel(page)).toBeHidden();
  await expect(queueButton).toBeFocused();

  const before = promptsOnTheWire().length;
  for (const prompt of ['queue one', 'queue two', 'queue three']) await makeOne(page, prompt);
  await expect(queueButton).toHaveAccessibleName('Queue: 3 running or waiting, paused');
  await openQueue(page);
  await expect(waitingTitles(page)).toHaveText(['queue one', 'queue two', 'queue three']);
  expect(promptsOnTheWire()).toHaveLength(before);

  // By drag: three before one.
  const row = (name: string) =>
    group(page, 'Waiting').getByRole('listitem', { name: new RegExp(`\\d\\. ${name}$`) });
  await row('queue three').dragTo(row('queue one'), { targetPosition: { x: 20, y: 4 } });
  await expect(waitingTitles(page)).toHaveText(['queue three', 'queue one', 'queue two']);
  // By keyboard: two up one place, on the focused job.
  await row('queue two').focus();
  await page.keyboard.press('Alt+ArrowUp');
  await expect(waitingTitles(page)).toHaveText(['queue three', 'queue two', 'queue one']);
  await expect(row('queue two')).toBeFocused();
  // By button: three down one place.
  await panel(page).getByRole('button', { name: 'Move down: 1. queue three' }).click();
  await expect(waitingTitles(page)).toHaveText(['queue two', 'queue three', 'queue one']);
  // Still nothing sent while paused.
  expect(promptsOnTheWire()).toHaveLength(before);

  await panel(page).getByRole('button', { name: 'Resume all' }).click();
  await expect(group(page, 'Finished').getByRole('listitem')).toHaveCount(3, { timeout: 30_000 });
  expect(promptsOnTheWire().slice(before)).toEqual(['queue two', 'queue three', 'queue one']);
  await expect(queueButton).toHaveAccessibleName('Queue: 0 running or waiting');
});

test('Cancel all waiting, Retry failed and Clear finished, through the panel', async ({ page }) => {
  await open(page);
  await openQueue(page);
  await panel(page).getByRole('button', { name: 'Pause all' }).click();
  await makeOne(page, 'cancel me first');
  await makeOne(page, 'cancel me second');
  await expect(group(page, 'Waiting').getByRole('listitem')).toHaveCount(2);
  await panel(page).getByRole('button', { name: 'Cancel all waiting' }).click();
  await expect(
    panel(page).getByRole('status').filter({ hasText: '2 waiting jobs cancelled' }),
  ).toBeVisible();
  await expect(group(page, 'Waiting')).toHaveCount(0);
  expect(promptsOnTheWire().filter((p) => p.startsWith('cancel me'))).toEqual([]);

  // A refusal (moderation) costs nothing: Retry failed sends it once more.
  await panel(page).getByRole('button', { name: 'Resume all' }).click();
  await makeOne(page, 'sandbox-moderate a cat');
  const failed = group(page, 'Failed');
  await expect(failed.getByRole('listitem')).toHaveCount(1, { timeout: 15_000 });
  const sent = () => promptsOnTheWire().filter((p) => p === 'sandbox-moderate a cat').length;
  expect(sent()).toBe(1);
  await panel(page).getByRole('button', { name: 'Retry failed (1)' }).click();
  await expect.poll(sent).toBe(2);
  await expect(failed.getByRole('listitem')).toHaveCount(1, { timeout: 15_000 });
  await failed.getByRole('button', { name: /^Remove:/ }).click();
  await expect(failed).toHaveCount(0);

  // Clear finished forgets the finished jobs; the pictures stay in the library.
  const kept = pictures();
  expect(kept).toBeGreaterThanOrEqual(3);
  await expect(group(page, 'Finished').getByRole('listitem').first()).toBeVisible();
  await panel(page).getByRole('button', { name: 'Clear finished' }).click();
  await expect(group(page, 'Finished')).toHaveCount(0);
  await expect(panel(page).getByText('No jobs.')).toBeVisible();
  expect(pictures()).toBe(kept);
});

test('a job that may have been charged waits under "Needs your decision", with its cost', async ({
  page,
}) => {
  await open(page);
  await openQueue(page);
  sandbox.setFaults({ error500: 1 });
  await makeOne(page, 'maybe charged');
  const decision = group(page, 'Needs your decision');
  await expect(decision.getByRole('listitem')).toHaveCount(1, { timeout: 15_000 });
  await expect(decision).toContainText(/may have been charged/);
  sandbox.setFaults({});
  const sent = () => promptsOnTheWire().filter((p) => p === 'maybe charged').length;
  const once = sent();
  // Retry failed never sends it: only the button that names the cost does.
  await expect(panel(page).getByRole('button', { name: /^Retry failed/ })).toBeDisabled();
  expect(sent()).toBe(once);
  await decision.getByRole('button', { name: 'Send again — 3 credits' }).click();
  await expect(
    group(page, 'Finished').getByRole('listitem', { name: 'maybe charged' }),
  ).toBeVisible({
    timeout: 15_000,
  });
  expect(sent()).toBe(once + 1);
});

test('screenshots of the Queue panel', async ({ page }) => {
  test.setTimeout(120_000);
  mkdirSync('test-results/screenshots', { recursive: true });
  await open(page);
  await openQueue(page);
  await panel(page).getByRole('button', { name: 'Clear finished' }).click();
  // A batch of 4 (2 done), a failed refusal, a job that may have been charged, and 3 waiting.
  await page
    .getByRole('textbox', { name: /^Prompt/ })
    .fill('a quiet harbour at night, ink and wash');
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'More images' }).click();
  await page.getByRole('button', { name: /Make 4 images/ }).click();
  await expect(group(page, 'Finished').getByRole('listitem')).toHaveCount(4, { timeout: 30_000 });
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Fewer images' }).click();
  await makeOne(page, 'sandbox-moderate a crowd');
  await expect(group(page, 'Failed').getByRole('listitem')).toHaveCount(1, { timeout: 15_000 });
  sandbox.setFaults({ error500: 1 });
  await makeOne(page, 'a lighthouse in fog');
  await expect(group(page, 'Needs your decision').getByRole('listitem')).toHaveCount(1, {
    timeout: 15_000,
  });
  sandbox.setFaults({ latencyMs: 60_000 });
  await makeOne(page, 'the slow one, still running');
  await expect(group(page, 'Running').getByRole('listitem')).toHaveCount(1, { timeout: 15_000 });
  await panel(page).getByRole('button', { name: 'Pause all' }).click();
  for (const prompt of ['a red kite over hills', 'two boats at dawn', 'an orchard in snow']) {
    await makeOne(page, prompt);
  }
  await expect(group(page, 'Waiting').getByRole('listitem')).toHaveCount(3);
  await eachLook(page, async (tag) => {
    await expect(panel(page)).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/queue-${tag}.png` });
  });
  // Let the held request go, so the shell stops cleanly.
  await group(page, 'Running').getByRole('button', { name: 'Cancel' }).click();
});
