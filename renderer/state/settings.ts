import { create } from 'zustand';
import { AtelierError, type Settings, type SettingsPatch } from '../../shared/api';
import { getBridge } from './bridge';
import { messageOf } from './connection';

export type SettingKey = keyof Settings;

/** Why the core refused a change: its sentence, and its note on this very setting if it gave one. */
export interface SettingError {
  message: string;
  field?: string;
}

interface SettingsState {
  settings: Settings | null;
  /** Why the settings could not be loaded (plain sentence), or null. */
  loadError: string | null;
  /** Why the last change of each setting failed, as the core said it. */
  errors: Partial<Record<SettingKey, SettingError>>;
  /** Settings with a change on its way to the core. */
  saving: Partial<Record<SettingKey, boolean>>;
  load: () => Promise<void>;
  /** Sends a change to the core; resolves true when the core took it. */
  update: (patch: SettingsPatch) => Promise<boolean>;
  clearError: (key: SettingKey) => void;
  /** The core says settings changed (this window, another one, or the core itself). */
  received: (settings: Settings) => void;
}

function keysOf(patch: SettingsPatch): SettingKey[] {
  return Object.keys(patch) as SettingKey[];
}

/** A copy of `record` without `keys`. */
function without<V>(
  record: Partial<Record<SettingKey, V>>,
  keys: readonly SettingKey[],
): Partial<Record<SettingKey, V>> {
  return Object.fromEntries(
    Object.entries(record).filter(([key]) => !keys.includes(key as SettingKey)),
  );
}

export const useSettings = create<SettingsState>()((set) => ({
  settings: null,
  loadError: null,
  errors: {},
  saving: {},
  load: async () => {
    try {
      const settings = await getBridge().invoke('settings.get', {});
      set({ settings, loadError: null });
    } catch (error) {
      set({ loadError: messageOf(error) });
    }
  },
  update: async (patch) => {
    const keys = keysOf(patch);
    set((state) => ({
      saving: { ...state.saving, ...Object.fromEntries(keys.map((k) => [k, true])) },
    }));
    try {
      const settings = await getBridge().invoke('settings.set', patch);
      set((state) => ({ settings, errors: without(state.errors, keys) }));
      return true;
    } catch (error) {
      const message = messageOf(error);
      const fields = error instanceof AtelierError ? error.fields : undefined;
      set((state) => {
        const errors = { ...state.errors };
        // The core's whole sentence goes next to every setting the change touched; when it names
        // fields, only those.
        const named = fields ? keys.filter((key) => key in fields) : [];
        for (const key of named.length > 0 ? named : keys) {
          const field = fields?.[key];
          errors[key] = field === undefined ? { message } : { message, field };
        }
        return { errors };
      });
      return false;
    } finally {
      set((state) => ({ saving: without(state.saving, keys) }));
    }
  },
  clearError: (key) => set((state) => ({ errors: without(state.errors, [key]) })),
  received: (settings) => set({ settings, loadError: null }),
}));
