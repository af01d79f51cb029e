/**
 * `inputs.fromReference`: stages again a picture a library entry was made with (Reuse settings of a
 * guide: its sketch, structure, style picture, or both pictures of a style transfer). The entry is
 * named by its id and the picture by its role; the file comes from the entry's sidecar, and only a
 * file of the library's inputs folder (`inputs/<sha256>.<ext>`, confined to the library, no link
 * leading out) is read. The library folder syncs, so its sidecars are untrusted: a sidecar naming
 * anything else reads as a picture that is no longer there.
 */
import type { InputView } from '../../../shared/api';
import { PlainError } from '../errors';
import { INPUTS_DIR, resolveLibraryFile, type Library } from '../library';
import type { InputsService } from '../inputs';
import { libraryEntry } from '../inputs/library-entry';
import type { Handlers } from '../rpc/dispatch';

export interface ReferenceOptions {
  /** The library in force (opened on first use). */
  library: () => Promise<Library>;
  inputs: Pick<InputsService, 'fromPath'>;
}

/** What a sidecar may name as an input: `inputs/<sha256>.<ext>`, nothing else. */
const INPUT_FILE = new RegExp(`^${INPUTS_DIR}/[0-9a-f]{64}\\.(png|jpg|jpeg|webp)$`);

function gone(role: string): PlainError {
  return new PlainError(
    'not_found',
    `The ${role.replaceAll('_', ' ')} this picture was made with is no longer in the library's inputs folder. Drop it again to use it.`,
  );
}

export function createReferenceHandlers(
  options: ReferenceOptions,
): Pick<Handlers, 'inputs.fromReference'> {
  return {
    'inputs.fromReference': async ({ id, role }): Promise<InputView> => {
      const { library } = await libraryEntry(options.library, id);
      const sidecar = await library.readSidecar(id);
      const input = sidecar?.inputs.find((candidate) => candidate.role === role);
      if (!input || !INPUT_FILE.test(input.file)) throw gone(role);
      const resolved = await resolveLibraryFile(library.dir, input.file);
      if (!resolved.ok) throw gone(role);
      try {
        const ext = input.file.slice(input.file.lastIndexOf('.'));
        return await options.inputs.fromPath(
          resolved.path,
          `${role}-${input.sha256.slice(0, 8)}${ext}`,
        );
      } catch (error) {
        if (error instanceof PlainError && error.code === 'unreadable_file') throw gone(role);
        throw error;
      }
    },
  };
}
