// Types for what tests import from start.mjs (the scripts themselves are plain JavaScript).
/** The path of the Electron executable in node_modules, or null when it is not there. */
export function electronBinary(projectRoot?: string): string | null;
export const ELECTRON_MISSING: string;
