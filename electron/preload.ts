/**
 * The preload of every Atelier window: sandboxed, context-isolated, and as small as possible. It
 * exposes exactly one thing, `window.atelier` (a PreloadBridge): a function to make a call, a
 * function to listen to events, and the path of a dropped file (webUtils.getPathForFile). Never
 * ipcRenderer, never an IPC event object. Every payload is checked in the main process, not here.
 *
 * Bundled to dist/electron/preload.cjs, which must require nothing but 'electron': import only
 * types from shared/api.ts (it needs zod), and the channel names from shared/ipc.ts.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { PreloadBridge } from '../shared/api';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../shared/ipc';

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
  pathForFile(file: Blob): string {
    // Only a File has a path; anything else (or a file made in the page) has none.
    return file instanceof File ? webUtils.getPathForFile(file) : '';
  },
};

contextBridge.exposeInMainWorld('atelier', bridge);
