/**
 * A batch in the renderer: many pictures for one single-picture operation, gathered, summed up by
 * the core, then sent on one confirmation. Pictures come from a folder the core walks (the desktop
 * app's Choose folder…, through the native dialog) or from files the page streams one at a time
 * through the ordinary upload (a folder drop, several files, `<input webkitdirectory>`): never more
 * than one picture's bytes in flight.
 *
 * For other places (Remove background, Erase, the Guide modes): call
 *   useBatch.getState().gather(pictures(dataTransfer or fileList), recipe, name)
 *   useBatch.getState().chooseFolder(recipe)        (desktop; the browser opens a folder picker)
 * with the place's recipe ({ kind, endpoint, params }) and render <BatchSummaryDialog /> once.
 */
import { create } from 'zustand';
import type { BatchRecipe, BatchSkipReason, BatchSummary } from '../../shared/api';
import { AtelierError } from '../../shared/api';
import { ENDPOINTS, type ParamSpec } from '../../shared/endpoints';
import { getBridge } from './bridge';
import { messageOf } from './connection';
import { useCreate } from './create';

/** A file of a batch, with its name relative to what was chosen or dropped. */
export interface BatchPicture {
  file: File;
  relative: string;
}

export type BatchPhase = 'idle' | 'gathering' | 'summary' | 'starting';

interface BatchState {
  phase: BatchPhase;
  /** Files read so far while gathering. */
  seen: number;
  summary: BatchSummary | null;
  error: string | null;
  /** The last batch started: its summary (for "Show in Library" and the status line). */
  started: BatchSummary | null;

  /** Streams pictures into a new batch, one at a time, then shows the summary. */
  gather: (
    pictures: AsyncIterable<BatchPicture> | Iterable<BatchPicture>,
    recipe: BatchRecipe,
    name: string,
  ) => Promise<void>;
  /** The desktop app's folder: the native dialog, walked by the core. */
  chooseFolder: (recipe: BatchRecipe) => Promise<void>;
  confirm: () => Promise<void>;
  discard: () => Promise<void>;
  dismissError: () => void;
}

/** Why the core refused a file's upload, as a batch reason. */
export function skipReasonOf(error: unknown): BatchSkipReason {
  const code = error instanceof AtelierError ? error.code : '';
  if (/too_big|too_many_pixels/.test(code)) return 'too-large';
  if (code === 'unsupported_format') return 'unsupported-format';
  if (/not_an_image|empty|damaged/.test(code)) return 'not-image';
  return 'unreadable';
}

export const useBatch = create<BatchState>()((set, get) => ({
  phase: 'idle',
  seen: 0,
  summary: null,
  error: null,
  started: null,

  gather: async (pictures, recipe, name) => {
    if (get().phase !== 'idle') return;
    set({ phase: 'gathering', seen: 0, summary: null, error: null });
    const bridge = getBridge();
    let id: string | null = null;
    try {
      id = (await bridge.invoke('batch.begin', { ...recipe, name: name.slice(0, 255) || 'Batch' }))
        .id;
      for await (const { file, relative } of pictures) {
        set((state) => ({ seen: state.seen + 1 }));
        if (relative.split('/').some((part) => part.startsWith('.'))) {
          await bridge.invoke('batch.skip', { batch: id, relative, reason: 'hidden' });
          continue;
        }
        let input: string;
        try {
          input = (await bridge.stageFile(file)).id;
        } catch (error) {
          await bridge.invoke('batch.skip', { batch: id, relative, reason: skipReasonOf(error) });
          continue;
        }
        await bridge.invoke('batch.add', { batch: id, input, relative });
      }
      set({ phase: 'summary', summary: await bridge.invoke('batch.summary', { batch: id }) });
    } catch (error) {
      if (id !== null) void bridge.invoke('batch.discard', { batch: id }).catch(() => undefined);
      set({ phase: 'idle', error: messageOf(error) });
    }
  },

  chooseFolder: async (recipe) => {
    if (get().phase !== 'idle') return;
    set({ phase: 'gathering', seen: 0, summary: null, error: null });
    try {
      const { summary } = await getBridge().invoke('batch.chooseFolder', recipe);
      set(summary ? { phase: 'summary', summary } : { phase: 'idle' });
    } catch (error) {
      set({ phase: 'idle', error: messageOf(error) });
    }
  },

  confirm: async () => {
    const { summary } = get();
    if (!summary || get().phase !== 'summary') return;
    set({ phase: 'starting' });
    try {
      const started = await getBridge().invoke('batch.start', { batch: summary.id });
      set({ phase: 'idle', summary: null, started });
    } catch (error) {
      set({ phase: 'summary', error: messageOf(error) });
    }
  },

  discard: async () => {
    const { summary } = get();
    set({ phase: 'idle', summary: null, error: null });
    if (summary)
      await getBridge()
        .invoke('batch.discard', { batch: summary.id })
        .catch(() => undefined);
  },

  dismissError: () => set({ error: null }),
}));

/** Whether an endpoint takes a seed (so "More like this" makes different pictures). */
export function takesSeed(endpoint: string): boolean {
  const spec = (ENDPOINTS as Record<string, { params: readonly ParamSpec[] } | undefined>)[
    endpoint
  ];
  return spec?.params.some((param) => param.name === 'seed') ?? false;
}

/** "More like this": the job's recipe again, four times, each with a new seed (Create shows them). */
export async function moreLikeThis(job: string): Promise<void> {
  const create = useCreate.getState();
  try {
    const { jobs } = await getBridge().invoke('batch.moreLike', { job });
    for (const made of jobs) create.received(made);
  } catch (error) {
    useCreate.setState({ runError: messageOf(error) });
  }
}
