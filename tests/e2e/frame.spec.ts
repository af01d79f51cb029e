/**
 * The frame of the app, end to end in Chromium through the browser shell: it renders, every place
 * is reachable by name and by keyboard, the Api round-trips to the core, errors are sentences,
 * both themes apply; and screenshots of every place in both themes at two window sizes.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, stopShell, test } from './fixtures';

const PLACES = ['Create', 'Library', 'Compare', 'Settings'] as const;
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

/** A line of an ARIA snapshot for a control without a name, e.g. `- button` or `- textbox:`. */
const UNNAMED_CONTROL =
  /^\s*- (button|link|radio|checkbox|textbox|combobox|slider|spinbutton|switch|tab)(\s*\[.*\])?:?\s*$/m;

function places(page: Page) {
  return page.getByRole('navigation', { name: 'Places' });
}

function placeButton(page: Page, name: string) {
  return places(page).getByRole('button', { name, exact: true });
}

function heading(page: Page) {
  return page.getByRole('heading', { level: 1 });
}

async function openPlace(page: Page, name: string) {
  await placeButton(page, name).click();
  await expect(heading(page)).toHaveText(name);
}

/** Relative luminance (0 dark .. 1 light) of the page background. */
async function backgroundLuminance(page: Page): Promise<number> {
  const color = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
  const [r = 0, g = 0, b = 0] = (color.match(/[\d.]+/g) ?? []).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

test('the frame renders with the four places and no connection problem', async ({ app }) => {
  // Reload with listeners attached: no script error, no CSP violation, nothing logged as an error.
  const problems: string[] = [];
  app.on('pageerror', (error) => problems.push(error.message));
  app.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await app.reload();
  await expect(places(app)).toBeVisible();
  await expect(places(app).getByRole('button')).toHaveText([
    /Create/,
    /Library/,
    /Compare/,
    /Settings/,
    /Queue/,
  ]);
  await expect(placeButton(app, 'Create')).toHaveAttribute('aria-current', 'page');
  await expect(heading(app)).toHaveText('Create');
  await expect(app.getByRole('main', { name: 'Create' })).toContainText(
    'Type a prompt or drop a picture here to make images',
  );
  await expect(app.getByText('Atelier', { exact: true })).toBeVisible();
  // Settings arrived over the socket: the theme is applied, and no banner says the core is gone.
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'system');
  await expect(app.getByRole('alert')).toHaveCount(0);
  for (const name of PLACES) await openPlace(app, name);
  await expect(app.getByRole('region', { name: 'About' })).toContainText('Data folder');
  expect(problems).toEqual([]);
});

test('each place is reachable by its accessible name', async ({ app }) => {
  const says = {
    Create: 'Type a prompt or drop a picture here to make images',
    Library: 'Every image you make lands here and in your library folder',
    Compare: 'Pick two pictures to compare them side by side',
    Settings: 'Appearance',
  };
  for (const name of [...PLACES].reverse()) {
    await openPlace(app, name);
    await expect(placeButton(app, name)).toHaveAttribute('aria-current', 'page');
    await expect(places(app).locator('[aria-current]')).toHaveCount(1);
    await expect(app.getByRole('main', { name })).toContainText(says[name]);
  }
});

test('each place is reachable by keyboard: Ctrl+1..4, Tab and Enter, arrows', async ({ app }) => {
  await expect(heading(app)).toHaveText('Create');
  for (const [index, name] of [...PLACES.entries()].reverse()) {
    await app.keyboard.press(`Control+${index + 1}`);
    await expect(heading(app)).toHaveText(name);
    await expect(heading(app)).toBeFocused();
  }

  // From the top of the page, Tab reaches the places in order; Enter opens one.
  await app.reload();
  await expect(heading(app)).toHaveText('Create');
  await app.keyboard.press('Tab');
  await expect(placeButton(app, 'Create')).toBeFocused();
  await app.keyboard.press('Tab');
  await expect(placeButton(app, 'Library')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(heading(app)).toHaveText('Library');
  await app.keyboard.press('Tab');
  await app.keyboard.press('Tab');
  await expect(placeButton(app, 'Settings')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(heading(app)).toHaveText('Settings');

  // Arrow keys move within the places; Space opens.
  await app.keyboard.press('ArrowUp');
  await expect(placeButton(app, 'Compare')).toBeFocused();
  await app.keyboard.press('Space');
  await expect(heading(app)).toHaveText('Compare');

  // Past the places and the Queue button, Tab goes on into the open place (the Settings controls).
  await openPlace(app, 'Settings');
  await app.keyboard.press('Tab');
  await expect(places(app).getByRole('button', { name: /^Queue/ })).toBeFocused();
  await app.keyboard.press('Tab');
  await expect(app.getByRole('radio', { name: 'System' })).toBeFocused();
  await app.keyboard.press('ArrowRight');
  await expect(app.getByRole('radio', { name: 'Light' })).toBeChecked();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('an Api round trip: About shows app.info, and a theme change persists in the core', async ({
  app,
  shell,
}) => {
  await openPlace(app, 'Settings');
  const about = app.getByRole('region', { name: 'About' });
  await expect(about).toContainText(`Atelier ${version}`);
  await expect(about).toContainText('In your browser');
  await expect(about).toContainText(shell.dataDir);

  await app.getByRole('radio', { name: 'Dark' }).check();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(app.getByRole('radio', { name: 'Dark' })).toBeChecked();

  await app
    .getByRole('radiogroup', { name: 'Jobs at once' })
    .getByRole('radio', { name: '6' })
    .check();

  // A fresh page (no memory of its own) gets both back from the core.
  await app.evaluate(() => localStorage.clear());
  await app.reload();
  await openPlace(app, 'Settings');
  await expect(app.getByRole('radio', { name: 'Dark' })).toBeChecked();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(
    app.getByRole('radiogroup', { name: 'Jobs at once' }).getByRole('radio', { name: '6' }),
  ).toBeChecked();
});

test('an invalid API address is refused with a plain sentence; a good one saves', async ({
  app,
}) => {
  await openPlace(app, 'Settings');
  const address = app.getByRole('textbox', { name: 'API address' });
  // Plain http to another computer would carry the key in the clear.
  await address.fill('http://example.com');
  await address.press('Enter');
  const error = app.getByRole('alert');
  await expect(error).toHaveText(/^The API address must be an https address.*\.$/);
  await expect(address).toHaveAttribute('aria-invalid', 'true');

  // A new address has no key yet (the run's key was given for another address): the app asks for
  // the key for this address, names it, and offers the way back.
  await address.fill('https://proxy.example.com');
  await app.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(
    app.getByRole('heading', { name: 'Enter the key for this API address' }),
  ).toBeVisible();
  await expect(
    app.getByRole('note').filter({ hasText: 'Atelier sends its requests to' }),
  ).toContainText('https://proxy.example.com');
  await app.reload();
  await expect(
    app.getByRole('heading', { name: 'Enter the key for this API address' }),
  ).toBeVisible();
  for (const [width, height] of [
    [1280, 800],
    [900, 600],
  ] as const) {
    await app.setViewportSize({ width, height });
    await app.screenshot({ path: `test-results/screenshots/new-address-${width}x${height}.png` });
  }
  await app.getByRole('button', { name: 'Reset the API address' }).click();
  await openPlace(app, 'Settings');
  await expect(app.getByRole('textbox', { name: 'API address' })).toHaveValue('');
  await expect(app.getByRole('button', { name: 'Reset', exact: true })).toBeDisabled();
});

test('when the core goes away the window says so in a sentence, and calls fail plainly', async ({
  app,
  shell,
}) => {
  await openPlace(app, 'Settings');
  await expect(app.getByRole('region', { name: 'About' })).toContainText('Atelier');
  await stopShell(shell);
  const banner = app.getByRole('alert').filter({ hasText: 'lost its connection' });
  await expect(banner).toHaveText(/^Atelier lost its connection to the app's core\. .*Try again$/);
  await expect(banner.getByRole('button', { name: 'Try again' })).toBeVisible();
  // A change now cannot reach the core: it says so next to the control, and the choice goes back.
  await app.getByRole('radio', { name: 'Dark' }).click();
  await expect(app.getByRole('alert').filter({ hasText: 'lost its connection' })).toHaveCount(2);
  await expect(app.getByRole('radio', { name: 'System' })).toBeChecked();
  mkdirSync('test-results/screenshots', { recursive: true });
  await app.setViewportSize({ width: 900, height: 600 });
  await app.screenshot({ path: 'test-results/screenshots/offline-light-900x600.png' });
});

test('light and dark follow the system unless Settings says otherwise', async ({ app }) => {
  await app.emulateMedia({ colorScheme: 'dark' });
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'system');
  expect(await backgroundLuminance(app)).toBeLessThan(0.2);
  await app.emulateMedia({ colorScheme: 'light' });
  expect(await backgroundLuminance(app)).toBeGreaterThan(0.8);

  await openPlace(app, 'Settings');
  await app.getByRole('radio', { name: 'Dark' }).check();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await backgroundLuminance(app)).toBeLessThan(0.2);

  await app.emulateMedia({ colorScheme: 'dark' });
  await app.getByRole('radio', { name: 'Light' }).check();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await backgroundLuminance(app)).toBeGreaterThan(0.8);
});

for (const [width, height] of [
  [1280, 800],
  [900, 600],
] as const) {
  test(`screenshots of every place in both themes at ${width}x${height}, nothing cut off`, async ({
    app,
  }) => {
    mkdirSync('test-results/screenshots', { recursive: true });
    await app.setViewportSize({ width, height });
    for (const scheme of ['light', 'dark'] as const) {
      await app.emulateMedia({ colorScheme: scheme });
      for (const name of PLACES) {
        await openPlace(app, name);
        await app.mouse.move(width - 1, height - 1);
        // Nothing sticks out sideways, in the window or in the place.
        // (A string: this file is type-checked without the DOM library.)
        const overflow = await app.evaluate<{ page: number; place: number }>(`(() => {
          const content = document.querySelector('.place__content');
          const root = document.documentElement;
          return {
            page: root.scrollWidth - root.clientWidth,
            place: content ? content.scrollWidth - content.clientWidth : 0,
          };
        })()`);
        expect(overflow).toEqual({ page: 0, place: 0 });
        // Every control has an accessible name (an unnamed one shows as a bare role here).
        const tree = await app.locator('body').ariaSnapshot();
        expect(tree).not.toMatch(UNNAMED_CONTROL);
        await app.screenshot({
          path: `test-results/screenshots/${name.toLowerCase()}-${scheme}-${width}x${height}.png`,
        });
      }
    }
  });
}
