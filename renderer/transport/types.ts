import type { AtelierBridge } from '../../shared/api';
import type { ConnectionListener, ConnectionState } from './connection';

/** The AtelierBridge plus what the frame needs to show whether the core is reachable. */
export interface RendererBridge extends AtelierBridge {
  readonly connection: {
    readonly state: ConnectionState;
    subscribe(listener: ConnectionListener): () => void;
  };
  /** Try to reach the core again now (no-op when already connected). */
  reconnect(): void;
  /** Stop: close the transport, fail pending calls, stop reconnecting. */
  close(): void;
}
