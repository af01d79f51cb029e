import { create } from 'zustand';
import { INTERNAL_ERROR_MESSAGE, type AppInfo } from '../../shared/api';
import type { ConnectionState } from '../transport';
import { getBridge } from './bridge';

interface AppState {
  connection: ConnectionState;
  info: AppInfo | null;
  /** A plain sentence when app.info failed; null otherwise. */
  infoError: string | null;
  loadInfo: () => Promise<void>;
  reconnect: () => void;
}

export const useApp = create<AppState>()((set) => ({
  connection: { status: 'connecting', message: null },
  info: null,
  infoError: null,
  loadInfo: async () => {
    try {
      const info = await getBridge().invoke('app.info', {});
      set({ info, infoError: null });
    } catch (error) {
      set({ infoError: messageOf(error) });
    }
  },
  reconnect: () => getBridge().reconnect(),
}));

/** The person-facing sentence of any failure (AtelierError messages already are sentences). */
export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return INTERNAL_ERROR_MESSAGE;
}
