/** The person's settings, kept by the core in the per-user data folder. */
import { z } from 'zod';
import { API_ADDRESS_RULE, isAllowedApiAddress } from '../api-address';
import { Empty } from './common';

export const ThemeChoice = z.enum(['system', 'light', 'dark']);
export type ThemeChoice = z.infer<typeof ThemeChoice>;

/** An address the API key may go to (see shared/api-address.ts): https, or http on this computer. */
export const BaseUrl = z.string().max(2048).refine(isAllowedApiAddress, API_ADDRESS_RULE);

export const Settings = z.object({
  /** Light, dark, or follow the operating system. */
  theme: ThemeChoice,
  /** Another base URL for the Stability API (advanced); null means the default or STABILITY_API_BASE. */
  apiBaseUrl: BaseUrl.nullable(),
  /** The library folder; null means the default (the OS Pictures folder / Atelier). */
  libraryDir: z
    .string()
    .min(1)
    .max(4096)
    .refine(
      (value) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(value),
      'must be a full folder path, such as /Users/you/Pictures/Atelier or C:\\Users\\you\\Pictures\\Atelier',
    )
    .nullable(),
  /** When on, every request goes to the local Sandbox: no key, no cost, generated patterns. */
  sandboxMode: z.boolean(),
  /** How many jobs run at once. */
  concurrency: z.number().int().min(1).max(8),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  apiBaseUrl: null,
  libraryDir: null,
  sandboxMode: false,
  concurrency: 4,
};

/** A change to some settings; unknown keys are refused. */
export const SettingsPatch = Settings.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const settingsCalls = {
  'settings.get': { request: Empty, response: Settings },
  /** Change some settings; answers with all settings after the change. */
  'settings.set': { request: SettingsPatch, response: Settings },
} as const;

export const settingsEvents = {
  /** Settings changed (by this window, another window, or the core). */
  'settings.changed': Settings,
} as const;
