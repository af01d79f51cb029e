/**
 * The preload of every Atelier window: sandboxed, context-isolated, and as small as possible. It
 * exposes exactly one thing, `window.atelier` (a PreloadBridge): a function to make a call, a
 * function to listen to events, and a function that stages a dropped or chosen File by its path.
 * Never ipcRenderer, never an IPC event object, never a way to send a path the page chose: the only
 * path that leaves here is the one webUtils.getPathForFile gives for a real File (the person's
 * drop or choice). Every payload is checked in the main process, not here.
 *
 * Bundled to dist/electron/preload.cjs, which must require nothing but 'electron': import only
 * types from shared/api.ts (it needs zod), and the channel names from shared/ipc.ts.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { PreloadBridge } from '../shared/api';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_STAGE_CHANNEL } from '../shared/ipc';

const bridge: PreloadBridge = {
  invoke(call: string, request: unknown): Promise<unknown> {
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, call, request);
  },
  on(listener: (event: string, payload: unknown) => void): () => void {
    const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (typeof name === 'string') listener(name, payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
    };
  },
  stageFile(file: Blob): Promise<unknown> {
    // Only a File has a path; anything else (or a File made in the page) has none: upload it.
    const path = file instanceof File ? webUtils.getPathForFile(file) : '';
    if (path === '') return Promise.resolve(null);
    return ipcRenderer.invoke(IPC_STAGE_CHANNEL, path);
  },
};

contextBridge.exposeInMainWorld('atelier', bridge);
