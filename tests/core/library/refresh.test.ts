import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openLibrary, saveResult, type Library } from '../../../electron/core/library';
import { makeImage, recipe, tempDir } from './helpers';

/**
 * A whole-folder walk (what refresh does) that can be held at its end, so that a test can run
 * other changes to the index exactly while a refresh is under way.
 */
const gate = vi.hoisted(() => ({
  armed: false,
  entered: null as (() => void) | null,
  release: Promise.resolve(),
}));
vi.mock('../../../electron/core/library/scan', async (importOriginal) => {
  const scan = await importOriginal<typeof import('../../../electron/core/library/scan')>();
  return {
    ...scan,
    walkLibrary: async (...args: Parameters<typeof scan.walkLibrary>) => {
      const result = await scan.walkLibrary(...args);
      if (gate.armed && (args[2] ?? '') === '') {
        gate.armed = false;
        gate.entered?.();
        await gate.release;
      }
      return result;
    },
  };
});

/** Holds the next refresh's walk; resolves once it is held, with the function that lets it go. */
function holdNextWalk(): Promise<() => void> {
  let release: () => void = () => undefined;
  gate.release = new Promise<void>((resolve) => (release = resolve));
  return new Promise((resolve) => {
    gate.entered = () => resolve(release);
    gate.armed = true;
  });
}

let dir: string;
let cleanup: () => Promise<void>;
let library: Library;
/** Every id the library announces as added, once per announcement. */
let added: string[];

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await Promise.all(
    [1, 2, 3].map(async (day) =>
      saveResult(dir, {
        bytes: await makeImage('png', 32, 24, day),
        format: 'png',
        recipe: recipe({ createdAt: new Date(2026, 10, day, 12), params: { prompt: `${day}` } }),
      }),
    ),
  );
  library = await openLibrary(dir, { watch: false });
  added = [];
  library.onChange((change) => added.push(...change.added.map((e) => e.id)));
});

afterEach(async () => {
  gate.armed = false;
  await library.close();
  await cleanup();
});

/** A picture written into the folder behind the library's back (these tests do not watch). */
async function addOutside(createdAt: Date): Promise<string> {
  const saved = await saveResult(dir, {
    bytes: await makeImage('png', 32, 24, 7),
    format: 'png',
    recipe: recipe({ createdAt, params: { prompt: 'a fox a sync client brought' } }),
  });
  return saved.entry.id;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('refresh runs in the library queue', () => {
  it('two refreshes at once announce a picture from outside once', async () => {
    const fox = await addOutside(new Date(2026, 10, 1, 13));
    const [first, second] = await Promise.all([library.refresh(), library.refresh()]);
    expect(first.added.map((e) => e.id)).toEqual([fox]);
    expect(second).toEqual({ added: [], updated: [], removed: [] });
    expect(added).toEqual([fox]);
    expect(library.list().filter((e) => e.id === fox)).toHaveLength(1);
  });

  it('a rescan (an undo) that comes during a refresh waits for it, and nothing is told twice', async () => {
    const [victim] = library.list();
    if (!victim) throw new Error('missing');
    const receipt = await library.delete([victim.id]);
    // In the folder the undo's rescan reads.
    const fox = await addOutside(new Date(victim.createdMs));
    added.length = 0;

    const held = holdNextWalk();
    const refreshing = library.refresh();
    const release = await held;
    const undoing = library.undoDelete(receipt.token);
    // Time for the undo to put the files back and rescan their folder, were it not queued.
    await Promise.race([undoing, settle(300)]);
    release();
    const [change] = await Promise.all([refreshing, undoing]);

    expect(change.added.map((e) => e.id)).toEqual([fox]);
    expect([...added].sort()).toEqual([victim.id, fox].sort());
    expect(library.list()).toHaveLength(4);
  });

  it('a save that comes during a refresh is not lost when the refresh ends', async () => {
    const held = holdNextWalk();
    const refreshing = library.refresh();
    const release = await held;
    const saving = library.save({
      bytes: await makeImage('png', 32, 24, 9),
      format: 'png',
      recipe: recipe({ createdAt: new Date(2026, 10, 4, 12) }),
    });
    await Promise.race([saving, settle(300)]);
    release();
    const [, saved] = await Promise.all([refreshing, saving]);
    expect(library.get(saved.id)?.path).toBe(saved.path);
    expect(added).toEqual([saved.id]);
  });
});
