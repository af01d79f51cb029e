/**
 * Names of the IPC channels the Electron shell uses. Kept apart from api.ts (which needs zod) so the
 * sandboxed preload can import them and still bundle to one file that requires only 'electron'.
 */
export const IPC_INVOKE_CHANNEL = 'atelier:invoke';
export const IPC_EVENT_CHANNEL = 'atelier:event';
