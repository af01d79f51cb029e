/**
 * Crash safety: a child process saves images in a loop and is killed (SIGKILL) at random instants,
 * 50 times. After each kill the start-up check runs; no half image may be listed, every image the
 * child finished must be there and intact, and no temporary file may be left.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLibrary, scanAndRepair } from '../../../electron/core/library';
import { makeImage, tempDir } from './helpers';

const KILLS = 50;

let work: string;
let cleanup: () => Promise<void>;
let childScript: string;
let sources: string[];

beforeAll(async () => {
  ({ dir: work, cleanup } = await tempDir('atelier-crash-'));
  childScript = path.join(work, 'child.cjs');
  await build({
    entryPoints: [path.join(import.meta.dirname, 'crash-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    outfile: childScript,
    logLevel: 'silent',
  });
  sources = [];
  for (const format of ['png', 'jpeg', 'webp'] as const) {
    const file = path.join(work, `source.${format}`);
    await writeFile(file, await makeImage(format, 48, 32, sources.length + 3));
    sources.push(file);
  }
});
afterAll(async () => {
  await cleanup();
});

/** Runs the child until it has finished one save, then kills it after a random delay. */
function runAndKill(libraryDir: string, delayMs: number): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, libraryDir, ...sources], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const done = new Map<string, string>();
    let buffered = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const m = /^done (\S+) ([0-9a-f]{64})$/.exec(line);
        if (m?.[1] && m[2]) {
          // Armed once the child is inside its write loop: the kill lands mid-save.
          if (done.size === 0) setTimeout(() => child.kill('SIGKILL'), delayMs);
          done.set(m[1], m[2]);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended by itself: ${stderr}`));
      else resolve(done);
    });
  });
}

async function listAll(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (d.isFile())
      out.push(path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join('/'));
  }
  return out;
}

describe('crash safety', () => {
  it(`kill -9 at random instants, ${KILLS} times: nothing half, nothing finished lost`, async () => {
    const libraryDir = path.join(work, 'Library');
    const finished = new Map<string, string>();
    const checked = new Set<string>();
    let temps = 0;
    let recovered = 0;
    for (let i = 0; i < KILLS; i++) {
      const done = await runAndKill(libraryDir, Math.floor(Math.random() * 80));
      for (const [p, h] of done) finished.set(p, h);
      const { report, entries } = await scanAndRepair(libraryDir);
      temps += report.removedTemp.length;
      recovered += report.recovered.length;
      expect(report.incomplete).toEqual([]);
      expect(report.damagedSidecars).toEqual([]);
      expect(report.adopted).toEqual([]);
      const listed = new Map(entries.map((e) => [e.path, e]));
      for (const [p, sha] of finished) expect(listed.get(p)?.sha256, p).toBe(sha);
      for (const entry of entries) {
        if (checked.has(entry.path)) continue;
        const bytes = await readFile(path.join(libraryDir, entry.path));
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
        // A full decode: a half image would fail here.
        const { info } = await sharp(bytes, { failOn: 'error' })
          .raw()
          .toBuffer({ resolveWithObject: true });
        expect([info.width, info.height]).toEqual([48, 32]);
        checked.add(entry.path);
      }
      const leftovers = (await listAll(libraryDir)).filter((f) =>
        path.basename(f).startsWith('.atelier-tmp-'),
      );
      expect(leftovers).toEqual([]);
    }
    // Every run got into its write loop before the kill.
    expect(finished.size).toBeGreaterThanOrEqual(KILLS);
    console.log(
      `crash test: ${finished.size} images finished, ${checked.size} listed, ${temps} temp files removed, ${recovered} sidecars recovered`,
    );

    const library = await openLibrary(libraryDir, { watch: false });
    try {
      expect(library.list().length).toBe(checked.size);
      for (const p of finished.keys()) expect(library.list().some((e) => e.path === p)).toBe(true);
    } finally {
      await library.close();
    }
  }, 60_000);
});
