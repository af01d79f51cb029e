// `node build/scripts/security-scan.mjs`: the static Electron security scan of electron/ (run by
// `npm test`). It runs @doyensec/electronegativity's checks and fails (exit 1) on every finding
// that is not justified.
//
// A finding is justified by a comment on its line or on one of the 3 lines above it:
//     // electronegativity-justified: CHECK_ID — why this is safe
// or by an entry in ALLOWLIST below (with its reason). The reason is required.
//
// Electronegativity's own CLI fetches translations and Electron's release list from GitHub and
// crashes when it cannot (see docs in toolchain-notes); so this wrapper runs its scanner in process
// with the bundled English texts and without the one check that needs the network
// (AvailableSecurityFixesGlobalCheck). Nothing here touches the network; a watchdog ends the scan
// after 60 s.
//
// Options: --input DIR (default electron), --sarif FILE (also write the findings as SARIF).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

/** Checks that need the network; everything else runs. */
const NETWORK_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

/**
 * Findings justified here rather than beside the code: { id, file (relative to the input folder,
 * or omitted for any file), reason }.
 */
const ALLOWLIST = [];

/** Folders that never import 'electron': a file there that the scanner cannot parse is a warning. */
const NON_ELECTRON_DIRS = ['core/', 'web/'];

const JUSTIFIED = /electronegativity-justified:\s*([A-Z0-9_]+)\s*(?:—|–|-|:)\s*(\S.{9,})/;
const TIMEOUT_MS = 60_000;

function arg(name, fallback) {
  const index = process.argv.indexOf(name);
  return index > 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const input = resolve(root, arg('--input', 'electron'));
const sarif = process.argv.includes('--sarif') ? resolve(arg('--sarif', 'findings.sarif')) : null;

const watchdog = setTimeout(() => {
  console.error(
    'The Electron security scan did not finish within 60 s, so it was stopped. Run it again; if it keeps happening, run it alone with `node build/scripts/security-scan.mjs`.',
  );
  process.exit(1);
}, TIMEOUT_MS);

/** Loads electronegativity's runner with local English texts instead of its network fetch. */
function loadRunner() {
  const pkgDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));
  const dist = join(pkgDir, 'dist');
  const localRequire = createRequire(join(dist, 'index.js'));
  const i18n = localRequire('i18n');
  const i18nModule = localRequire.resolve('./locales/i18n.js');
  localRequire(i18nModule);
  localRequire.cache[i18nModule].exports = async () => {
    i18n.configure({
      locales: ['en-US'],
      defaultLocale: 'en-US',
      directory: join(dist, 'locales'),
      updateFiles: false,
      objectNotation: true,
      retryInDefaultLocale: true,
      register: globalThis,
    });
    i18n.setLocale('en-US');
  };
  const runner = localRequire('./runner.js');
  return typeof runner === 'function' ? runner : runner.default;
}

function electronVersion() {
  try {
    const pkg = require(join(root, 'node_modules', 'electron', 'package.json'));
    return pkg.version;
  } catch {
    const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    return String(own.devDependencies?.electron ?? '45.0.0').replace(/^[^\d]*/, '');
  }
}

/** The justification of a finding beside the code, or from the allowlist, or null. */
function justification(issue) {
  const listed = ALLOWLIST.find(
    (entry) => entry.id === issue.id && (entry.file === undefined || entry.file === issue.file),
  );
  if (listed) return `${listed.reason} (allowlist)`;
  const line = issue.location?.line;
  const file = join(input, issue.file ?? '');
  if (!issue.file || !line || !existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let n = line; n >= Math.max(1, line - 3); n -= 1) {
    const match = JUSTIFIED.exec(lines[n - 1] ?? '');
    if (match && match[1] === issue.id) return match[2].trim();
  }
  return null;
}

function table(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  '))
    .join('\n');
}

const run = loadRunner();
const result = await run(
  {
    input,
    output: sarif ?? undefined,
    isSarif: sarif !== null,
    customScan: [],
    excludeFromScan: NETWORK_CHECKS,
    isRelative: true,
    isVerbose: false,
    electronVersionOverride: electronVersion(),
    parserPlugins: [],
  },
  false,
);
clearTimeout(watchdog);

const problems = [];
for (const error of result.errors) {
  const file = relative(input, error.file);
  if (error.tolerable) continue;
  if (NON_ELECTRON_DIRS.some((dir) => file.startsWith(dir))) {
    console.log(
      `warning: the scanner could not parse ${relative(root, error.file)} (${error.message}); that folder never imports electron.`,
    );
  } else {
    problems.push(
      `The scanner could not parse ${relative(root, error.file)} (${error.message}), so it was not checked.`,
    );
  }
}

const rows = [['check', 'where', 'severity', 'status']];
let unjustified = 0;
for (const issue of result.issues) {
  const reason = justification(issue);
  if (!reason) unjustified += 1;
  rows.push([
    issue.id,
    `${relative(root, join(input, issue.file ?? ''))}:${issue.location?.line ?? '?'}`,
    `${issue.severity?.name ?? '?'}/${issue.confidence?.name ?? '?'}`,
    reason
      ? `justified: ${reason.length > 70 ? `${reason.slice(0, 69)}…` : reason}`
      : 'NOT JUSTIFIED',
  ]);
}

console.log(
  `Electron security scan of ${relative(root, input)}/ (electronegativity, ${result.atomicChecks} atomic + ${result.globalChecks} global checks; skipped for needing the network: ${NETWORK_CHECKS.join(', ')})`,
);
if (result.issues.length > 0) console.log(table(rows));
else console.log('No findings.');
for (const problem of problems) console.error(problem);

if (result.atomicChecks === 0) {
  console.error('The scanner loaded no checks, so nothing was scanned. Reinstall with `npm ci`.');
  process.exit(1);
}
if (unjustified > 0 || problems.length > 0) {
  console.error(
    `${unjustified} finding(s) not justified: fix each one, or explain beside the code why it is safe with "// electronegativity-justified: CHECK_ID — reason".`,
  );
  process.exit(1);
}
console.log(`${result.issues.length} finding(s), all justified.`);
process.exit(0);
