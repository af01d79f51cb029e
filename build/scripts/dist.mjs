// `npm run dist`: builds the app and packages it with electron-builder for this platform
// (Linux: AppImage + deb; macOS: dmg; Windows: nsis; see electron-builder.yml) into release/.
// It refuses, in one sentence and with exit 1, a configuration that still holds `REPLACE-WITH-`
// placeholders (see placeholders.mjs: the updater would trust a release feed nobody owns).
// Packaging needs the Electron binary: where it is missing, this says so in one sentence and exits 1.
// Extra arguments go to electron-builder (e.g. `npm run dist -- --x64`).
import { spawnSync } from 'node:child_process';
import { placeholderProblem } from './placeholders.mjs';
import { electronBinary, electronDistDir, root } from './start.mjs';

const placeholders = placeholderProblem(root, process.argv.slice(2));
if (placeholders) {
  console.error(placeholders);
  process.exit(1);
}

const binary = electronBinary();
if (!binary) {
  console.error(
    'Atelier cannot be packaged here because the Electron binary is not installed on this machine (its download needs network access): run `npm install` while online, then `npm run dist` again.',
  );
  process.exit(1);
}

const platformFlag = { darwin: '--mac', win32: '--win', linux: '--linux' }[process.platform];
if (!platformFlag) {
  console.error(
    `Atelier has no installer for ${process.platform}; build on Linux, macOS or Windows.`,
  );
  process.exit(1);
}

function run(command, args) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run('npm', ['run', '--silent', 'build']);
// The unpacked Electron next to the binary we found (node_modules/electron/dist), so nothing is
// downloaded again; --publish never: releases are published on purpose, not by a local build.
run('npx', [
  '--no-install',
  'electron-builder',
  platformFlag,
  '--publish',
  'never',
  `--config.electronDist=${electronDistDir()}`,
  ...process.argv.slice(2),
]);
console.log('The installers are in release/.');
