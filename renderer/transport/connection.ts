/** Whether the window can currently reach the app's core. */
export type ConnectionStatus = 'connecting' | 'online' | 'offline';

export interface ConnectionState {
  status: ConnectionStatus;
  /** A plain sentence for the person when offline; null otherwise. */
  message: string | null;
}

export type ConnectionListener = (state: ConnectionState) => void;

/** A small observable value with the current connection state. */
export class ConnectionWatch {
  private current: ConnectionState;
  private readonly listeners = new Set<ConnectionListener>();

  constructor(initial: ConnectionState) {
    this.current = initial;
  }

  get state(): ConnectionState {
    return this.current;
  }

  set(next: ConnectionState): void {
    if (next.status === this.current.status && next.message === this.current.message) return;
    this.current = next;
    for (const listener of [...this.listeners]) listener(next);
  }

  subscribe(listener: ConnectionListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
