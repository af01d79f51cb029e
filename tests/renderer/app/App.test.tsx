import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_ADDRESS_RULE, AtelierError } from '../../../shared/api';
import { App } from '../../../renderer/app/App';
import { connectStores, useApp, useNavigation, useSettings } from '../../../renderer/state';
import { FakeCore } from '../fakes';

let core: FakeCore;
let disconnect: () => void;

function start() {
  disconnect = connectStores(core);
  const user = userEvent.setup();
  render(<App />);
  return user;
}

function nav() {
  return within(screen.getByRole('navigation', { name: 'Places' }));
}

const attr = (el: Element, name: string) => el.getAttribute(name);
const text = (el: Element) => el.textContent ?? '';
const checked = (el: HTMLElement) => (el as HTMLInputElement).checked;
const value = (el: HTMLElement) => (el as HTMLInputElement).value;
const focused = (el: Element) => document.activeElement === el;

function heading() {
  return screen.getByRole('heading', { level: 1 });
}

beforeEach(() => {
  useNavigation.setState({ place: 'create', focusRequest: 0 });
  useSettings.setState({ settings: null, loadError: null, errors: {}, saving: {} });
  useApp.setState({
    connection: { status: 'connecting', message: null },
    info: null,
    infoError: null,
  });
  delete document.documentElement.dataset.theme;
  localStorage.clear();
  core = new FakeCore();
});

afterEach(() => {
  cleanup();
  disconnect();
});

describe('the frame', () => {
  it('shows the four places in a nav landmark, Create first and current', () => {
    start();
    const buttons = nav().getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual([
      expect.stringContaining('Create'),
      expect.stringContaining('Library'),
      expect.stringContaining('Compare'),
      expect.stringContaining('Settings'),
      // At the foot of the sidebar, not a place: the Queue panel's button.
      expect.stringContaining('Queue'),
    ]);
    expect(attr(nav().getByRole('button', { name: /Create/ }), 'aria-current')).toBe('page');
    expect(text(heading())).toContain('Create');
    expect(screen.getByRole('main', { name: 'Create' })).toBeTruthy();
    expect(screen.getByText('Type a prompt or drop a picture here to make images')).toBeTruthy();
  });

  it('moves between places by click, with aria-current following', async () => {
    const user = start();
    for (const [name, body] of [
      ['Library', /Every image you make lands here and in your library folder/],
      ['Compare', /Pick two pictures to compare them side by side/],
      ['Settings', /Appearance/],
      ['Create', /Type a prompt or drop a picture/],
    ] as const) {
      await user.click(nav().getByRole('button', { name: new RegExp(name) }));
      expect(text(heading())).toContain(name);
      expect(attr(nav().getByRole('button', { name: new RegExp(name) }), 'aria-current')).toBe(
        'page',
      );
      expect(
        nav()
          .getAllByRole('button')
          .filter((b) => b.hasAttribute('aria-current')),
      ).toHaveLength(1);
      expect(screen.getAllByText(body).length).toBeGreaterThan(0);
    }
  });

  it('jumps with Ctrl/Cmd+1..4 and puts focus on the new place', async () => {
    const user = start();
    await user.keyboard('{Control>}3{/Control}');
    expect(text(heading())).toContain('Compare');
    expect(focused(heading())).toBe(true);
    await user.keyboard('{Meta>}4{/Meta}');
    expect(text(heading())).toContain('Settings');
    await user.keyboard('{Control>}2{/Control}');
    expect(text(heading())).toContain('Library');
    await user.keyboard('{Control>}1{/Control}');
    expect(text(heading())).toContain('Create');
    // Not a place shortcut: nothing happens.
    await user.keyboard('{Control>}5{/Control}');
    await user.keyboard('3');
    expect(text(heading())).toContain('Create');
  });

  it('lets arrow keys move through the places and Enter open one', async () => {
    const user = start();
    await user.tab();
    expect(focused(nav().getByRole('button', { name: /Create/ }))).toBe(true);
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(focused(nav().getByRole('button', { name: /Compare/ }))).toBe(true);
    await user.keyboard('{Enter}');
    expect(text(heading())).toContain('Compare');
    await user.keyboard('{ArrowUp}{ArrowUp}{ArrowUp}');
    expect(focused(nav().getByRole('button', { name: /Settings/ }))).toBe(true);
    await user.keyboard('{Home}');
    expect(focused(nav().getByRole('button', { name: /Create/ }))).toBe(true);
    await user.keyboard('{End}');
    expect(focused(nav().getByRole('button', { name: /Settings/ }))).toBe(true);
    await user.tab();
    expect(focused(nav().getByRole('button', { name: /Settings/ }))).toBe(false);
  });

  it('shows a banner when the core cannot be reached, with a way to try again', async () => {
    const user = start();
    expect(screen.queryByRole('alert')).toBeNull();
    act(() =>
      core.setConnection({
        status: 'offline',
        message: "Atelier lost its connection to the app's core.",
      }),
    );
    const banner = screen.getByRole('alert');
    expect(text(banner)).toContain("Atelier lost its connection to the app's core.");
    await user.click(within(banner).getByRole('button', { name: 'Try again' }));
    expect(core.reconnects).toBe(1);

    // Back online: the banner goes and the frame loads again.
    const before = core.calls.length;
    act(() => core.setConnection({ status: 'online', message: null }));
    expect(screen.queryByRole('alert')).toBeNull();
    await waitFor(() => expect(core.calls.length).toBeGreaterThan(before));
  });
});

describe('settings', () => {
  async function openSettings() {
    const user = start();
    await user.click(nav().getByRole('button', { name: /Settings/ }));
    await screen.findByRole('radiogroup', { name: 'Theme' });
    return user;
  }

  it('shows the settings from the core and applies a theme change to <html>', async () => {
    const user = await openSettings();
    const theme = screen.getByRole('radiogroup', { name: 'Theme' });
    expect(checked(within(theme).getByRole('radio', { name: 'System' }))).toBe(true);
    expect(document.documentElement.dataset.theme).toBe('system');

    await user.click(within(theme).getByRole('radio', { name: 'Dark' }));
    expect(core.calls).toContainEqual({ call: 'settings.set', request: { theme: 'dark' } });
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    expect(checked(within(theme).getByRole('radio', { name: 'Dark' }))).toBe(true);
    expect(localStorage.getItem('atelier.theme')).toBe('dark');
  });

  it('follows settings changed elsewhere', async () => {
    await openSettings();
    act(() => core.emit('settings.changed', { ...core.settings, theme: 'light', concurrency: 2 }));
    expect(checked(screen.getByRole('radio', { name: 'Light' }))).toBe(true);
    expect(
      checked(
        within(screen.getByRole('radiogroup', { name: 'Jobs at once' })).getByRole('radio', {
          name: '2',
        }),
      ),
    ).toBe(true);
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('changes how many jobs run at once', async () => {
    const user = await openSettings();
    const group = screen.getByRole('radiogroup', { name: 'Jobs at once' });
    expect(within(group).getAllByRole('radio')).toHaveLength(8);
    expect(checked(within(group).getByRole('radio', { name: '4' }))).toBe(true);
    await user.click(within(group).getByRole('radio', { name: '7' }));
    expect(core.calls).toContainEqual({ call: 'settings.set', request: { concurrency: 7 } });
    await waitFor(() =>
      expect(checked(within(group).getByRole('radio', { name: '7' }))).toBe(true),
    );
  });

  it("shows the core's plain sentence under an invalid API address, and saves a good one", async () => {
    const user = await openSettings();
    const input = screen.getByRole('textbox', { name: 'API address' });
    // Plain http to another computer would carry the key in the clear: refused with a sentence.
    await user.type(input, 'http://example.com{Enter}');
    const error = await screen.findByText(`The API address ${API_ADDRESS_RULE}.`);
    expect(attr(error, 'role')).toBe('alert');
    expect(attr(input, 'aria-invalid')).toBe('true');
    expect(attr(input, 'aria-describedby')?.split(' ')).toContain(error.id);
    expect(core.settings.apiBaseUrl).toBeNull();

    await user.clear(input);
    expect(screen.queryByRole('alert')).toBeNull();
    await user.type(input, 'https://proxy.example.com');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(core.settings.apiBaseUrl).toBe('https://proxy.example.com'));
    expect(value(screen.getByRole('textbox', { name: 'API address' }))).toBe(
      'https://proxy.example.com',
    );

    await user.click(screen.getByRole('button', { name: 'Reset' }));
    await waitFor(() => expect(core.settings.apiBaseUrl).toBeNull());
    expect(value(screen.getByRole('textbox', { name: 'API address' }))).toBe('');
  });

  it('chooses the library folder: a full path saves, a relative one is refused plainly', async () => {
    const user = await openSettings();
    expect(await screen.findByText('/pictures/Atelier')).toBeTruthy();
    const input = screen.getByRole('textbox', { name: 'Library folder' });
    await user.type(input, 'my pictures{Enter}');
    const error = await screen.findByText(/^The library folder must be a full folder path/);
    expect(attr(error, 'role')).toBe('alert');
    expect(core.settings.libraryDir).toBeNull();

    await user.clear(input);
    await user.type(input, '/home/ann/Art');
    await user.click(screen.getByRole('button', { name: 'Save library folder' }));
    await waitFor(() => expect(core.settings.libraryDir).toBe('/home/ann/Art'));

    await user.click(screen.getByRole('button', { name: 'Reset library folder' }));
    await waitFor(() => expect(core.settings.libraryDir).toBeNull());
  });

  it('shows any other refusal as the core said it', async () => {
    const user = await openSettings();
    core.failWith = new AtelierError({
      code: 'internal',
      message:
        'Atelier could not save your settings. Check that the disk is not full, then try again.',
    });
    await user.click(screen.getByRole('radio', { name: 'Light' }));
    expect(
      await screen.findByText(
        'Atelier could not save your settings. Check that the disk is not full, then try again.',
      ),
    ).toBeTruthy();
    // The choice goes back to what the core still holds.
    expect(checked(screen.getByRole('radio', { name: 'System' }))).toBe(true);
  });

  it('shows what app.info says in About', async () => {
    await openSettings();
    const about = screen.getByRole('region', { name: 'About' });
    await within(about).findByText('Atelier 9.8.7');
    expect(within(about).getByText('In your browser')).toBeTruthy();
    expect(within(about).getByText('Linux')).toBeTruthy();
    expect(within(about).getByText('/tmp/atelier-test-data')).toBeTruthy();
  });

  it('says so when the settings cannot be loaded, and loads them on Try again', async () => {
    core.failWith = new AtelierError({ code: 'disconnected', message: 'No core here.' });
    const user = start();
    await user.click(nav().getByRole('button', { name: /Settings/ }));
    const alert = await screen.findByRole('alert');
    expect(text(alert)).toContain('No core here.');
    core.failWith = null;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await screen.findByRole('radiogroup', { name: 'Theme' });
  });
});
