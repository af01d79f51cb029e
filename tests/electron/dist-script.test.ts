/**
 * build/scripts/dist.mjs (`npm run dist`), run for real on a copy of the project's scripts in a
 * temporary project (so the copy's configuration is the one read): it refuses `REPLACE-WITH-`
 * placeholders anywhere electron-builder reads its configuration, and where the Electron binary is
 * missing it says so; each in one sentence, with the fix, and exit 1, before building anything.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findPlaceholders, placeholderProblem } from '../../build/scripts/placeholders.mjs';

const SCRIPTS = ['dist.mjs', 'start.mjs', 'placeholders.mjs'];
const PLACEHOLDER_PUBLISH =
  'publish:\n  provider: github\n  owner: REPLACE-WITH-GITHUB-OWNER\n  repo: REPLACE-WITH-GITHUB-REPO\n';
const REAL_PUBLISH = 'publish:\n  provider: github\n  owner: atelier-app\n  repo: atelier\n';

let project: string;
let noElectron: string;

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'atelier-dist-'));
  noElectron = join(project, 'no-electron');
  mkdirSync(noElectron);
  mkdirSync(join(project, 'build', 'scripts'), { recursive: true });
  for (const script of SCRIPTS) {
    copyFileSync(join('build', 'scripts', script), join(project, 'build', 'scripts', script));
  }
  copyFileSync('build/entitlements.mac.plist', join(project, 'build', 'entitlements.mac.plist'));
  copyFileSync('build/icon.png', join(project, 'build', 'icon.png'));
  writeFileSync(join(project, 'package.json'), readFileSync('package.json'));
});

afterEach(() => rmSync(project, { recursive: true, force: true }));

/** The project's electron-builder.yml with its `publish` block replaced. */
function writeConfig(publish: string): void {
  const real = readFileSync('electron-builder.yml', 'utf8');
  const withoutPublish = real.replace(/^publish:\n(?: {2}.*\n)+/m, '');
  expect(withoutPublish).not.toContain('REPLACE-WITH-');
  writeFileSync(join(project, 'electron-builder.yml'), `${withoutPublish}${publish}`);
}

function dist(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [join(project, 'build', 'scripts', 'dist.mjs'), ...args],
    {
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: noElectron },
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  return { status: result.status, stdout: result.stdout, lines: result.stderr.trim().split('\n') };
}

/** dist.mjs stopped with exit 1 and said one sentence (and nothing on stdout). */
function expectRefusal(result: ReturnType<typeof dist>, sentence: RegExp): void {
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.lines).toHaveLength(1);
  expect(result.lines[0]).toMatch(sentence);
}

describe('npm run dist', () => {
  it('refuses a configuration with REPLACE-WITH- placeholders: one sentence naming each, exit 1', () => {
    writeConfig(PLACEHOLDER_PUBLISH);
    expectRefusal(
      dist(),
      /^Atelier will not be packaged while the configuration still holds placeholders: REPLACE-WITH-GITHUB-OWNER \(electron-builder\.yml:\d+\), REPLACE-WITH-GITHUB-REPO \(electron-builder\.yml:\d+\); replace each .*`npm run dist` again\.$/,
    );
  });

  it('passes a configuration with no placeholder on to packaging (here: no Electron binary)', () => {
    writeConfig(REAL_PUBLISH);
    expectRefusal(
      dist(),
      /^Atelier cannot be packaged here because the Electron binary is not installed .*`npm install` while online.*\.$/,
    );
  });

  it('refuses a placeholder in package.json, in the build resources or in an argument too', () => {
    writeConfig(REAL_PUBLISH);
    expect(dist('--config.publish.owner=REPLACE-WITH-OWNER').lines[0]).toMatch(
      /placeholders: REPLACE-WITH-OWNER \(argument 1\);/,
    );

    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, unknown>;
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ ...pkg, homepage: 'https://REPLACE-WITH-HOST/atelier' }),
    );
    expect(dist().lines[0]).toMatch(/placeholders: REPLACE-WITH-HOST \(package\.json:1\);/);

    writeFileSync(join(project, 'package.json'), readFileSync('package.json'));
    writeFileSync(join(project, 'build', 'installer.nsh'), '!define PUBLISHER REPLACE-WITH-NAME\n');
    expect(dist().lines[0]).toMatch(/REPLACE-WITH-NAME \(build\/installer\.nsh:1\)/);
  });
});

describe('the placeholder check', () => {
  it('finds each placeholder with its file and line, and nothing in a real configuration', () => {
    writeConfig(PLACEHOLDER_PUBLISH);
    const found = findPlaceholders(project);
    expect(found.map((f) => f.value)).toEqual([
      'REPLACE-WITH-GITHUB-OWNER',
      'REPLACE-WITH-GITHUB-REPO',
    ]);
    expect(found[0]?.where).toMatch(/^electron-builder\.yml:\d+$/);

    writeConfig(REAL_PUBLISH);
    expect(findPlaceholders(project)).toEqual([]);
    expect(placeholderProblem(project)).toBeNull();
  });

  it('names the first four and counts the rest, in one sentence', () => {
    writeConfig(REAL_PUBLISH);
    const args = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `--c.${x}=REPLACE-WITH-${x}`);
    const problem = placeholderProblem(project, args) ?? '';
    expect(problem).toContain('REPLACE-WITH-d (argument 4) and 2 more;');
    expect(problem.split('\n')).toHaveLength(1);
  });
});
