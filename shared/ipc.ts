/**
 * Names of the IPC channels the Electron shell uses. Kept apart from api.ts (which needs zod) so the
 * sandboxed preload can import them and still bundle to one file that requires only 'electron'.
 */
export const IPC_INVOKE_CHANNEL = 'atelier:invoke';
export const IPC_EVENT_CHANNEL = 'atelier:event';
/**
 * The preload's own channel: the path of a File the person dropped or chose (webUtils.getPathForFile).
 * Only the preload's stageFile sends on it; the page cannot reach ipcRenderer (context isolation),
 * and a File the page makes itself has no path. The main process stages the file and answers a
 * CallResult of its InputView: the page gets an opaque staged id, never a way to name a path.
 */
export const IPC_STAGE_CHANNEL = 'atelier:stage-file';
