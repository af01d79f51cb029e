import type { PreloadBridge } from '../shared/api';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in the browser shell. */
    atelier?: PreloadBridge;
  }
}

export {};
