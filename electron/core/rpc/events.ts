/**
 * Core -> renderer events. The core emits; each transport subscribes and forwards to its windows or
 * sockets. Payloads are checked against the contract as they are emitted, so a bug in the core
 * cannot send the renderer something the contract does not allow.
 */
import { events, type EventName, type EventPayload } from '../../../shared/api';

export type EventListener = (event: EventName, payload: unknown) => void;

export interface EventHub {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Returns a function that unsubscribes. */
  subscribe(listener: EventListener): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      const checked = events[event].parse(payload);
      for (const listener of [...listeners]) listener(event, checked);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
