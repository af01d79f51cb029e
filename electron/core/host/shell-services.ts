/**
 * What only a desktop shell can do for the core: native dialogs, showing a file in the system's file
 * manager, dragging a file out of the window. The Electron shell passes an implementation into
 * createHost (electron/shell/services.ts); the browser shell passes none, and these calls answer
 * 'not_available' with a sentence. The core never imports 'electron': it only sees this interface.
 *
 * The page names no files: the images the Open dialog answers are staged here (the page gets their
 * staged views, never their paths), and a library folder in the desktop app must be one the Choose
 * folder dialog answered (the folder gate below), never a path the page typed or made up.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { InputView } from '../../../shared/api';
import { PlainError } from '../errors';
import { sniffFormat } from '../images/sniff';
import { openImage } from '../images/open';
import { LIBRARY_LIMITS, readBounded } from '../library';
import type { Handlers } from '../rpc/dispatch';

export interface ShellServices {
  /** The system's Open dialog for png/jpeg/webp images; [] when cancelled. */
  openImage(options: { multiple: boolean }): Promise<string[]>;
  /** The system's Save dialog; null when cancelled. */
  saveImage(options: { suggestedName: string }): Promise<string | null>;
  /** The system's Choose folder dialog; null when cancelled. */
  chooseFolder(options: { title?: string }): Promise<string | null>;
  /** Shows a file or folder in Finder / Explorer / Files (selects it; never opens or runs it). */
  reveal(absolutePath: string): void;
  /** Starts dragging a file out of the app's window (checked: inside the library). */
  startDrag(absolutePath: string): void;
  /** Puts a PNG picture on the system clipboard; rejects when the system cannot take it. */
  copyImage(png: Uint8Array): Promise<void>;
}

type ShellCall =
  | 'dialog.openImage'
  | 'dialog.saveImage'
  | 'dialog.chooseFolder'
  | 'app.revealLibrary'
  | 'app.startDrag'
  | 'app.copyImage';

const NOT_HERE =
  'This only works in the Atelier desktop app. In the browser, use your browser’s own file controls instead.';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp']);

/**
 * The absolute path of `relative` inside `libraryDir`, or a PlainError when it is not a library
 * image: absolute paths, `..`, links that lead outside, missing files and non-images are refused.
 */
export async function libraryImagePath(libraryDir: string, relative: string): Promise<string> {
  const refuse = () =>
    new PlainError(
      'invalid_request',
      'Atelier can only do that with pictures that are in its library. Open the Library and try again.',
    );
  if (path.isAbsolute(relative) || /^[a-zA-Z]:/.test(relative) || relative.includes('\0')) {
    throw refuse();
  }
  const parts = relative.split(/[\\/]+/);
  if (parts.some((part) => part === '..')) throw refuse();
  if (!IMAGE_EXTENSIONS.has(path.extname(relative).toLowerCase())) throw refuse();
  let root: string;
  let file: string;
  try {
    root = await realpath(libraryDir);
    file = await realpath(path.join(libraryDir, ...parts));
    if (!(await stat(file)).isFile()) throw refuse();
  } catch {
    throw refuse();
  }
  const inside = path.relative(root, file);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) throw refuse();
  return file;
}

/**
 * Which library folders the page may name. In the browser shell, any (the person at the keyboard
 * types it in Settings). In the desktop app, only the default (null), the folder in force, or a
 * folder the native Choose folder dialog answered in this run.
 */
export interface FolderGate {
  /** Remembers a folder the native dialog answered. */
  chosen(dir: string): void;
  /** Throws a PlainError with a sentence unless `dir` may become the library folder. */
  check(dir: string | null, inForce: string | null): void;
}

export function createFolderGate(desktop: boolean): FolderGate {
  const chosen = new Set<string>();
  return {
    chosen(dir) {
      chosen.add(path.resolve(dir));
    },
    check(dir, inForce) {
      if (!desktop || dir === null) return;
      const wanted = path.resolve(dir);
      if (chosen.has(wanted) || (inForce !== null && path.resolve(inForce) === wanted)) return;
      throw new PlainError(
        'choose_folder',
        'In the desktop app, pick the library folder with Choose…: Atelier only uses a folder you chose in the system’s folder window.',
      );
    },
  };
}

export interface ShellHandlerOptions {
  /** Stages a file the Open dialog answered (inputs.fromPath). */
  stage: (absolutePath: string) => Promise<InputView>;
  folders: FolderGate;
}

/** The picture as PNG bytes: a PNG as it is, anything else (JPEG, WebP) converted. */
async function asPng(file: string): Promise<Uint8Array> {
  const { bytes } = await readBounded(file, LIBRARY_LIMITS.imageBytes);
  if (sniffFormat(bytes) === 'png') return bytes;
  return openImage(bytes).png().toBuffer();
}

/** The handlers of the shell calls: through `services`, or 'not_available' without one. */
export function shellHandlers(
  services: ShellServices | undefined,
  /** The library folder in force. */
  libraryDir: () => string,
  options: ShellHandlerOptions,
): Pick<Handlers, ShellCall> {
  const need = (): ShellServices => {
    if (!services) throw new PlainError('not_available', NOT_HERE);
    return services;
  };
  return {
    'dialog.openImage': async ({ multiple }) => {
      const paths = await need().openImage({ multiple: multiple ?? false });
      const inputs: InputView[] = [];
      for (const file of paths) inputs.push(await options.stage(file));
      return { inputs };
    },
    'dialog.saveImage': async ({ suggestedName }) => ({
      path: await need().saveImage({ suggestedName }),
    }),
    'dialog.chooseFolder': async ({ title }) => {
      const folder = await need().chooseFolder(title === undefined ? {} : { title });
      if (folder !== null) options.folders.chosen(folder);
      return { path: folder };
    },
    'app.revealLibrary': () => {
      need().reveal(libraryDir());
      return Promise.resolve({});
    },
    'app.startDrag': async ({ path: relative }) => {
      const shell = need();
      shell.startDrag(await libraryImagePath(libraryDir(), relative));
      return {};
    },
    'app.copyImage': async ({ path: relative }) => {
      const shell = need();
      const file = await libraryImagePath(libraryDir(), relative);
      try {
        await shell.copyImage(await asPng(file));
      } catch {
        throw new PlainError(
          'copy_failed',
          'The image could not be copied. Try again, or use Reveal in folder and copy the file.',
        );
      }
      return {};
    },
  };
}
