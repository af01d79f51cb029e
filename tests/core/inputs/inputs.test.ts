/**
 * The inputs service over real files: every picture coming in is staged once, read only from a
 * regular file within the one size limit (a FIFO named x.png does not hang, /dev/zero does not fill
 * memory, a link is not followed, a big file is refused before it is read), with sentences that
 * never tell whether a file exists; uploads in order; library pictures by id; and clean-up.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, symlink, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INPUT_MAX_BYTES } from '../../../shared/api';
import { createInputs, readRegularFile, type InputsService } from '../../../electron/core/inputs';
import { openLibrary, saveResult, type Library } from '../../../electron/core/library';
import { PlainError } from '../../../electron/core/errors';
import { makeImage, recipe, tempDir } from '../library/helpers';

const posix = process.platform !== 'win32';

let root: { dir: string; cleanup: () => Promise<void> };
let stagingDir: string;
let library: Library | null;
let inputs: InputsService;
let needed: string[];

function service(extra: Partial<Parameters<typeof createInputs>[0]> = {}): InputsService {
  return createInputs({
    dir: stagingDir,
    library: () => (library ? Promise.resolve(library) : Promise.reject(new Error('none'))),
    inUse: () => needed,
    ...extra,
  });
}

beforeEach(async () => {
  root = await tempDir('atelier-inputs-');
  stagingDir = path.join(root.dir, 'data', 'inputs');
  library = null;
  needed = [];
  inputs = service();
});

afterEach(async () => {
  await inputs.close();
  await library?.close();
  await root.cleanup();
});

async function refusal(promise: Promise<unknown>): Promise<PlainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PlainError);
  return error as PlainError;
}

async function upload(service: InputsService, bytes: Buffer, name: string, chunk = 1000) {
  const { id } = await service.handlers['inputs.begin']({ name, size: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    const data = bytes.subarray(offset, offset + chunk).toString('base64');
    await service.handlers['inputs.chunk']({ id, offset, data });
  }
  return service.handlers['inputs.finish']({ id });
}

describe('fromPath (paths the main process produced)', () => {
  it('stages a picture: what it is, from its content, in the staging folder', async () => {
    const file = path.join(root.dir, 'holiday.jpg');
    await writeFile(file, await makeImage('png', 30, 20));
    const view = await inputs.fromPath(file);
    expect(view).toMatchObject({ name: 'holiday.jpg', width: 30, height: 20, format: 'png' });
    const staged = inputs.require(view.id);
    expect(path.dirname(staged.file)).toBe(stagingDir);
    expect((await inputs.read(view.id)).length).toBe(view.bytes);
  });

  it.runIf(posix)('refuses a FIFO named x.png at once instead of hanging', async () => {
    const fifo = path.join(root.dir, 'x.png');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    const error = await refusal(inputs.fromPath(fifo));
    expect(error.code).toBe('unreadable_file');
    expect(error.message).toMatch(/could not open “x\.png” as a picture file/);
    // No writer ever opens the FIFO: reaching here at all means nothing waited on it.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.runIf(existsSync('/dev/zero'))('refuses /dev/zero without reading it', async () => {
    const error = await refusal(inputs.fromPath('/dev/zero'));
    expect(error.code).toBe('unreadable_file');
    expect(error.message).toMatch(/“zero”/);
  });

  it.runIf(posix)('does not follow a symbolic link, even to a real picture', async () => {
    const real = path.join(root.dir, 'real.png');
    await writeFile(real, await makeImage('png'));
    const link = path.join(root.dir, 'link.png');
    await symlink(real, link);
    expect((await refusal(inputs.fromPath(link))).code).toBe('unreadable_file');
    // A link to a secret outside reads the same as anything else refused.
    await symlink('/etc/passwd', path.join(root.dir, 'passwd.png'));
    expect((await refusal(inputs.fromPath(path.join(root.dir, 'passwd.png')))).code).toBe(
      'unreadable_file',
    );
  });

  it('refuses a file over the documented limit before reading it', async () => {
    const big = path.join(root.dir, 'huge.png');
    await writeFile(big, await makeImage('png'));
    await truncate(big, INPUT_MAX_BYTES + 1); // sparse: nothing is written
    const error = await refusal(inputs.fromPath(big));
    expect(error.code).toBe('too_big');
    expect(error.message).toMatch(/larger than the 64 MB Atelier takes in/);
    expect(await readdir(stagingDir).catch(() => [])).toEqual([]);
  });

  it('says the same about a missing file, a folder and a relative path: nothing about existence', async () => {
    await mkdir(path.join(root.dir, 'folder.png'));
    const messages = new Set<string>();
    for (const file of [
      path.join(root.dir, 'missing.png'),
      path.join(root.dir, 'folder.png'),
      'relative/folder.png',
    ]) {
      const error = await refusal(inputs.fromPath(file));
      expect(error.code).toBe('unreadable_file');
      messages.add(error.message.replace(/“[^”]*”/, '“…”'));
    }
    expect(messages.size).toBe(1);
  });

  it('refuses a file that is not a picture, and keeps nothing of it', async () => {
    const text = path.join(root.dir, 'notes.png');
    await writeFile(text, 'hello, not a picture');
    await expect(inputs.fromPath(text)).rejects.toBeInstanceOf(PlainError);
    expect(await readdir(stagingDir)).toEqual([]);
  });
});

describe('readRegularFile', () => {
  it('reads at most the limit it is given', async () => {
    const file = path.join(root.dir, 'a.bin');
    await writeFile(file, Buffer.alloc(100, 1));
    expect((await readRegularFile(file, 100)).length).toBe(100);
    expect((await refusal(readRegularFile(file, 99))).code).toBe('too_big');
  });
});

describe('uploads', () => {
  it('stages bytes sent in order, and answers finish again with the same view', async () => {
    const bytes = await makeImage('jpeg', 40, 30);
    const view = await upload(inputs, bytes, 'C:\\Users\\ann\\photo.jpg');
    expect(view).toMatchObject({ name: 'photo.jpg', width: 40, height: 30, format: 'jpeg' });
    expect(await inputs.handlers['inputs.finish']({ id: view.id })).toEqual(view);
  });

  it('refuses chunks out of order, past the announced size, or after the upload closed', async () => {
    const begin = () => inputs.handlers['inputs.begin']({ name: 'x.png', size: 4 });
    const first = await begin();
    expect(
      (await refusal(inputs.handlers['inputs.chunk']({ id: first.id, offset: 2, data: 'AAAA' })))
        .code,
    ).toBe('bad_offset');
    // Dropped: its next chunk finds nothing open.
    expect(
      (await refusal(inputs.handlers['inputs.chunk']({ id: first.id, offset: 0, data: 'AAAA' })))
        .code,
    ).toBe('input_gone');
    const second = await begin();
    const tooMuch = Buffer.alloc(5).toString('base64');
    expect(
      (await refusal(inputs.handlers['inputs.chunk']({ id: second.id, offset: 0, data: tooMuch })))
        .code,
    ).toBe('too_big');
    const third = await begin();
    expect((await refusal(inputs.handlers['inputs.finish']({ id: third.id }))).code).toBe(
      'incomplete',
    );
    expect(await readdir(stagingDir)).toEqual([]);
  });

  it('refuses an announced size over the limit', async () => {
    const small = service({ maxBytes: 10 });
    expect((await refusal(small.handlers['inputs.begin']({ name: 'x.png', size: 11 }))).code).toBe(
      'too_big',
    );
  });
});

describe('fromLibrary', () => {
  it('stages a library picture by its id; an unknown id gets a sentence', async () => {
    const libraryDir = path.join(root.dir, 'library');
    const saved = await saveResult(libraryDir, {
      bytes: await makeImage('png', 24, 16),
      format: 'png',
      recipe: recipe({ params: { prompt: 'a heron in the reeds' } }),
    });
    library = await openLibrary(libraryDir, { watch: false });
    const view = await inputs.handlers['inputs.fromLibrary']({ id: saved.entry.id });
    expect(view).toMatchObject({ width: 24, height: 16, prompt: 'a heron in the reeds' });
    // A copy in the staging folder: deleting the library picture later does not break a job.
    expect(path.dirname(inputs.require(view.id).file)).toBe(stagingDir);
    const missing = await refusal(inputs.handlers['inputs.fromLibrary']({ id: 'NOPE' }));
    expect(missing.code).toBe('not_found');
  });
});

describe('clean-up', () => {
  it('at start, removes what an earlier run staged unless a job still needs it', async () => {
    const file = path.join(root.dir, 'a.png');
    await writeFile(file, await makeImage('png'));
    const kept = inputs.require((await inputs.fromPath(file)).id).file;
    const dropped = inputs.require((await inputs.fromPath(file)).id).file;
    await inputs.close();
    needed = [kept];
    inputs = service();
    await inputs.sweep();
    expect(existsSync(kept)).toBe(true);
    expect(existsSync(dropped)).toBe(false);
  });

  it('drops the oldest staged pictures no job needs, and the oldest or idle uploads', async () => {
    let clock = 0;
    inputs = service({ maxStaged: 2, maxOpenUploads: 2, uploadIdleMs: 1000, now: () => clock });
    const file = path.join(root.dir, 'a.png');
    await writeFile(file, await makeImage('png'));
    const a = await inputs.fromPath(file);
    needed = [inputs.require(a.id).file];
    const b = await inputs.fromPath(file);
    const c = await inputs.fromPath(file);
    expect(inputs.get(a.id)).not.toBeNull(); // a job needs it
    expect(inputs.get(b.id)).toBeNull();
    expect(inputs.get(c.id)).not.toBeNull();

    const first = await inputs.handlers['inputs.begin']({ name: 'x.png', size: 4 });
    await inputs.handlers['inputs.begin']({ name: 'y.png', size: 4 });
    await inputs.handlers['inputs.begin']({ name: 'z.png', size: 4 });
    expect(
      (await refusal(inputs.handlers['inputs.chunk']({ id: first.id, offset: 0, data: 'AAAA' })))
        .code,
    ).toBe('input_gone');
    clock = 5000;
    const fresh = await inputs.handlers['inputs.begin']({ name: 'w.png', size: 4 });
    const uploads = (await readdir(stagingDir)).length;
    // Two staged pictures, and only the fresh upload: the idle ones are gone.
    expect(uploads).toBe(3);
    expect(
      await inputs.handlers['inputs.chunk']({ id: fresh.id, offset: 0, data: 'AAAAAA==' }),
    ).toEqual({ received: 4 });
  });
});
