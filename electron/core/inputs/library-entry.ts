/**
 * A picture of the library by its id, for the calls that stage one (inputs.fromLibrary,
 * inputs.fromReference): the library in force and the entry, or a sentence.
 */
import { PlainError } from '../errors';
import type { Library, LibraryEntry } from '../library';

export async function libraryEntry(
  open: () => Promise<Library>,
  id: string,
): Promise<{ library: Library; entry: LibraryEntry }> {
  let library: Library;
  try {
    library = await open();
  } catch {
    throw new PlainError(
      'not_available',
      'The library folder cannot be opened right now. Check it in Settings, then try again.',
    );
  }
  const entry = library.get(id);
  if (!entry) {
    throw new PlainError(
      'not_found',
      'That picture is no longer in the library. It may have been deleted or moved.',
    );
  }
  return { library, entry };
}
