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
  ...tseslint.configs.strict,
  {
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-cycle': ['error', { maxDepth: 10 }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
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
