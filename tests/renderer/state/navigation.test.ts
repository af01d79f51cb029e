import { beforeEach, describe, expect, it } from 'vitest';
import type { AtelierBridge, EventName, EventPayload } from '../../../shared/api';
import {
  followAppCommands,
  onAppCommand,
  placeForCommand,
  useNavigation,
} from '../../../renderer/state/navigation';

/** A bridge that only delivers events the test emits. */
function fakeBridge() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const bridge: Pick<AtelierBridge, 'on'> = {
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };
  return { bridge, emit, count: () => [...listeners.values()].reduce((n, s) => n + s.size, 0) };
}

beforeEach(() => useNavigation.setState({ place: 'create', focusRequest: 0 }));

describe('menu commands in the renderer', () => {
  it('go-to commands move between places and ask for focus', () => {
    const { bridge, emit } = fakeBridge();
    const stop = followAppCommands(bridge);
    emit('app.command', { command: 'go-library' });
    expect(useNavigation.getState()).toMatchObject({ place: 'library', focusRequest: 1 });
    emit('app.command', { command: 'go-settings' });
    expect(useNavigation.getState().place).toBe('settings');
    emit('app.command', { command: 'go-compare' });
    expect(useNavigation.getState().place).toBe('compare');
    // Run and New generation are for Create, not navigation.
    emit('app.command', { command: 'run' });
    expect(useNavigation.getState().place).toBe('compare');
    stop();
    emit('app.command', { command: 'go-create' });
    expect(useNavigation.getState().place).toBe('compare');
  });

  it('onAppCommand hands every command to its listener until stopped', () => {
    const { bridge, emit, count } = fakeBridge();
    const seen: string[] = [];
    const stop = onAppCommand(bridge, (command) => seen.push(command));
    emit('app.command', { command: 'run' });
    emit('app.command', { command: 'new-generation' });
    stop();
    emit('app.command', { command: 'run' });
    expect(seen).toEqual(['run', 'new-generation']);
    expect(count()).toBe(0);
  });

  it('maps each go-to command to its place', () => {
    expect(placeForCommand('go-create')).toBe('create');
    expect(placeForCommand('go-library')).toBe('library');
    expect(placeForCommand('go-compare')).toBe('compare');
    expect(placeForCommand('go-settings')).toBe('settings');
    expect(placeForCommand('run')).toBeNull();
  });
});
