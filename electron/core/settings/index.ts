export {
  defaultDataDir,
  defaultLibraryDir,
  resolveDataDir,
  APP_FOLDER_NAME,
  SETTINGS_FILE_NAME,
} from './paths';
export type { DataDirOptions } from './paths';
export { openSettings, reasonOf } from './store';
export type { OpenSettingsOptions, SettingsRecovery, SettingsStore } from './store';
