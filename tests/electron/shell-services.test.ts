/**
 * The core's hook for the desktop shell's services (electron/core/host/shell-services.ts), through
 * the real host and its dispatch: dialogs, reveal and drag out go to the services the shell passes
 * in, nothing outside the library can be dragged, and without services the calls say plainly that
 * they only work in the desktop app.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHost, type Host, type ShellServices } from '../../electron/core/host';
import { libraryImagePath } from '../../electron/core/host/shell-services';
import { createMemoryVault } from '../../electron/core/vault';

let root: string;
let library: string;
const hosts: Host[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'atelier-shell-services-'));
  library = join(root, 'library');
  mkdirSync(join(library, '2026-11'), { recursive: true });
  writeFileSync(join(library, '2026-11', 'cat.png'), 'png');
  writeFileSync(join(root, 'outside.png'), 'png');
  writeFileSync(join(library, 'notes.txt'), 'text');
});
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
  rmSync(root, { recursive: true, force: true });
});

function fakeServices() {
  return {
    openImage: vi.fn((_options: { multiple: boolean }) =>
      Promise.resolve([join(library, '2026-11', 'real.png')]),
    ),
    saveImage: vi.fn((_options: { suggestedName: string }) => Promise.resolve('/pictures/b.png')),
    chooseFolder: vi.fn((_options: { title?: string }) => Promise.resolve<string | null>(null)),
    reveal: vi.fn((_path: string) => undefined),
    startDrag: vi.fn((_path: string) => undefined),
    copyImage: vi.fn((_png: Uint8Array) => Promise.resolve()),
  };
}

async function host(shellServices?: ShellServices): Promise<Host> {
  const created = await createHost({
    shell: shellServices ? 'electron' : 'browser',
    version: '0.0.0-test',
    dataDir: join(root, 'data'),
    env: {},
    libraryDir: library,
    log: () => undefined,
    vault: createMemoryVault(),
    ...(shellServices ? { shellServices } : {}),
  });
  hosts.push(created);
  return created;
}

describe('shell services through the host', () => {
  it('answers the dialogs with what the desktop shell chose; opened images come staged', async () => {
    writeFileSync(
      join(library, '2026-11', 'real.png'),
      await sharp({ create: { width: 6, height: 4, channels: 3, background: '#808080' } })
        .png()
        .toBuffer(),
    );
    const services = fakeServices();
    const { dispatch } = await host(services);
    const opened = await dispatch('dialog.openImage', { multiple: true });
    expect(opened).toMatchObject({
      ok: true,
      value: { inputs: [{ name: 'real.png', width: 6, height: 4, format: 'png' }] },
    });
    // The page learns what the picture is, never where it is.
    expect(JSON.stringify(opened)).not.toContain(library);
    expect(services.openImage).toHaveBeenCalledWith({ multiple: true });
    expect(await dispatch('dialog.saveImage', { suggestedName: 'b.png' })).toEqual({
      ok: true,
      value: { path: '/pictures/b.png' },
    });
    expect(await dispatch('dialog.chooseFolder', {})).toEqual({ ok: true, value: { path: null } });
  });

  it('in the desktop app, a library folder comes from the folder dialog, never from the page', async () => {
    const services = fakeServices();
    const chosen = join(root, 'chosen');
    services.chooseFolder.mockResolvedValueOnce(chosen);
    const { dispatch } = await host(services);
    for (const [call, request] of [
      ['settings.set', { libraryDir: '/etc' }],
      ['settings.set', { libraryDir: join(root, 'made-up') }],
      ['library.move', { to: join(root, 'made-up') }],
    ] as const) {
      const refused = await dispatch(call, request);
      expect(refused, call).toMatchObject({ ok: false, error: { code: 'choose_folder' } });
      if (!refused.ok) expect(refused.error.message).toMatch(/Choose…/);
    }
    expect(await dispatch('dialog.chooseFolder', {})).toEqual({
      ok: true,
      value: { path: chosen },
    });
    expect(await dispatch('settings.set', { libraryDir: chosen })).toMatchObject({
      ok: true,
      value: { libraryDir: chosen },
    });
    // Back to the default is always allowed.
    expect(await dispatch('settings.set', { libraryDir: null })).toMatchObject({ ok: true });
  });

  it('in the browser shell, the person types the library folder', async () => {
    const { dispatch } = await host();
    const typed = join(root, 'typed');
    expect(await dispatch('settings.set', { libraryDir: typed })).toMatchObject({
      ok: true,
      value: { libraryDir: typed },
    });
  });

  it('reveals the library folder', async () => {
    const services = fakeServices();
    const { dispatch } = await host(services);
    expect(await dispatch('app.revealLibrary', {})).toEqual({ ok: true, value: {} });
    expect(services.reveal).toHaveBeenCalledWith(library);
  });

  it('drags a library image, and refuses anything outside the library or not an image', async () => {
    const services = fakeServices();
    const { dispatch } = await host(services);
    expect(await dispatch('app.startDrag', { path: '2026-11/cat.png' })).toEqual({
      ok: true,
      value: {},
    });
    expect(services.startDrag).toHaveBeenCalledTimes(1);
    expect(String(services.startDrag.mock.calls[0]?.[0])).toMatch(/2026-11[\\/]cat\.png$/);
    for (const path of [
      '../outside.png',
      '2026-11/../../outside.png',
      join(root, 'outside.png'),
      'notes.txt',
      '2026-11/missing.png',
    ]) {
      const result = await dispatch('app.startDrag', { path });
      expect(result.ok, path).toBe(false);
      if (!result.ok)
        expect(result.error.message).toMatch(/only do that with pictures that are in its library/);
    }
    expect(services.startDrag).toHaveBeenCalledTimes(1);
  });

  it('copies a library image to the clipboard as PNG: a PNG as it is, a WebP converted', async () => {
    const png = await sharp({
      create: { width: 3, height: 2, channels: 3, background: { r: 200, g: 10, b: 10 } },
    })
      .png()
      .toBuffer();
    writeFileSync(join(library, '2026-11', 'red.png'), png);
    writeFileSync(
      join(library, '2026-11', 'red.webp'),
      await sharp(png).webp({ lossless: true }).toBuffer(),
    );
    const services = fakeServices();
    const { dispatch } = await host(services);
    expect(await dispatch('app.copyImage', { path: '2026-11/red.png' })).toEqual({
      ok: true,
      value: {},
    });
    expect(Buffer.from(services.copyImage.mock.calls[0]?.[0] ?? []).equals(png)).toBe(true);

    expect(await dispatch('app.copyImage', { path: '2026-11/red.webp' })).toMatchObject({
      ok: true,
    });
    const converted = Buffer.from(services.copyImage.mock.calls[1]?.[0] ?? []);
    expect(await sharp(converted).metadata()).toMatchObject({ format: 'png', width: 3, height: 2 });

    for (const path of ['../outside.png', join(root, 'outside.png'), 'notes.txt']) {
      expect((await dispatch('app.copyImage', { path })).ok, path).toBe(false);
    }
    expect(services.copyImage).toHaveBeenCalledTimes(2);
  });

  it('says so in a sentence when the clipboard refuses the picture', async () => {
    writeFileSync(join(library, '2026-11', 'broken.webp'), 'not a picture');
    const services = fakeServices();
    services.copyImage.mockRejectedValueOnce(new Error('clipboard busy'));
    const { dispatch } = await host(services);
    for (const path of ['2026-11/cat.png', '2026-11/broken.webp']) {
      const result = await dispatch('app.copyImage', { path });
      expect(result).toMatchObject({ ok: false, error: { code: 'copy_failed' } });
      if (!result.ok) expect(result.error.message).toMatch(/could not be copied/);
    }
  });

  it('refuses a link inside the library that leads outside it', async () => {
    symlinkSync(join(root, 'outside.png'), join(library, 'link.png'));
    await expect(libraryImagePath(library, 'link.png')).rejects.toThrow(/in its library/);
    await expect(libraryImagePath(library, '2026-11/cat.png')).resolves.toMatch(/cat\.png$/);
  });

  it('answers not_available with a sentence in the browser shell', async () => {
    const { dispatch } = await host();
    for (const [call, request] of [
      ['dialog.openImage', {}],
      ['dialog.saveImage', { suggestedName: 'a.png' }],
      ['dialog.chooseFolder', {}],
      ['app.revealLibrary', {}],
      ['app.startDrag', { path: '2026-11/cat.png' }],
      ['app.copyImage', { path: '2026-11/cat.png' }],
    ] as const) {
      const result = await dispatch(call, request);
      expect(result).toMatchObject({ ok: false, error: { code: 'not_available' } });
      if (!result.ok) expect(result.error.message).toMatch(/only works in the Atelier desktop app/);
    }
  });
});
