/**
 * build/scripts/dist.mjs (`npm run dist`): where the Electron binary is missing it says so in one
 * sentence, with the fix, and exits 1 before building anything.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('npm run dist without the Electron binary: one sentence, exit 1', () => {
  const empty = mkdtempSync(join(tmpdir(), 'atelier-dist-'));
  try {
    const result = spawnSync(process.execPath, ['build/scripts/dist.mjs'], {
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^Atelier cannot be packaged here because the Electron binary is not installed .*`npm install` while online.*\.$/,
    );
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
