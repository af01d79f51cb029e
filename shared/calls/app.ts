/** Calls about the app itself: who it is, and a round trip through the transport. */
import { z } from 'zod';
import { Empty } from './common';

export const ShellKind = z.enum(['electron', 'browser']);
export type ShellKind = z.infer<typeof ShellKind>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  shell: ShellKind,
  /** process.platform of the core: 'darwin' | 'win32' | 'linux' | ... */
  platform: z.string(),
  /** Where settings live (the per-user app data folder, or ATELIER_DATA_DIR). */
  dataDir: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appCalls = {
  /** Name, version, which shell, platform. */
  'app.info': { request: Empty, response: AppInfo },
  /** A round trip through the transport; the core answers with the same message. */
  'app.ping': {
    request: z.object({ message: z.string().max(1000) }).strict(),
    response: z.object({ message: z.string(), receivedAt: z.number() }),
  },
} as const;
