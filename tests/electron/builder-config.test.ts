/**
 * electron-builder.yml, checked without building or downloading anything: against electron-builder's
 * own JSON schema (ajv + app-builder-lib/scheme.json) and its own validator, and for the settings
 * that matter for security and for the native modules.
 */
import { Ajv } from 'ajv';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, matchesGlob, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util/out/DebugLogger';

const require = createRequire(import.meta.url);
const root = process.cwd();

/** The config as electron-builder loads it (normalized, e.g. files -> [{ filter }]). */
async function loadConfig(): Promise<Configuration> {
  return getConfig(root, join(root, 'electron-builder.yml'), null);
}

/** The YAML file as written (js-yaml is the parser electron-builder itself uses). */
function rawConfig(): unknown {
  const yaml = require('js-yaml') as { load(text: string): unknown };
  return yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
}

let compiled: ReturnType<Ajv['compile']> | undefined;
function schemaValidator(): ReturnType<Ajv['compile']> {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(
    require('app-builder-lib/scheme.json') as object,
  );
  return compiled;
}

/** Every file under dir (relative to the project), following no symlinks. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(relative(root, full));
    }
  };
  walk(dir);
  return out;
}

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s schema (ajv) and its own validator', async () => {
    const validate = schemaValidator();
    const raw = rawConfig();
    expect(validate(raw), JSON.stringify(validate.errors)).toBe(true);
    const config = await loadConfig();
    expect(validate(JSON.parse(JSON.stringify(config))), JSON.stringify(validate.errors)).toBe(
      true,
    );
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('would catch a mistake (the schema is really applied)', () => {
    const validate = schemaValidator();
    expect(validate({ linux: { targt: ['deb'] } })).toBe(false);
    expect(validate({ electronFuses: { runAsNod: false } })).toBe(false);
  });

  it('sets the Electron fuses', async () => {
    const config = await loadConfig();
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('names the app and packs the built app into asar', () => {
    const config = rawConfig() as Configuration;
    expect(config.appId).toBe('ai.atelier.app');
    expect(config.productName).toBe('Atelier');
    expect(config.asar).toBe(true);
    expect(config.directories).toMatchObject({ buildResources: 'build', output: 'release' });
    expect(config.files).toEqual(expect.arrayContaining(['dist/**/*', 'package.json']));
  });

  it('has the installers for each platform', async () => {
    const config = await loadConfig();
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.mac?.hardenedRuntime).toBe(true);
    expect(config.mac?.entitlements).toBe('build/entitlements.mac.plist');
    expect(statSync(join(root, 'build/entitlements.mac.plist')).isFile()).toBe(true);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({
      oneClick: false,
      perMachine: false,
      allowToChangeInstallationDirectory: true,
      createDesktopShortcut: true,
    });
  });

  it('has a 1024x1024 icon made from the SVG source', async () => {
    const sharp = (await import('sharp')).default;
    const meta = await sharp(join(root, 'build/icon.png')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1024, 1024]);
    expect(statSync(join(root, 'build/icon.svg')).isFile()).toBe(true);
  });

  it('unpacks every native binary of sharp and the keychain from asar', async () => {
    const config = await loadConfig();
    const globs = [config.asarUnpack ?? []].flat();
    const natives = ['node_modules/sharp', 'node_modules/@img', 'node_modules/@napi-rs']
      .filter((dir) => {
        try {
          return statSync(join(root, dir)).isDirectory();
        } catch {
          return false;
        }
      })
      .flatMap((dir) => filesUnder(join(root, dir)))
      .filter((file) => /\.node$|\.so(\.\d+)*$|\.dylib$|\.dll$/.test(file));
    expect(natives.length).toBeGreaterThan(0);
    const packed = natives.filter((file) => !globs.some((glob) => matchesGlob(file, glob)));
    expect(packed).toEqual([]);
  });
});

describe('electron-builder.yml for a desktop app', () => {
  it('makes every platform’s icon from the one 1024 PNG (big enough for .icns and .ico)', async () => {
    const config = await loadConfig();
    for (const platform of [config.mac, config.win, config.linux]) {
      expect(platform?.icon).toBe('build/icon.png');
    }
    const sharp = (await import('sharp')).default;
    const meta = await sharp(join(root, 'build/icon.png')).metadata();
    // electron-builder needs at least 512x512 for the macOS .icns and 256x256 for the .ico.
    expect(Math.min(meta.width, meta.height)).toBeGreaterThanOrEqual(512);
  });

  it('offers "Open with Atelier" for PNG, JPEG and WebP without becoming the default viewer', async () => {
    const config = await loadConfig();
    const associations = [config.fileAssociations ?? []].flat();
    const exts = associations.flatMap((association) => [association.ext].flat());
    expect(exts.sort()).toEqual(['jpeg', 'jpg', 'png', 'webp']);
    for (const association of associations) {
      expect(association.mimeType).toMatch(/^image\/(png|jpeg|webp)$/);
      expect(association.rank).toBe('Alternate');
      expect(association.role).toBe('Viewer');
    }
  });

  it('the associated extensions are exactly the ones the shell opens', async () => {
    const { OPENABLE_EXTENSIONS } = await import('../../electron/shell/os');
    const config = await loadConfig();
    const exts = [config.fileAssociations ?? []].flat().flatMap((a) => [a.ext].flat());
    expect([...exts].sort()).toEqual([...OPENABLE_EXTENSIONS].sort());
  });

  it('publishes to GitHub releases for electron-updater, with clearly named placeholders', () => {
    const config = rawConfig() as Configuration;
    expect(config.publish).toMatchObject({
      provider: 'github',
      owner: expect.stringMatching(/^REPLACE-WITH-/) as unknown,
      repo: expect.stringMatching(/^REPLACE-WITH-/) as unknown,
    });
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    // A runtime dependency, so electron-builder packs it into the app.
    expect(pkg.dependencies['electron-updater']).toBeDefined();
  });
});

describe('what the packaged app carries in node_modules', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  /** The packages the Node side imports; its bundle leaves them in node_modules (external). */
  function nodeSideImports(): Set<string> {
    const names = new Set<string>();
    const files = [...filesUnder(join(root, 'electron')), ...filesUnder(join(root, 'shared'))];
    for (const file of files.filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const [, spec] of text.matchAll(
        /(?:^\s*(?:import|export)\s[^;]*?\sfrom\s*|\bimport\(\s*)'([^'.][^']*)'/gm,
      )) {
        if (spec === undefined || spec.startsWith('node:') || spec === 'electron') continue;
        const parts = spec.split('/');
        names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec));
      }
    }
    return names;
  }

  it('has every package the main process and the browser shell import as a dependency', () => {
    const imported = nodeSideImports();
    expect(imported).toContain('sharp');
    expect(imported).toContain('electron-updater');
    for (const name of imported) expect(pkg.dependencies, name).toHaveProperty([name]);
  });

  it('leaves out what Vite bundles into the renderer (it would ship twice)', () => {
    for (const name of ['react', 'react-dom', 'zustand', '@tanstack/react-virtual']) {
      expect(pkg.dependencies, name).not.toHaveProperty([name]);
      expect(pkg.devDependencies, name).toHaveProperty([name]);
      expect(nodeSideImports()).not.toContain(name);
    }
  });
});
