/** Adding pictures to the Library (dropped or picked files): how many are on their way, and the toast that says what came in. */
import { create } from 'zustand';
import type { LibraryItem } from '../../shared/api';
import { getBridge } from './bridge';
import { messageOf } from './connection';
import { useLibraryBrowse } from './library-browse';
import { tell } from './library-toast';

async function importOne(file: File): Promise<LibraryItem> {
  const bridge = getBridge();
  const { id } = await bridge.stageFile(file);
  return bridge.invoke('library.import', { input: id });
}

export const useLibraryImport = create<{
  /** Files still on their way into the library. */
  importing: number;
  importFiles: (files: readonly File[]) => Promise<void>;
}>()((set) => ({
  importing: 0,

  importFiles: async (files) => {
    const images = files.filter((f) => /^image\/(png|jpeg|webp)$/.test(f.type) || f.type === '');
    const skipped = files.length - images.length;
    if (images.length === 0) {
      tell('Only PNG, JPEG and WebP images can be added to the library.');
      return;
    }
    set((state) => ({ importing: state.importing + images.length }));
    let added = 0;
    let failure: string | null = null;
    for (const file of images) {
      try {
        const item = await importOne(file);
        added++;
        useLibraryBrowse
          .getState()
          .received({ added: [item], updated: [], removed: [], reset: false });
      } catch (error) {
        failure = `${file.name}: ${messageOf(error)}`;
      } finally {
        set((state) => ({ importing: state.importing - 1 }));
      }
    }
    const what =
      added === 1 ? 'Added 1 image to the library.' : `Added ${added} images to the library.`;
    const left =
      skipped === 0
        ? ''
        : ` ${skipped === 1 ? '1 file was' : `${skipped} files were`} not PNG, JPEG or WebP and stayed out.`;
    tell((failure ? `${added > 0 ? `${what} ` : ''}${failure}` : what) + left);
  },
}));
