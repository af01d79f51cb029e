import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { defaultDataDir, resolveDataDir } from '../../../electron/core/settings';

describe('defaultDataDir', () => {
  it('uses Application Support on macOS', () => {
    expect(defaultDataDir('darwin', {}, '/Users/ada')).toBe(
      '/Users/ada/Library/Application Support/Atelier',
    );
  });

  it('uses %APPDATA% on Windows, with a fallback under the home folder', () => {
    expect(
      defaultDataDir('win32', { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'C:\\Users\\ada'),
    ).toBe('C:\\Users\\ada\\AppData\\Roaming\\Atelier');
    expect(defaultDataDir('win32', {}, 'C:\\Users\\ada')).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\Atelier',
    );
  });

  it('uses $XDG_CONFIG_HOME on Linux when absolute, else ~/.config', () => {
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/ada')).toBe('/cfg/Atelier');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: 'relative' }, '/home/ada')).toBe(
      '/home/ada/.config/Atelier',
    );
    expect(defaultDataDir('linux', {}, '/home/ada')).toBe('/home/ada/.config/Atelier');
  });
});

describe('resolveDataDir', () => {
  it('prefers ATELIER_DATA_DIR over the shell choice and the OS default', () => {
    expect(
      resolveDataDir({ env: { ATELIER_DATA_DIR: '/tmp/x' }, dataDir: '/electron/userData' }),
    ).toBe(path.resolve('/tmp/x'));
  });

  it('uses the shell choice when ATELIER_DATA_DIR is absent or empty', () => {
    expect(resolveDataDir({ env: { ATELIER_DATA_DIR: ' ' }, dataDir: '/electron/userData' })).toBe(
      path.resolve('/electron/userData'),
    );
  });

  it('falls back to the OS folder', () => {
    expect(resolveDataDir({ env: {}, platform: 'linux', home: '/home/ada' })).toBe(
      '/home/ada/.config/Atelier',
    );
  });
});
