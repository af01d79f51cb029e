// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/**
 * The walls between processes, as lint rules (like VS Code's code-import-patterns): a wrong import
 * fails `npm run lint`, not a review.
 *   shared/         no Node, no DOM, no electron, imports nothing outside shared/
 *   renderer/       DOM only: no Node, no electron, nothing from electron/
 *   renderer/state/ the stores and pure models: never the features that draw them
 *   electron/core/  Node only: never 'electron', nothing from renderer/ or the shells
 *   electron/web/   the browser shell: Node, never 'electron', never the Electron shell
 *   electron/shell/, main.ts, preload.ts: the Electron shell: never the renderer's code
 * A folder's block lists all its walls: in a flat config a later block's no-restricted-imports
 * replaces an earlier one for the same file, so renderer/state/ repeats the renderer's.
 */
const noElectron = {
  name: 'electron',
  message:
    "Only electron/main.ts and electron/preload.ts (and electron/shell/) may import 'electron'.",
};

/** The renderer's walls: no Node, no electron, nothing from electron/. */
const rendererImports = {
  paths: [
    noElectron,
    ...nodeBuiltins.map((name) => ({
      name,
      message: 'The renderer is a sandboxed web page: no Node modules.',
    })),
  ],
  patterns: [
    {
      group: ['**/electron/**', '**/electron'],
      message: 'The renderer talks to the core only through shared/api.ts.',
    },
  ],
};

const noRenderer = {
  group: ['**/renderer/**', '**/renderer'],
  message: 'The Electron shell loads the built renderer; it never imports its code.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'release/',
      'test-results/',
      'playwright-report/',
      'coverage/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked.map((c) => ({ ...c, files: ['**/*.{ts,tsx}'] })),
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', rendererImports],
    },
  },
  {
    files: ['renderer/state/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...rendererImports,
          patterns: [
            ...rendererImports.patterns,
            {
              group: ['**/features/**', '**/features'],
              message:
                'renderer/state/ sits below the features: move what both need into state/ or ui/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            noElectron,
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'shared/ runs everywhere: no Node modules.',
            })),
          ],
          patterns: [
            {
              group: ['**/electron/**', '**/renderer/**', 'react', 'react-dom', 'zustand'],
              message: 'shared/ imports nothing from the app sides.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/renderer/**', 'react', 'react-dom', 'zustand'],
              message: 'The core is plain Node: nothing from the renderer.',
            },
            {
              group: ['**/web/**', '**/main', '**/preload', '**/shell/**'],
              message: 'The core never imports a shell.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/renderer/**', '**/renderer'],
              message: 'The browser shell serves the built renderer; it never imports it.',
            },
            {
              group: ['**/shell/**', '**/shell'],
              message:
                'The browser shell runs without Electron: nothing from the Electron shell (electron/shell/).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/shell/**/*.ts', 'electron/main.ts', 'electron/preload.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noRenderer] }],
    },
  },
  prettier,
);
