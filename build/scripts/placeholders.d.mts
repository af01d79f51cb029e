// Types for what tests import from placeholders.mjs (the script itself is plain JavaScript).
export const PLACEHOLDER_MARK: string;
/** Everything electron-builder reads its configuration from (that exists or not). */
export function packagingFiles(projectRoot: string): string[];
/** Every placeholder left, as { where, value } (where: `file:line`, or `argument N`). */
export function findPlaceholders(
  projectRoot: string,
  args?: readonly string[],
): { where: string; value: string }[];
/** The sentence that refuses to package, or null when no placeholder is left. */
export function placeholderProblem(projectRoot: string, args?: readonly string[]): string | null;
