/**
 * Compare's state: the two pictures (a URL the window can show, and what they are), the mode, the
 * view shared by every pane and mode (zoom + the frame point at the centre, see
 * ui/zoom/geometry), the slider, smoothing, and saving.
 *
 * For other features:
 *   useCompare.getState().openComparison(left, right)   open Compare on two pictures, e.g.
 *       Create after an upscale: openComparison(
 *         { url: input.url, title: 'Original', width, height, inputId: input.id },
 *         { libraryId: result.id, title: 'Upscale' })
 *   useCompare.getState().openResultWithInput(libraryId)  a result next to the input it was made
 *       from (read from its recipe)
 *   useCompare.getState().openLibraryIds(a, b)          two library entries (Library selection)
 */
import { create } from 'zustand';
import {
  type CompareSaved,
  type CompareSide,
  type CompareSource,
  type LibraryItem,
} from '../../shared/api';
import type { Size } from '../../shared/compare-layout';
import { FIT_VIEW, type View } from '../ui/zoom/geometry';
import { getBridge } from './bridge';
import { messageOf } from './connection';
import { useNavigation } from './navigation';

export type CompareMode = 'side' | 'slider' | 'flip';
export type SliderOrientation = 'vertical' | 'horizontal';
export type SideIndex = 0 | 1;

/** One side of the comparison. */
export interface ComparePicture {
  /** Changes whenever the picture does (React key). */
  key: string;
  /** What the window shows: a library media URL, an object URL of a dropped file, a data: URL. */
  url: string;
  /** Which is which: "Original", "Upscale", a file name. */
  title: string;
  model: string | null;
  /** Real size in pixels; 0 until the picture has loaded when it was not known before. */
  width: number;
  height: number;
  /** Where it comes from, for Save comparison. */
  source:
    | { kind: 'library'; id: string }
    | { kind: 'made-from'; id: string; role: string }
    | { kind: 'input'; id: string }
    | { kind: 'dropped'; file: File }
    | { kind: 'none' };
}

/** What openComparison takes for each side. */
export type PictureRef =
  | { libraryId: string; title?: string }
  | { file: File; title?: string }
  | {
      url: string;
      title: string;
      width?: number;
      height?: number;
      model?: string | null;
      /** A staged picture (the bridge's stageFile, inputs.fromLibrary), so Save can use it. */
      inputId?: string;
      /** The picture a library entry was made from (its recipe's input with this role). */
      madeFrom?: { id: string; role: string };
    };

interface CompareState {
  pictures: [ComparePicture | null, ComparePicture | null];
  mode: CompareMode;
  view: View;
  /** Divider position, 0..1 of the viewport (from the left, or from the top). */
  slider: number;
  orientation: SliderOrientation;
  /** Smooth pixels when zoomed past 100% (off: pixel-accurate). */
  smooth: boolean;
  /** Which picture flip mode shows. */
  flipped: SideIndex;
  /** The size of one pane on screen (CSS px), as the viewer measured it. */
  pane: Size;
  busy: boolean;
  error: string | null;
  saving: boolean;
  saved: CompareSaved | null;
  saveError: string | null;

  openComparison: (left: PictureRef, right: PictureRef) => Promise<void>;
  openLibraryIds: (left: string, right: string) => Promise<void>;
  openResultWithInput: (libraryId: string) => Promise<void>;
  /** Sets one side (the "compare with..." picker, a drop on one pane). */
  setPicture: (side: SideIndex, ref: PictureRef) => Promise<void>;
  /** Dropped or chosen files: two fill both sides; one fills the empty side (or the right). */
  takeFiles: (files: readonly File[]) => Promise<void>;
  /** The real size, once a picture has loaded. */
  loaded: (key: string, width: number, height: number) => void;
  setMode: (mode: CompareMode) => void;
  setView: (view: View) => void;
  setPane: (pane: Size) => void;
  setSlider: (value: number) => void;
  setOrientation: (orientation: SliderOrientation) => void;
  setSmooth: (smooth: boolean) => void;
  flip: () => void;
  swap: () => void;
  clear: () => void;
  save: () => Promise<CompareSaved | null>;
}

let counter = 0;
const nextKey = () => `p${String(++counter)}`;
let mediaBase: string | null = null;

async function libraryMediaBase(): Promise<string> {
  if (mediaBase === null) {
    const folder = await getBridge().invoke('library.folder', {});
    mediaBase = folder.mediaBase;
  }
  return mediaBase;
}

/** The URL of a file of the library (`${mediaBase}/media/<path>`), each segment encoded. */
export async function libraryMediaUrl(path: string): Promise<string> {
  const base = await libraryMediaBase();
  return `${base}/media/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** Forget the cached media base (the library folder may have changed). */
export function forgetMediaBase(): void {
  mediaBase = null;
}

function fromEntry(entry: LibraryItem, url: string, title?: string): ComparePicture {
  const name = entry.path.split('/').pop() ?? entry.path;
  return {
    key: nextKey(),
    url,
    title: title ?? (entry.prompt ? entry.prompt.slice(0, 80) : name),
    model: entry.model,
    width: entry.width,
    height: entry.height,
    source: { kind: 'library', id: entry.id },
  };
}

async function resolve(ref: PictureRef): Promise<ComparePicture> {
  if ('libraryId' in ref) {
    const { entry } = await getBridge().invoke('library.get', { id: ref.libraryId });
    return fromEntry(entry, await libraryMediaUrl(entry.path), ref.title);
  }
  if ('file' in ref) {
    return {
      key: nextKey(),
      url: URL.createObjectURL(ref.file),
      title: ref.title ?? (ref.file.name || 'Dropped picture'),
      model: null,
      width: 0,
      height: 0,
      source: { kind: 'dropped', file: ref.file },
    };
  }
  return {
    key: nextKey(),
    url: ref.url,
    title: ref.title,
    model: ref.model ?? null,
    width: ref.width ?? 0,
    height: ref.height ?? 0,
    source:
      ref.madeFrom !== undefined
        ? { kind: 'made-from', ...ref.madeFrom }
        : ref.inputId !== undefined
          ? { kind: 'input', id: ref.inputId }
          : { kind: 'none' },
  };
}

function release(picture: ComparePicture | null): void {
  if (picture?.url.startsWith('blob:')) URL.revokeObjectURL(picture.url);
}

async function sourceOf(picture: ComparePicture): Promise<CompareSource> {
  const source = picture.source;
  switch (source.kind) {
    case 'library':
    case 'input':
    case 'made-from':
      return source;
    case 'dropped':
      return { kind: 'input', id: (await getBridge().stageFile(source.file)).id };
    case 'none':
      throw new Error(
        `“${picture.title}” cannot be saved from here. Save it to the library first, or drop the file onto Compare.`,
      );
  }
}

function goToCompare(): void {
  const nav = useNavigation.getState();
  if (nav.place !== 'compare') nav.goTo('compare');
}

export const useCompare = create<CompareState>()((set, get) => {
  /** Replaces both pictures; the view fits again (a new pair). */
  const openBoth = async (left: PictureRef, right: PictureRef) => {
    goToCompare();
    set({ busy: true, error: null, saved: null, saveError: null });
    try {
      const pair = await Promise.all([resolve(left), resolve(right)]);
      for (const old of get().pictures) release(old);
      set({ pictures: pair, view: FIT_VIEW, busy: false, flipped: 0 });
    } catch (error) {
      set({ busy: false, error: messageOf(error) });
    }
  };

  return {
    pictures: [null, null],
    mode: 'side',
    view: FIT_VIEW,
    slider: 0.5,
    orientation: 'vertical',
    smooth: false,
    flipped: 0,
    pane: { width: 800, height: 600 },
    busy: false,
    error: null,
    saving: false,
    saved: null,
    saveError: null,

    openComparison: openBoth,
    openLibraryIds: (left, right) => openBoth({ libraryId: left }, { libraryId: right }),

    openResultWithInput: async (libraryId) => {
      goToCompare();
      set({ busy: true, error: null });
      try {
        const { entry, recipe } = await getBridge().invoke('library.get', { id: libraryId });
        const input = recipe.inputs[0];
        if (!input) {
          set({ busy: false });
          await openBoth({ libraryId }, { libraryId });
          return;
        }
        await openBoth(
          {
            url: await libraryMediaUrl(input.file),
            title: 'Original',
            width: input.width,
            height: input.height,
            madeFrom: { id: entry.id, role: input.role },
          },
          { libraryId: entry.id, title: entry.operation === 'upscale' ? 'Upscale' : 'Result' },
        );
      } catch (error) {
        set({ busy: false, error: messageOf(error) });
      }
    },

    setPicture: async (side, ref) => {
      goToCompare();
      set({ busy: true, error: null, saved: null, saveError: null });
      try {
        const picture = await resolve(ref);
        const pictures: [ComparePicture | null, ComparePicture | null] = [...get().pictures];
        release(pictures[side]);
        pictures[side] = picture;
        set({ pictures, busy: false, view: FIT_VIEW });
      } catch (error) {
        set({ busy: false, error: messageOf(error) });
      }
    },

    takeFiles: async (files) => {
      const images = files.filter((f) => f.type === '' || f.type.startsWith('image/'));
      if (images.length === 0) {
        set({ error: 'Those files are not pictures. Drop PNG, JPEG or WebP images.' });
        return;
      }
      const [first, second] = images;
      if (first && second) {
        await openBoth({ file: first }, { file: second });
        return;
      }
      if (first) {
        const [left] = get().pictures;
        await get().setPicture(left === null ? 0 : 1, { file: first });
      }
    },

    loaded: (key, width, height) =>
      set((state) => {
        let changed = false;
        const pictures = state.pictures.map((p) => {
          if (p?.key !== key || (p.width === width && p.height === height)) return p;
          changed = true;
          return { ...p, width, height };
        }) as [ComparePicture | null, ComparePicture | null];
        return changed ? { pictures } : {};
      }),

    setMode: (mode) => set({ mode }),
    setView: (view) => set({ view }),
    setPane: (pane) =>
      set((state) =>
        state.pane.width === pane.width && state.pane.height === pane.height ? {} : { pane },
      ),
    setSlider: (value) => set({ slider: Math.min(1, Math.max(0, value)) }),
    setOrientation: (orientation) => set({ orientation }),
    setSmooth: (smooth) => set({ smooth }),
    flip: () => set((state) => ({ flipped: state.flipped === 0 ? 1 : 0 })),
    swap: () =>
      set((state) => ({
        pictures: [state.pictures[1], state.pictures[0]],
        flipped: state.flipped === 0 ? 1 : 0,
        saved: null,
      })),
    clear: () => {
      for (const old of get().pictures) release(old);
      set({ pictures: [null, null], view: FIT_VIEW, error: null, saved: null, saveError: null });
    },

    save: async () => {
      const [left, right] = get().pictures;
      if (!left || !right || get().saving) return null;
      set({ saving: true, saveError: null, saved: null });
      try {
        const side = async (picture: ComparePicture): Promise<CompareSide> => ({
          source: await sourceOf(picture),
          title: picture.title.slice(0, 200) || 'Picture',
          model: picture.model,
        });
        const request = { left: await side(left), right: await side(right) };
        // Dropped files are now staged in the core: save again without sending them again.
        set((state) => ({
          pictures: state.pictures.map((p, i) => {
            const source = i === 0 ? request.left.source : request.right.source;
            return p && (p === left || p === right) && p.source.kind === 'dropped'
              ? { ...p, source }
              : p;
          }) as [ComparePicture | null, ComparePicture | null],
        }));
        const saved = await getBridge().invoke('compare.save', request);
        set({ saving: false, saved });
        return saved;
      } catch (error) {
        set({ saving: false, saveError: messageOf(error) });
        return null;
      }
    },
  };
});
