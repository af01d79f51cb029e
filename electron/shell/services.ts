/**
 * The Electron side of the core's shell services (electron/core/host/shell-services.ts): native
 * Open / Save / Choose folder dialogs attached to the main window, "Reveal in Finder / Explorer /
 * Files", dragging a library image out of the window with a thumbnail as the drag icon, and
 * putting a picture on the system clipboard (Copy Image).
 */
import {
  clipboard,
  ClipboardItem,
  dialog,
  nativeImage,
  shell,
  type BrowserWindow,
  type NativeImage,
  type OpenDialogOptions,
} from 'electron';
import type { ShellServices } from '../core/host';
import { OPENABLE_EXTENSIONS } from './os';

/** A small picture icon, for files Electron cannot make a thumbnail of (e.g. WebP). */
const FALLBACK_DRAG_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAACXBIWXMAAAsTAAALEwEAmpwYAAABdklEQVRYhe2WzUrDQBSF8yD6SDOlGUgWvoIu7KoiVAR14Upw4UYKCiYSRYOFWYjgLqYYfAARwdZWF6WCNesrNzpYzQ9RpxnBXDib4XLPNz8JR9PKKmusZqrVKVMntsFI32QUZMpgpGfq1EIPLanMSmXaZGQg2zguMkiEMHViY8PKcgPuux0Iwxepwpk4O4LQqRUDMPCIGIVu5066uRDOFtcRPwH2dkSTMhcSPrkBRqNnuPQ9cB07UuB70VphAIHvwf5u85NwrTAA17FjAMeOpRbAPbAVX0H7othHGKh8hKHqzzD8awC85cLJ0aEaAN5yoT4/GykLAvvOz07lAvAx8ywI0bdQm4OroC0HgCeYJ0F87WvUa3B7c/07AJ5hLoQ9aX2rS4vw+ND7GQDPYZ5HG+tr8DQcfg+ASzIX2t7ajH5gqQDGeyDB5CLbXMjaaWYEEp1aIpJNIhXhTBHJDEb2khMxUxhKP2I5tcR1yBTOxJ2nmpf1b+sVpsfpH5qIAsUAAAAASUVORK5CYII=';

/** Longest side of the drag thumbnail, in pixels. */
export const DRAG_ICON_SIZE = 96;

/** The drag icon for a file: a small thumbnail of it, or a generic picture icon. */
export function dragIcon(file: string): NativeImage {
  const image = nativeImage.createFromPath(file);
  if (image.isEmpty()) return nativeImage.createFromDataURL(FALLBACK_DRAG_ICON);
  const { width, height } = image.getSize();
  return width >= height
    ? image.resize({ width: Math.min(width, DRAG_ICON_SIZE) })
    : image.resize({ height: Math.min(height, DRAG_ICON_SIZE) });
}

/** The shell services for the core, acting on the window `window()` returns. */
export function createShellServices(
  window: () => BrowserWindow | undefined,
  log: (line: string) => void,
): ShellServices {
  const parent = () => {
    const w = window();
    return w && !w.isDestroyed() ? w : undefined;
  };
  const open = (options: OpenDialogOptions) => {
    const w = parent();
    return w ? dialog.showOpenDialog(w, options) : dialog.showOpenDialog(options);
  };
  return {
    async openImage({ multiple }) {
      const result = await open({
        title: 'Open Image',
        properties: multiple ? ['openFile', 'multiSelections'] : ['openFile'],
        filters: [{ name: 'Images', extensions: [...OPENABLE_EXTENSIONS] }],
      });
      return result.canceled ? [] : result.filePaths;
    },
    async saveImage({ suggestedName }) {
      const w = parent();
      const options = { title: 'Save Image', defaultPath: suggestedName };
      const result = await (w ? dialog.showSaveDialog(w, options) : dialog.showSaveDialog(options));
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseFolder({ title }) {
      const result = await open({
        title: title ?? 'Choose Folder',
        properties: ['openDirectory', 'createDirectory'],
      });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    reveal(absolutePath) {
      shell.showItemInFolder(absolutePath);
    },
    startDrag(absolutePath) {
      const w = parent();
      if (!w) {
        log('A drag out of Atelier was ignored because its window is closed.');
        return;
      }
      w.webContents.startDrag({ file: absolutePath, icon: dragIcon(absolutePath) });
    },
    async copyImage(png) {
      // The main process's clipboard: the window has no clipboard permission (all are denied).
      const blob = new Blob([new Uint8Array(png)], { type: 'image/png' });
      await clipboard.write([new ClipboardItem({ 'image/png': blob })]);
    },
  };
}
