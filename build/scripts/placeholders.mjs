// The `REPLACE-WITH-` placeholders electron-builder.yml leaves for the project to fill in (today the
// GitHub owner and repository that publish releases). A build made with one would point the
// updater at a release feed nobody owns: whoever registers that name could ship updates to every
// installed copy. `npm run dist` (dist.mjs) refuses to package while any is left.
//
// Also a command: `node build/scripts/placeholders.mjs [projectDir]` says so and exits 1.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PLACEHOLDER_MARK = 'REPLACE-WITH-';

/** Larger files in the resources folder are images or binaries, not configuration. */
const MAX_TEXT_BYTES = 1024 * 1024;

/**
 * Everything electron-builder reads its configuration from: electron-builder.yml (and its .env),
 * package.json, and the files at the top of the build resources folder (entitlements, installer
 * scripts, licences); binaries are skipped.
 */
export function packagingFiles(projectRoot) {
  const files = ['electron-builder.yml', 'electron-builder.env', 'package.json'].map((name) =>
    join(projectRoot, name),
  );
  const resources = join(projectRoot, 'build');
  let entries = [];
  try {
    entries = readdirSync(resources, { withFileTypes: true });
  } catch {
    // No resources folder: nothing more to read.
  }
  for (const entry of entries) {
    if (entry.isFile()) files.push(join(resources, entry.name));
  }
  return files;
}

function readText(file) {
  try {
    const stats = statSync(file);
    if (!stats.isFile() || stats.size > MAX_TEXT_BYTES) return null;
    const bytes = readFileSync(file);
    return bytes.includes(0) ? null : bytes.toString('utf8');
  } catch {
    return null;
  }
}

/** Every placeholder left, as { where, value } (where: `file:line`, or `argument N`). */
export function findPlaceholders(projectRoot, args = []) {
  const found = [];
  const pattern = new RegExp(`${PLACEHOLDER_MARK}[A-Za-z0-9_-]*`, 'g');
  for (const file of packagingFiles(projectRoot)) {
    const text = readText(file);
    if (text === null) continue;
    text.split('\n').forEach((line, index) => {
      for (const match of line.matchAll(pattern)) {
        found.push({ where: `${relative(projectRoot, file)}:${index + 1}`, value: match[0] });
      }
    });
  }
  args.forEach((arg, index) => {
    for (const match of String(arg).matchAll(pattern)) {
      found.push({ where: `argument ${index + 1}`, value: match[0] });
    }
  });
  return found;
}

/** The sentence that refuses to package, or null when no placeholder is left. */
export function placeholderProblem(projectRoot, args = []) {
  const found = findPlaceholders(projectRoot, args);
  if (found.length === 0) return null;
  const shown = found
    .slice(0, 4)
    .map(({ where, value }) => `${value} (${where})`)
    .join(', ');
  const more = found.length > 4 ? ` and ${found.length - 4} more` : '';
  return (
    `Atelier will not be packaged while the configuration still holds placeholders: ${shown}${more}; ` +
    `replace each with the real value (for \`publish\` in electron-builder.yml, the GitHub owner and repository that publish the releases; see docs/install.md), then run \`npm run dist\` again.`
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const problem = placeholderProblem(process.argv[2] ?? process.cwd());
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
