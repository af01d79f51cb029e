/**
 * The import walls of eslint.config.js, checked on small pieces of code: a wrong import fails the
 * lint. Only the walls (no-restricted-imports) are run, without type information, so this is fast.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const { default: config } = (await import(
  pathToFileURL(path.join(root, 'eslint.config.js')).href
)) as { default: Linter.Config[] };

const walls: Linter.Config[] = config.flatMap((block) => {
  const rule = block.rules?.['no-restricted-imports'];
  return rule === undefined || block.files === undefined
    ? []
    : [{ files: block.files, rules: { 'no-restricted-imports': rule } }];
});

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser } },
    ...walls,
  ],
});

/** The wall messages for `import ... from '<from>'` in a file at `file`. */
async function refusals(file: string, from: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from '${from}';\nexport { x };\n`, {
    filePath: path.join(root, file),
  });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('import walls', () => {
  it('renderer/state may not import renderer/features', async () => {
    expect(await refusals('renderer/state/x.ts', '../features/create/CreateForm')).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*state\/ sits below the features/),
    ]);
    expect(await refusals('renderer/state/x.ts', '../features')).toHaveLength(1);
    // The renderer's own walls still hold there.
    expect(await refusals('renderer/state/x.ts', 'node:fs')).toHaveLength(1);
    expect(await refusals('renderer/state/x.ts', '../../electron/core/host')).toHaveLength(1);
    // What it may import.
    expect(await refusals('renderer/state/x.ts', './bridge')).toEqual([]);
    expect(await refusals('renderer/state/x.ts', '../../shared/api')).toEqual([]);
    expect(await refusals('renderer/features/create/x.tsx', '../../state/create')).toEqual([]);
  });

  it('the Electron shell, main.ts and preload.ts may not import renderer/', async () => {
    for (const file of ['electron/shell/x.ts', 'electron/main.ts', 'electron/preload.ts']) {
      const up = file.startsWith('electron/shell/') ? '../../' : '../';
      expect(await refusals(file, `${up}renderer/state/create`), file).toHaveLength(1);
      expect(await refusals(file, `${up}renderer`), file).toHaveLength(1);
      expect(await refusals(file, `${up}shared/api`), file).toEqual([]);
    }
    expect(await refusals('electron/shell/x.ts', 'electron')).toEqual([]);
  });

  it('the browser shell may not import the Electron shell', async () => {
    expect(await refusals('electron/web/x.ts', '../shell/media')).toHaveLength(1);
    expect(await refusals('electron/web/x.ts', '../shell')).toHaveLength(1);
    expect(await refusals('electron/web/x.ts', 'electron')).toHaveLength(1);
    expect(await refusals('electron/web/x.ts', '../../renderer/app/App')).toHaveLength(1);
    expect(await refusals('electron/web/x.ts', '../core/host/shell-services')).toEqual([]);
    expect(await refusals('electron/web/x.ts', '../core/library/media')).toEqual([]);
  });
});
