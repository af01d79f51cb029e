import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { APP_COMMANDS } from '../../shared/api';
import { APP_MENU_ITEMS, menuTemplate, type MenuActions } from '../../electron/shell/menu';

vi.mock('electron', () => import('./fake-electron'));

/**
 * The accelerators Electron's roles bring by themselves (electron/lib/browser/api/menu-item-roles),
 * for the platform the template is made for.
 */
function roleAccelerator(role: string, platform: NodeJS.Platform): string | undefined {
  const mac = platform === 'darwin';
  const win = platform === 'win32';
  const table: Record<string, string | undefined> = {
    close: 'CmdOrCtrl+W',
    copy: 'CmdOrCtrl+C',
    cut: 'CmdOrCtrl+X',
    forceReload: 'Shift+CmdOrCtrl+R',
    hide: mac ? 'Cmd+H' : undefined,
    hideOthers: mac ? 'Alt+Cmd+H' : undefined,
    minimize: 'CmdOrCtrl+M',
    paste: 'CmdOrCtrl+V',
    pasteAndMatchStyle: 'Shift+CmdOrCtrl+V',
    quit: win ? undefined : 'CmdOrCtrl+Q',
    redo: win ? 'Ctrl+Y' : 'Shift+CmdOrCtrl+Z',
    reload: 'CmdOrCtrl+R',
    resetZoom: 'CmdOrCtrl+0',
    selectAll: 'CmdOrCtrl+A',
    togglefullscreen: mac ? 'Ctrl+Cmd+F' : 'F11',
    toggleDevTools: mac ? 'Alt+Cmd+I' : 'Ctrl+Shift+I',
    undo: 'CmdOrCtrl+Z',
    zoomIn: 'CmdOrCtrl+Plus',
    zoomOut: 'CmdOrCtrl+-',
  };
  return table[role];
}

/** An accelerator as the keys pressed: CmdOrCtrl resolved for the platform, modifiers sorted. */
function keys(accelerator: string, platform: NodeJS.Platform): string {
  const parts = accelerator.split('+').map((part) => {
    const p = part.replace(
      /^(CommandOrControl|CmdOrCtrl)$/,
      platform === 'darwin' ? 'Cmd' : 'Ctrl',
    );
    return p.replace(/^Command$/, 'Cmd').replace(/^Control$/, 'Ctrl');
  });
  const key = parts.pop() ?? '';
  return [...parts.sort(), key.toUpperCase()].join('+');
}

function flatten(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? flatten(item.submenu) : []),
  ]);
}

function spyActions(): MenuActions & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    command: (command) => calls.push(`command:${command}`),
    openImage: () => calls.push('openImage'),
    revealLibrary: () => calls.push('revealLibrary'),
    revealDataFolder: () => calls.push('revealDataFolder'),
  };
}

function click(item: MenuItemConstructorOptions | undefined): void {
  if (!item?.click) throw new Error(`no click on ${String(item?.id)}`);
  (item.click as () => void)();
}

const PLATFORMS: NodeJS.Platform[] = ['darwin', 'win32', 'linux'];

describe.each(PLATFORMS)('the menu on %s', (platform) => {
  for (const dev of [false, true]) {
    it(`has every app command once, each with its accelerator (dev: ${String(dev)})`, () => {
      const items = flatten(menuTemplate(platform, dev));
      for (const [id, { accelerator }] of Object.entries(APP_MENU_ITEMS)) {
        const found = items.filter((item) => item.id === id);
        // Settings… sits in the app menu on macOS and in File elsewhere: once either way.
        expect(found, id).toHaveLength(1);
        expect(found[0]?.accelerator, id).toBe(accelerator);
      }
    });

    it(`gives every accelerator to one item only, the roles' own included (dev: ${String(dev)})`, () => {
      const items = flatten(menuTemplate(platform, dev));
      const used = new Map<string, string>();
      for (const item of items) {
        const accelerator =
          item.accelerator ?? (item.role ? roleAccelerator(item.role, platform) : undefined);
        if (!accelerator) continue;
        const pressed = keys(accelerator, platform);
        const name = item.id ?? item.role ?? item.label ?? '?';
        expect(used.get(pressed), `${pressed}: ${name} and ${String(used.get(pressed))}`).toBe(
          undefined,
        );
        used.set(pressed, name);
      }
      expect(used.size).toBeGreaterThan(15);
    });
  }

  it('has the required accelerators: Run, go to 1/2/3, Settings with comma', () => {
    const items = flatten(menuTemplate(platform, false));
    const accelerator = (id: string) => items.find((item) => item.id === id)?.accelerator;
    expect(accelerator('run')).toBe('CmdOrCtrl+Enter');
    expect(accelerator('go-create')).toBe('CmdOrCtrl+1');
    expect(accelerator('go-library')).toBe('CmdOrCtrl+2');
    expect(accelerator('go-compare')).toBe('CmdOrCtrl+3');
    expect(accelerator('go-settings')).toBe('CmdOrCtrl+,');
    expect(items.some((item) => item.role === 'togglefullscreen')).toBe(true);
  });

  it('sends renderer commands, and asks the shell for open / reveal', () => {
    const actions = spyActions();
    const items = flatten(menuTemplate(platform, false, actions));
    for (const id of [...APP_COMMANDS, 'open-image', 'reveal-library', 'reveal-data']) {
      click(items.find((item) => item.id === id));
    }
    expect(actions.calls).toEqual([
      ...APP_COMMANDS.map((command) => `command:${command}`),
      'openImage',
      'revealLibrary',
      'revealDataFolder',
    ]);
  });

  it('has File, Edit, View, Window and Help with the standard roles', () => {
    const template = menuTemplate(platform, false);
    const top = template.map((item) => item.label ?? item.role);
    expect(top).toEqual([
      ...(platform === 'darwin' ? ['Atelier'] : []),
      'File',
      'Edit',
      'View',
      'windowMenu',
      'help',
    ]);
    const roles = flatten(template).map((item) => item.role);
    for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'minimize']) {
      expect(roles).toContain(role);
    }
    expect(roles).toContain('quit');
    expect(roles).toContain('about');
  });

  it('keeps reload and developer tools for development', () => {
    expect(JSON.stringify(menuTemplate(platform, false))).not.toMatch(/reload|toggleDevTools/);
    expect(JSON.stringify(menuTemplate(platform, true))).toMatch(/toggleDevTools/);
  });
});

describe('platform conventions', () => {
  it('macOS: the app menu has About, Settings… (Cmd+,), Services, Hide, Quit', () => {
    const [appMenu] = menuTemplate('darwin', false);
    const sub = appMenu?.submenu as MenuItemConstructorOptions[];
    const names = sub.map((item) => item.role ?? item.id ?? item.type);
    expect(names).toEqual([
      'about',
      'separator',
      'go-settings',
      'separator',
      'services',
      'separator',
      'hide',
      'hideOthers',
      'unhide',
      'separator',
      'quit',
    ]);
    // Quit lives in the app menu only.
    const file = menuTemplate('darwin', false)[1]?.submenu as MenuItemConstructorOptions[];
    expect(file.map((item) => item.role)).not.toContain('quit');
  });

  it('Windows and Linux: Settings… and Exit in File, About in Help; no macOS-only roles', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const template = menuTemplate(platform, false);
      const file = template[0]?.submenu as MenuItemConstructorOptions[];
      expect(file.map((item) => item.id ?? item.role)).toEqual(
        expect.arrayContaining(['go-settings', 'quit']),
      );
      const help = template.at(-1)?.submenu as MenuItemConstructorOptions[];
      expect(help.map((item) => item.role)).toContain('about');
      const roles = flatten(template).map((item) => item.role);
      for (const role of [
        'services',
        'hide',
        'hideOthers',
        'unhide',
        'front',
        'pasteAndMatchStyle',
      ]) {
        expect(roles).not.toContain(role);
      }
    }
  });
});
