/**
 * What only a desktop shell can do for the core: native dialogs, showing a file in the system's file
 * manager, dragging a file out of the window. The Electron shell passes an implementation into
 * createHost (electron/shell/services.ts); the browser shell passes none, and these calls answer
 * 'not_available' with a sentence. The core never imports 'electron': it only sees this interface.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { MAX_INPUT_PIXELS } from '../images/prepare';
import { PlainError, type Handlers } from '../rpc/dispatch';

export interface ShellServices {
  /** The system's Open dialog for png/jpeg/webp images; [] when cancelled. */
  openImage(options: { multiple: boolean }): Promise<string[]>;
  /** The system's Save dialog; null when cancelled. */
  saveImage(options: { suggestedName: string }): Promise<string | null>;
  /** The system's Choose folder dialog; null when cancelled. */
  chooseFolder(options: { title?: string }): Promise<string | null>;
  /** Shows a file or folder in Finder / Explorer / Files. */
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

/** <Pictures>/Atelier: where pictures go when no library folder is chosen (as the Create core). */
export function fallbackLibraryDir(): string {
  return path.join(homedir(), 'Pictures', 'Atelier');
}

/**
 * The absolute path of `relative` inside `libraryDir`, or a PlainError when it is not a library
 * image: absolute paths, `..`, links that lead outside, missing files and non-images are refused.
 */
export async function libraryImagePath(libraryDir: string, relative: string): Promise<string> {
  const refuse = () =>
    new PlainError(
      'invalid_request',
      'Atelier can only drag pictures that are in its library. Open the Library and try again.',
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

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The picture as PNG bytes: a PNG as it is, anything else (JPEG, WebP) converted. */
async function asPng(file: string): Promise<Uint8Array> {
  const bytes = await readFile(file);
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return bytes;
  const { default: sharp } = await import('sharp');
  return sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).png().toBuffer();
}

/** The handlers of the shell calls: through `services`, or 'not_available' without one. */
export function shellHandlers(
  services: ShellServices | undefined,
  libraryDir: () => string | null,
): Pick<Handlers, ShellCall> {
  const need = (): ShellServices => {
    if (!services) throw new PlainError('not_available', NOT_HERE);
    return services;
  };
  return {
    'dialog.openImage': async ({ multiple }) => ({
      paths: await need().openImage({ multiple: multiple ?? false }),
    }),
    'dialog.saveImage': async ({ suggestedName }) => ({
      path: await need().saveImage({ suggestedName }),
    }),
    'dialog.chooseFolder': async ({ title }) => ({
      path: await need().chooseFolder(title === undefined ? {} : { title }),
    }),
    'app.revealLibrary': () => {
      need().reveal(libraryDir() ?? fallbackLibraryDir());
      return Promise.resolve({});
    },
    'app.startDrag': async ({ path: relative }) => {
      const shell = need();
      shell.startDrag(await libraryImagePath(libraryDir() ?? fallbackLibraryDir(), relative));
      return {};
    },
    'app.copyImage': async ({ path: relative }) => {
      const shell = need();
      const file = await libraryImagePath(libraryDir() ?? fallbackLibraryDir(), relative);
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
