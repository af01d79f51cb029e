/**
 * The renderer's one link to the core. The only place in renderer/ that picks a transport: the
 * Electron preload's `window.atelier` when present, else a WebSocket to the browser shell.
 */
import { wrapPreload } from './preload';
import { takeSessionCredential } from './session';
import { createSocketBridge, socketUrl } from './socket';
import type { RendererBridge } from './types';

export type { RendererBridge } from './types';
export type { ConnectionState, ConnectionStatus } from './connection';
export { CONNECTION_LOST_MESSAGE } from './errors';

export function createBridge(): RendererBridge {
  const preload = window.atelier;
  if (preload) return wrapPreload(preload);
  return createSocketBridge({
    url: socketUrl(window.location),
    credential: takeSessionCredential({
      location: window.location,
      history: window.history,
      sessionStorage: window.sessionStorage,
      fetch: (input, init) => window.fetch(input, init),
    }),
  });
}
