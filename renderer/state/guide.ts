/**
 * The Guide tab's pictures: one staged reference per image field (`image` for sketch, structure and
 * style guide; `init_image` and `style_image` for style transfer), each dropped, pasted, chosen,
 * dragged from the Library, or staged again from a library entry's inputs (Reuse settings). The
 * core stages every picture (bridge.stageFile, inputs.fromLibrary, inputs.fromReference); this
 * store keeps what it answered and a URL to show it.
 */
import { create } from 'zustand';
import type { InputView } from '../../shared/api';
import { getBridge } from './bridge';
import { messageOf } from './connection';
import type { GuideField } from './guide-form';

/** A staged reference and a URL the page can show it with (null: none). */
export interface ReferencePicture extends InputView {
  url: string | null;
}

interface GuideState {
  references: Partial<Record<GuideField, ReferencePicture>>;
  busy: Partial<Record<GuideField, boolean>>;
  /** Why a picture could not be taken, per field (a sentence). */
  errors: Partial<Record<GuideField, string>>;
  /** Takes a dropped, pasted or chosen file for a field. */
  takeFile: (field: GuideField, file: File) => Promise<void>;
  /** Takes a picture of the library, by its id. */
  takeLibraryPicture: (field: GuideField, id: string, preview?: string | null) => Promise<void>;
  /**
   * Stages again the picture a library entry was made with (its recipe's input of this role, kept
   * in the library's inputs folder). False, with the field's sentence set, when it is gone.
   */
  takeReference: (
    field: GuideField,
    entryId: string,
    role: string,
    preview?: string | null,
  ) => Promise<boolean>;
  /** Sets a field's sentence (e.g. a reference Reuse settings could not find). */
  tell: (field: GuideField, message: string) => void;
  clear: (field: GuideField) => void;
  /** Swaps the two pictures of style transfer. */
  swap: () => void;
}

function revoke(picture: ReferencePicture | undefined): void {
  if (picture?.url?.startsWith('blob:')) URL.revokeObjectURL(picture.url);
}

export const useGuide = create<GuideState>()((set, get) => {
  /** Runs a staging call for a field: busy while it runs, its answer or its sentence after. */
  async function stage(
    field: GuideField,
    load: () => Promise<InputView>,
    url: () => string | null,
  ): Promise<boolean> {
    set((s) => ({
      busy: { ...s.busy, [field]: true },
      errors: { ...s.errors, [field]: undefined },
    }));
    try {
      const view = await load();
      revoke(get().references[field]);
      set((s) => ({
        references: { ...s.references, [field]: { ...view, url: url() } },
        busy: { ...s.busy, [field]: false },
      }));
      return true;
    } catch (error) {
      set((s) => ({
        busy: { ...s.busy, [field]: false },
        errors: { ...s.errors, [field]: messageOf(error) },
      }));
      return false;
    }
  }

  return {
    references: {},
    busy: {},
    errors: {},
    takeFile: async (field, file) => {
      await stage(
        field,
        () => getBridge().stageFile(file),
        () => (typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : null),
      );
    },
    takeLibraryPicture: async (field, id, preview = null) => {
      await stage(
        field,
        () => getBridge().invoke('inputs.fromLibrary', { id }),
        () => preview,
      );
    },
    takeReference: (field, entryId, role, preview = null) =>
      stage(
        field,
        () => getBridge().invoke('inputs.fromReference', { id: entryId, role }),
        () => preview,
      ),
    tell: (field, message) => set((s) => ({ errors: { ...s.errors, [field]: message } })),
    clear: (field) => {
      revoke(get().references[field]);
      set((s) => ({
        references: { ...s.references, [field]: undefined },
        errors: { ...s.errors, [field]: undefined },
      }));
    },
    swap: () =>
      set((s) => ({
        references: {
          ...s.references,
          init_image: s.references.style_image,
          style_image: s.references.init_image,
        },
        errors: { ...s.errors, init_image: s.errors.style_image, style_image: s.errors.init_image },
      })),
  };
});
