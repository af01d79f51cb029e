/**
 * Checks what comes back from the core against the contract before anyone in the renderer sees it:
 * a result envelope, then the call's own response schema; an event name, then its payload schema.
 */
import {
  AtelierError,
  CallResult,
  calls,
  events,
  isEventName,
  type CallName,
  type CallResponse,
  type EventName,
  type EventPayload,
} from '../../shared/api';
import { misunderstoodAnswer } from './errors';

/** Turns a raw CallResult into the call's response value, or throws an AtelierError. */
export function decodeResult<C extends CallName>(call: C, raw: unknown): CallResponse<C> {
  const envelope = CallResult.safeParse(raw);
  if (!envelope.success) throw misunderstoodAnswer(call);
  if (!envelope.data.ok) throw new AtelierError(envelope.data.error);
  const value = calls[call].response.safeParse(envelope.data.value);
  if (!value.success) throw misunderstoodAnswer(call);
  return value.data as CallResponse<C>;
}

type AnyListener = (payload: unknown) => void;

/**
 * Listeners by event name. `emit` drops events that are unknown or whose payload breaks the
 * contract (a newer core, a bug): listeners only ever see valid payloads.
 */
export class EventListeners {
  private readonly byName = new Map<EventName, Set<AnyListener>>();

  add<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.byName.get(event);
    if (!set) {
      set = new Set();
      this.byName.set(event, set);
    }
    const wrapped = listener as AnyListener;
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  }

  emit(event: string, payload: unknown): void {
    if (!isEventName(event)) return;
    const parsed = events[event].safeParse(payload);
    if (!parsed.success) return;
    for (const listener of [...(this.byName.get(event) ?? [])]) {
      try {
        listener(parsed.data);
      } catch (error) {
        console.error(`A listener of "${event}" failed`, error);
      }
    }
  }
}
