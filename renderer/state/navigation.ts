import { create } from 'zustand';
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
