import type { AtelierBridge, InputView } from '../../shared/api';
import type { ConnectionListener, ConnectionState } from './connection';

/** The AtelierBridge plus what the frame needs to show whether the core is reachable. */
export interface RendererBridge extends AtelierBridge {
  readonly connection: {
    readonly state: ConnectionState;
    subscribe(listener: ConnectionListener): () => void;
  };
  /**
   * Stages a dropped, pasted or chosen file in the core and answers what it is (its id is what
   * jobs.add, library.import and compare.save take). Electron sends a real file's path through the
   * preload; the browser shell (and a file with no path) sends its bytes in chunks. Stores never
   * know which.
   */
  stageFile(file: File): Promise<InputView>;
  /** Try to reach the core again now (no-op when already connected). */
  reconnect(): void;
  /** Stop: close the transport, fail pending calls, stop reconnecting. */
  close(): void;
}
