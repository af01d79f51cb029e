/**
 * The picture a library entry was made from (inputs.fromRecipe): the sidecar's input of one role,
 * read from the library's inputs folder. The sidecar is untrusted (the folder syncs), so the file
 * it names must be `inputs/<sha256>.<ext>` inside the library (no link leading out), a regular file
 * within the input limit, and still hold the bytes the sidecar's hash says: a sidecar cannot point
 * this at any other file.
 */
import { createHash } from 'node:crypto';
import { INPUTS_DIR, LIBRARY_LIMITS, resolveLibraryFile, type Library } from '../library';
import { PlainError } from '../errors';
import { readRegularFile } from './read';

/** How a sentence names an input's role: 'image' → 'input picture', 'style_image' → 'style image'. */
export function roleWords(role: string): string {
  if (role === 'image' || role === 'init_image') return 'input picture';
  // A role is a field name: nothing else of it is put in a sentence.
  return (
    role
      .replace(/[^A-Za-z0-9_ -]/g, '')
      .replace(/_/g, ' ')
      .slice(0, 64) || 'picture'
  );
}

const STORED_NAME = /^[0-9a-f]{64}\.(png|jpg|jpeg|webp)$/;

export async function recipeInput(
  library: Library,
  id: string,
  role: string,
  maxBytes: number = LIBRARY_LIMITS.imageBytes,
): Promise<{ entryPath: string; bytes: Buffer }> {
  const entry = library.get(id);
  const sidecar = entry ? await library.readSidecar(id) : null;
  if (!entry || !sidecar) {
    throw new PlainError(
      'not_found',
      'That picture is no longer in the library. It may have been deleted or moved.',
    );
  }
  const input = sidecar.inputs.find((i) => i.role === role);
  if (!input) {
    throw new PlainError('not_found', `This picture's recipe has no ${roleWords(role)}.`);
  }
  const gone = () =>
    new PlainError(
      'input_gone',
      `The ${roleWords(role)} this picture was made from is no longer in the library's ${INPUTS_DIR} folder.`,
    );
  const [folder, name, ...rest] = input.file.split('/');
  if (folder !== INPUTS_DIR || !name || rest.length > 0 || !STORED_NAME.test(name)) throw gone();
  const resolved = await resolveLibraryFile(library.dir, input.file);
  if (!resolved.ok) throw gone();
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(resolved.path, maxBytes);
  } catch {
    throw gone();
  }
  if (createHash('sha256').update(bytes).digest('hex') !== input.sha256) throw gone();
  return { entryPath: entry.path, bytes };
}
