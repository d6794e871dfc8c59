// Lint rules that keep the layers honest (see README "Design"):
//   shared/   pure TypeScript: no electron, no node:*, no DOM globals
//   electron/ main process: may use node + shared, never renderer
//   renderer/ browser: may use shared, never electron or node
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';

const nodeBuiltins = [
  'node:*', 'fs', 'fs/promises', 'path', 'os', 'child_process', 'worker_threads', 'crypto',
  'zlib', 'url', 'http', 'https', 'net', 'stream', 'util', 'events', 'buffer',
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.vite/**', 'out/**', 'dist/**', '.venv/**', 'models/training/**', 'test-results/**'] },
  ...tseslint.configs.strictTypeChecked,
  {
    // type information from the TypeScript project service (tsconfig.json: shared, electron, renderer, test, scripts)
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-cycle': ['error', { maxDepth: 10 }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // numbers, booleans and null/undefined read fine in messages; objects, arrays and never do not
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
      // node:test's test()/describe()/it() and hooks return promises the runner awaits itself
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
      }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // contract methods are async on purpose: a synchronous throw must reach the dispatcher as a rejection
      '@typescript-eslint/require-await': 'off',
    },
  },
  // plain JavaScript fixtures are outside the TypeScript project: no type-aware rules there
  { files: ['**/*.{js,mjs,cjs}'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'shared/ is pure: no electron.' },
          { group: nodeBuiltins, message: 'shared/ is pure: no node APIs.' },
          { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ imports nothing from electron/ or renderer/.' },
        ],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['electron/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'raw IPC only in electron/ipc and the preload: add a contract method instead.' }],
        patterns: [{ group: ['**/renderer/**'], message: 'electron/ must not import renderer/.' }],
      }],
      'no-restricted-syntax': ['error', {
        selector: 'MemberExpression[property.name=/^ipc(Main|Renderer)$/]',
        message: 'raw IPC only in electron/ipc and the preload: add a contract method instead.',
      }],
    },
  },
  {
    // the two places that speak raw Electron IPC: the contract's main-side server and the preload bridge
    files: ['electron/ipc/**/*.ts', 'electron/preload.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/renderer/**'], message: 'electron/ must not import renderer/.' }],
      }],
      'no-restricted-syntax': 'off',
    },
  },
  {
    files: ['renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'renderer/ never imports electron: use the preload contract.' },
          { group: ['**/electron/**'], message: 'renderer/ must not import electron/ (main process code).' },
          { group: nodeBuiltins, message: 'renderer/ runs in a browser: no node APIs.' },
        ],
      }],
    },
  },
);
