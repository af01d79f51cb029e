/**
 * Knowing whether the API can be reached, for the queue's offline state: jobs wait while offline and
 * go when the network is back.
 *
 * Nothing is polled while all is well. When a request fails to connect, `suspect()` checks at once
 * with `probe` (e.g. a TCP connect to the API's host); if that fails too, the watch says offline and
 * keeps checking every `retryMs` until the probe succeeds, then says online again.
 */
import { connect } from 'node:net';

export interface OnlineWatch {
  /** For the queue's `watchOnline` option. */
  watch(listener: (online: boolean) => void): () => void;
  /** A request could not connect: check now, and keep checking while the probe fails. */
  suspect(): void;
  online(): boolean;
  close(): void;
}

export interface OnlineWatchOptions {
  /** Resolves true when the API's host can be reached. Must not throw; must end by itself. */
  probe: () => Promise<boolean>;
  /** How often to check while offline (default 5 s). */
  retryMs?: number;
}

export function createOnlineWatch(options: OnlineWatchOptions): OnlineWatch {
  const retryMs = options.retryMs ?? 5_000;
  const listeners = new Set<(online: boolean) => void>();
  let online = true;
  let checking = false;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function set(next: boolean): void {
    if (next === online) return;
    online = next;
    for (const listener of [...listeners]) listener(online);
  }

  async function check(): Promise<void> {
    if (checking || closed) return;
    checking = true;
    let reachable: boolean;
    try {
      reachable = await options.probe();
    } catch {
      reachable = false;
    }
    checking = false;
    if (closed) return;
    set(reachable);
    if (!reachable) {
      timer = setTimeout(() => void check(), retryMs);
      timer.unref();
    }
  }

  return {
    watch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    suspect() {
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      void check();
    },
    online: () => online,
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      listeners.clear();
    },
  };
}

/** True when a TCP connection to the host of `baseUrl` opens within `timeoutMs`. Never throws. */
export function probeHost(baseUrl: string, timeoutMs = 3_000): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return Promise.resolve(false);
  }
  const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
