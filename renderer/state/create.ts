/**
 * The Create place's state: the form, the input picture and the jobs as the core reports them
 * (a finished job's result names its library entry, which Results shows by its thumbnail).
 * Actions talk to the core through the bridge.
 */
import { create } from 'zustand';
import {
  FINISHED_JOB_STATES,
  type InputView,
  type JobView,
  type QueueView,
} from '../../shared/api';
import {
  costOf,
  INITIAL_FORM,
  paramsOf,
  problemsOf,
  promptToPrefill,
  targetOf,
  type FormState,
} from './create-form';
import { referenceImages } from './guide-form';
import { useGuide } from './guide';
import { confirmRun } from './account';
import { getBridge } from './bridge';
import { messageOf } from './connection';

/** The picture in the drop zone: what the core says it is, and a local URL to show it. */
export interface InputPicture extends InputView {
  url: string | null;
}

interface CreateState {
  form: FormState;
  input: InputPicture | null;
  /** Reading or uploading the dropped picture. */
  inputBusy: boolean;
  inputError: string | null;
  jobs: Record<string, JobView>;
  queue: QueueView | null;
  /** Why the last run or job action failed (a sentence), or null. */
  runError: string | null;
  /** Field messages shown after a run was refused. */
  problems: Record<string, string>;
  running: boolean;
  loadError: string | null;
  /** The prompt Create last put in the box from a picture's own (see promptToPrefill). */
  prefilled: string | null;

  setForm: (patch: Partial<FormState>) => void;
  load: () => Promise<void>;
  received: (job: JobView) => void;
  removed: (id: string) => void;
  setQueue: (queue: QueueView) => void;
  /** Takes a dropped, pasted or chosen file. */
  takeFile: (file: File) => Promise<void>;
  /** Takes a picture of the library by its id, with a URL to show. */
  takeLibraryPicture: (id: string, preview?: string | null) => Promise<void>;
  /** Takes a picture the core staged already (files opened with Atelier). */
  takeStaged: (input: InputView, preview?: string | null) => void;
  clearInput: () => void;
  run: () => Promise<boolean>;
  cancel: (id: string) => Promise<void>;
  /** Retries a job; `payAgain` when the person agreed that it costs credits again. */
  retry: (id: string, payAgain?: boolean) => Promise<void>;
  remove: (id: string) => Promise<void>;
}

/** The state with a new input picture: its field message gone, its prompt offered for upscaling. */
function withInput(state: CreateState, input: InputPicture): Partial<CreateState> {
  const problems = { ...state.problems };
  delete problems.image;
  const prefill = promptToPrefill(state.form, input, state.prefilled);
  if (prefill === null) return { input, inputBusy: false, problems };
  delete problems.prompt;
  return {
    input,
    inputBusy: false,
    problems,
    form: { ...state.form, prompt: prefill },
    prefilled: prefill,
  };
}

const FINISHED: readonly string[] = FINISHED_JOB_STATES;

/** A system notification when a whole run finished while Atelier was not in front. */
function notifyIfBatchDone(job: JobView, jobs: readonly JobView[]): void {
  if (typeof document === 'undefined' || document.visibilityState === 'visible') return;
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const batch = job.batch ? jobs.filter((j) => j.batch === job.batch) : [job];
  if (!batch.every((j) => FINISHED.includes(j.state))) return;
  const done = batch.filter((j) => j.state === 'done').length;
  const problems = batch.length - done;
  const body =
    (done === 1 ? '1 picture is ready' : `${done} pictures are ready`) +
    (problems > 0 ? `; ${problems} did not finish.` : '.');
  try {
    new Notification('Atelier', { body });
  } catch {
    // Notifications are a courtesy; the pictures are in Create and the library either way.
  }
}

/** Asks once, on the person's click, whether Atelier may tell them when pictures are ready. */
function askForNotifications(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}

export const useCreate = create<CreateState>()((set, get) => ({
  form: INITIAL_FORM,
  input: null,
  inputBusy: false,
  inputError: null,
  jobs: {},
  queue: null,
  runError: null,
  problems: {},
  running: false,
  loadError: null,
  prefilled: null,

  setForm: (patch) =>
    set((state) => {
      let form = { ...state.form, ...patch };
      // Clear the messages of the fields that changed.
      const problems = { ...state.problems };
      if (patch.prompt !== undefined) delete problems.prompt;
      // Switching to Upscale with a picture that carries a prompt: offer it.
      const prefill =
        patch.tab !== undefined && patch.prompt === undefined
          ? promptToPrefill(form, state.input, state.prefilled)
          : null;
      if (prefill === null) return { form, problems, runError: null };
      form = { ...form, prompt: prefill };
      delete problems.prompt;
      return { form, problems, runError: null, prefilled: prefill };
    }),

  load: async () => {
    try {
      const { jobs, queue } = await getBridge().invoke('jobs.list', {});
      set({ jobs: Object.fromEntries(jobs.map((j) => [j.id, j])), queue, loadError: null });
    } catch (error) {
      set({ loadError: messageOf(error) });
    }
  },

  received: (job) => {
    const before = get().jobs[job.id];
    set((state) => ({ jobs: { ...state.jobs, [job.id]: job } }));
    if (before && !FINISHED.includes(before.state) && FINISHED.includes(job.state)) {
      notifyIfBatchDone(job, Object.values(get().jobs));
    }
  },
  removed: (id) =>
    set((state) => {
      const jobs = Object.fromEntries(Object.entries(state.jobs).filter(([key]) => key !== id));
      return { jobs };
    }),
  setQueue: (queue) => set({ queue }),

  takeFile: async (file) => {
    set({ inputBusy: true, inputError: null });
    try {
      const view = await getBridge().stageFile(file);
      const url = typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : null;
      get().takeStaged(view, url);
    } catch (error) {
      set({ inputBusy: false, inputError: messageOf(error) });
    }
  },

  takeLibraryPicture: async (id, preview = null) => {
    set({ inputBusy: true, inputError: null });
    try {
      get().takeStaged(await getBridge().invoke('inputs.fromLibrary', { id }), preview);
    } catch (error) {
      set({ inputBusy: false, inputError: messageOf(error) });
    }
  },

  takeStaged: (view, preview = null) => {
    const previous = get().input;
    if (previous?.url?.startsWith('blob:')) URL.revokeObjectURL(previous.url);
    set((state) => withInput(state, { ...view, url: preview }));
  },

  clearInput: () => {
    const previous = get().input;
    if (previous?.url?.startsWith('blob:')) URL.revokeObjectURL(previous.url);
    set({ input: null, inputError: null });
  },

  run: async () => {
    const { form, input, running } = get();
    if (running) return false;
    const problems = problemsOf(form, input, useGuide.getState().references);
    if (Object.keys(problems).length > 0) {
      set({ problems, runError: null });
      return false;
    }
    // A run that costs more than the known balance asks first (issue 4).
    set({ running: true, runError: null, problems: {} });
    if (!(await confirmRun(costOf(form)))) {
      set({ running: false });
      return false;
    }
    const { endpoint, kind } = targetOf(form);
    askForNotifications();
    try {
      const { jobs } = await getBridge().invoke('jobs.add', {
        kind,
        endpoint,
        params: paramsOf(form),
        count: form.tab === 'upscale' ? 1 : form.count,
        ...(kind === 'guide'
          ? { images: referenceImages(form.guide.mode, useGuide.getState().references) }
          : kind !== 'text-to-image' && input
            ? { input: input.id }
            : {}),
      });
      set((state) => ({
        jobs: { ...state.jobs, ...Object.fromEntries(jobs.map((j) => [j.id, j])) },
        running: false,
      }));
      return true;
    } catch (error) {
      set({ running: false, runError: messageOf(error) });
      return false;
    }
  },

  cancel: async (id) => {
    try {
      get().received(await getBridge().invoke('jobs.cancel', { id }));
    } catch (error) {
      set({ runError: messageOf(error) });
    }
  },
  retry: async (id, payAgain) => {
    try {
      get().received(
        await getBridge().invoke('jobs.retry', { id, ...(payAgain ? { payAgain: true } : {}) }),
      );
    } catch (error) {
      set({ runError: messageOf(error) });
    }
  },
  remove: async (id) => {
    try {
      await getBridge().invoke('jobs.remove', { id });
      get().removed(id);
    } catch (error) {
      set({ runError: messageOf(error) });
    }
  },
}));

/** Follows the core's job events; returns a function that stops. */
export function followJobs(): () => void {
  const bridge = getBridge();
  const store = useCreate.getState();
  const stops = [
    bridge.on('jobs.changed', (job) => store.received(job)),
    bridge.on('jobs.removed', ({ id }) => store.removed(id)),
    bridge.on('jobs.queue', (queue) => store.setQueue(queue)),
  ];
  void store.load();
  return () => {
    for (const stop of stops) stop();
  };
}
