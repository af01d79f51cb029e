import { create } from 'zustand';
import type { AppCommand, AtelierBridge } from '../../shared/api';
import { PLACES, type Place } from '../app/places';

interface NavigationState {
  place: Place;
  /** Bumped when a keyboard jump should move focus to the new place's heading. */
  focusRequest: number;
  goTo: (place: Place, options?: { focus?: boolean }) => void;
  /** Go to the place at 0-based `index` in sidebar order; ignored when out of range. */
  goToIndex: (index: number, options?: { focus?: boolean }) => void;
}

export const useNavigation = create<NavigationState>()((set) => ({
  place: 'create',
  focusRequest: 0,
  goTo: (place, options) =>
    set((state) => ({
      place,
      focusRequest: options?.focus ? state.focusRequest + 1 : state.focusRequest,
    })),
  goToIndex: (index, options) => {
    const place = PLACES[index];
    if (place)
      set((state) => ({
        place,
        focusRequest: options?.focus ? state.focusRequest + 1 : state.focusRequest,
      }));
  },
}));

/** The place each go-to menu command opens (the desktop shell's menu: Cmd/Ctrl+1/2/3, Cmd/Ctrl+,). */
const GO_TO: Partial<Record<AppCommand, Place>> = {
  'go-create': 'create',
  'go-library': 'library',
  'go-compare': 'compare',
  'go-settings': 'settings',
};

export function placeForCommand(command: AppCommand): Place | null {
  return GO_TO[command] ?? null;
}

/**
 * Calls `listener` for every menu command the desktop shell sends (`app.command`), e.g. Create
 * listening for 'run' and 'new-generation'. Returns a function that stops listening. The browser
 * shell has no menu, so nothing arrives there.
 */
export function onAppCommand(
  bridge: Pick<AtelierBridge, 'on'>,
  listener: (command: AppCommand) => void,
): () => void {
  return bridge.on('app.command', ({ command }) => listener(command));
}

/** The go-to menu commands move between places (and focus the new place's heading). */
export function followAppCommands(bridge: Pick<AtelierBridge, 'on'>): () => void {
  return onAppCommand(bridge, (command) => {
    const place = placeForCommand(command);
    if (place) useNavigation.getState().goTo(place, { focus: true });
  });
}
