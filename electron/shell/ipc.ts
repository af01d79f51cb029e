/**
 * The Electron transport: ipcMain answers the preload's calls with the core's dispatch, after
 * checking who is asking, and the core's events go out to our windows.
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { isAbsolute } from 'node:path';
import type { CallResult } from '../../shared/api';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/ipc';
import { isAppUrl, type OriginPolicy } from './security';

/** What the shell needs of the core: the boundary every call goes through. */
export type DispatchFn = (call: unknown, request: unknown) => Promise<CallResult>;

export const FOREIGN_SENDER_RESULT: CallResult = {
  ok: false,
  error: {
    code: 'forbidden',
    message:
      'Atelier refused a request that did not come from its own window. Restart Atelier if this keeps happening.',
  },
};

/**
 * True only when the call comes from the main frame of one of our windows, showing the app itself
 * (app://atelier/..., or the dev server in development). Subframes, other webContents, pages that
 * navigated elsewhere and destroyed frames are all refused.
 */
export function checkSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  windows: readonly BrowserWindow[],
  policy: OriginPolicy,
): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  const window = windows.find((w) => !w.isDestroyed() && w.webContents === event.sender);
  if (!window) return false;
  const main = window.webContents.mainFrame;
  if (frame.parent !== null || frame.detached) return false;
  // The same frame as the window's main frame (Electron may hand out a new wrapper object for it).
  const sameFrame =
    frame === main || (frame.processId === main.processId && frame.routingId === main.routingId);
  if (!sameFrame) return false;
  return isAppUrl(frame.url, policy);
}

/**
 * Answers `channel` with `answer(...args)` for trusted senders (checkSender), and with an error
 * CallResult for everyone else. Returns a function that removes the handler.
 */
export function registerTrusted(
  ipcMain: IpcMain,
  channel: string,
  windows: () => readonly BrowserWindow[],
  policy: OriginPolicy,
  answer: (...args: unknown[]) => Promise<CallResult>,
): () => void {
  ipcMain.handle(channel, async (event, ...args: unknown[]) => {
    if (!checkSender(event, windows(), policy)) return FOREIGN_SENDER_RESULT;
    return answer(...args);
  });
  return () => ipcMain.removeHandler(channel);
}

/**
 * Answers IPC_INVOKE_CHANNEL with dispatch(call, request) for trusted senders, and with an error
 * CallResult for everyone else. Never throws back into the renderer. Returns a function that
 * removes the handler.
 */
export function registerInvokeHandler(
  ipcMain: IpcMain,
  dispatch: DispatchFn,
  windows: () => readonly BrowserWindow[],
  policy: OriginPolicy,
): () => void {
  return registerTrusted(ipcMain, IPC_INVOKE_CHANNEL, windows, policy, (call, request) =>
    dispatch(call, request),
  );
}

/** What staging a dropped file's path answers (an InputView, or why not). */
export type StageFn = (absolutePath: string) => Promise<CallResult>;

const NOT_A_FILE: CallResult = {
  ok: false,
  error: {
    code: 'unreadable_file',
    message: 'Atelier could not open that file. Drop or choose a PNG, JPEG or WebP file.',
  },
};

/**
 * The answer on IPC_STAGE_CHANNEL (register it with registerTrusted): the path of a File the
 * person dropped or chose, which only the preload's stageFile sends (the page cannot reach
 * ipcRenderer, and a File the page makes has no path). Anything but one absolute path string is
 * refused without staging.
 */
export function stagePathAnswer(stage: StageFn): (...args: unknown[]) => Promise<CallResult> {
  return (file, ...rest) => {
    if (rest.length > 0 || typeof file !== 'string' || file.length > 4096 || !isAbsolute(file)) {
      return Promise.resolve(NOT_A_FILE);
    }
    return stage(file);
  };
}

/** Sends one core event to every live window as (event name, payload). */
export function forwardEvent(
  targets: readonly BrowserWindow[],
  event: string,
  payload: unknown,
): void {
  for (const window of targets) {
    if (window.isDestroyed()) continue;
    const contents: WebContents = window.webContents;
    if (contents.isDestroyed()) continue;
    contents.send(IPC_EVENT_CHANNEL, event, payload);
  }
}
