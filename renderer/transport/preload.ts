/**
 * The Electron transport: wraps the raw `window.atelier` the preload exposes into a typed bridge.
 * The preload stays dumb; every result and event is validated here against the contract.
 */
import type { CallName, CallRequest, CallResponse, PreloadBridge } from '../../shared/api';
import { ConnectionWatch } from './connection';
import { decodeResult, EventListeners } from './decode';
import { connectionLost } from './errors';
import type { RendererBridge } from './types';
import { uploadFile } from './upload';

export function wrapPreload(raw: PreloadBridge): RendererBridge {
  const listeners = new EventListeners();
  const watch = new ConnectionWatch({ status: 'online', message: null });
  const stop = raw.on((event, payload) => listeners.emit(event, payload));

  const invoke = async <C extends CallName>(
    call: C,
    request: CallRequest<C>,
  ): Promise<CallResponse<C>> => {
    let result: unknown;
    try {
      result = await raw.invoke(call, request);
    } catch {
      // IPC itself failed (the main process is gone or refused the frame): not an Api answer.
      throw connectionLost();
    }
    return decodeResult(call, result);
  };

  return {
    invoke,
    async stageFile(file) {
      let result: unknown = null;
      try {
        // The preload takes the path of a real File and the main process stages it.
        if (raw.stageFile) result = await raw.stageFile(file);
      } catch {
        throw connectionLost();
      }
      // No path (a pasted picture): its bytes, like the browser shell.
      if (result === null) return uploadFile(invoke, file);
      return decodeResult('inputs.finish', result);
    },
    on: (event, listener) => listeners.add(event, listener),
    connection: watch,
    reconnect: () => undefined,
    close: () => {
      stop();
      watch.set({ status: 'offline', message: connectionLost().message });
    },
  };
}
