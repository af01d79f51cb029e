/**
 * The application menu in each platform's convention: on macOS the app menu (About, Settings…,
 * Services, Hide, Quit) then File, Edit, View, Window, Help; elsewhere File (with Settings… and
 * Exit), Edit, View, Window, Help. Standard roles do the standard things; the app's own commands
 * carry an `id` and call `actions`: go-to / new generation / run reach the renderer as the
 * `app.command` event, Open Image… and the reveal items are handled by the shell.
 *
 * Accelerators are unique across the whole menu, including the ones the roles bring
 * (tests/electron/menu.test.ts). Settings is Cmd+, on macOS and Ctrl+, elsewhere (free there).
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../../shared/api';

export interface MenuActions {
  /** Send a command to the renderer (the `app.command` event). */
  command(command: AppCommand): void;
  /** Native Open dialog for images, then hand them to the app (`app.openFiles`). */
  openImage(): void;
  /** Show the library folder in Finder / Explorer / Files. */
  revealLibrary(): void;
  /** Show the folder with settings and the job queue. */
  revealDataFolder(): void;
}

const NO_ACTIONS: MenuActions = {
  command: () => undefined,
  openImage: () => undefined,
  revealLibrary: () => undefined,
  revealDataFolder: () => undefined,
};

/** The app's own menu items: id, label, accelerator (the test checks each one is present). */
export const APP_MENU_ITEMS = {
  'new-generation': { label: 'New Generation', accelerator: 'CmdOrCtrl+N' },
  run: { label: 'Run', accelerator: 'CmdOrCtrl+Enter' },
  'open-image': { label: 'Open Image…', accelerator: 'CmdOrCtrl+O' },
  'go-create': { label: 'Go to Create', accelerator: 'CmdOrCtrl+1' },
  'go-library': { label: 'Go to Library', accelerator: 'CmdOrCtrl+2' },
  'go-compare': { label: 'Go to Compare', accelerator: 'CmdOrCtrl+3' },
  'go-settings': { label: 'Settings…', accelerator: 'CmdOrCtrl+,' },
  'reveal-library': { label: 'Reveal Library Folder', accelerator: 'Shift+CmdOrCtrl+L' },
  'reveal-data': { label: 'Reveal Settings Folder', accelerator: undefined },
} as const;
export type AppMenuItemId = keyof typeof APP_MENU_ITEMS;

export function menuTemplate(
  platform: NodeJS.Platform,
  dev: boolean,
  actions: MenuActions = NO_ACTIONS,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const item = (id: AppMenuItemId, click: () => void): MenuItemConstructorOptions => {
    const { label, accelerator } = APP_MENU_ITEMS[id];
    return accelerator === undefined ? { id, label, click } : { id, label, accelerator, click };
  };
  const send = (id: AppMenuItemId & AppCommand) => item(id, () => actions.command(id));
  const settings = send('go-settings');

  const appMenu: MenuItemConstructorOptions = {
    label: 'Atelier',
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      settings,
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      send('new-generation'),
      item('open-image', () => actions.openImage()),
      { type: 'separator' },
      send('run'),
      { type: 'separator' },
      item('reveal-library', () => actions.revealLibrary()),
      ...(mac
        ? ([{ type: 'separator' }, { role: 'close' }] as const)
        : ([{ type: 'separator' }, settings, { type: 'separator' }, { role: 'quit' }] as const)),
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? ([{ role: 'pasteAndMatchStyle' }] as const) : []),
      { role: 'delete' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      send('go-create'),
      send('go-library'),
      send('go-compare'),
      { type: 'separator' },
      ...(dev
        ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const window: MenuItemConstructorOptions = {
    role: 'windowMenu',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      item('reveal-data', () => actions.revealDataFolder()),
      ...(mac ? [] : ([{ type: 'separator' }, { role: 'about' }] as const)),
    ],
  };
  return [...(mac ? [appMenu] : []), file, edit, view, window, help];
}
