// The design rules eslint enforces (eslint.config.js), checked on probe sources: raw Electron IPC
// only in electron/ipc and the preload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { REPO_ROOT } from '../support/shared-data.ts';

// probe files are not on disk, so not in the TypeScript project: lint them without type information
const eslint = new ESLint({ cwd: REPO_ROOT, overrideConfig: tseslint.configs.disableTypeChecked });
const errors = async (code: string, file: string): Promise<string[]> =>
  (await eslint.lintText(code, { filePath: join(REPO_ROOT, file) }))[0]!.messages
    .filter((m) => m.severity === 2)
    .map((m) => m.ruleId ?? m.message);

test('raw ipcMain / ipcRenderer are refused outside electron/ipc and the preload', async () => {
  const probe = "import { ipcMain } from 'electron';\nimport * as e from 'electron';\nexport const x = [ipcMain, e.ipcRenderer];\n";
  const outside = await errors(probe, 'electron/services/cases/probe.ts');
  assert.ok(outside.includes('no-restricted-imports'), outside.join());
  assert.ok(outside.includes('no-restricted-syntax'), outside.join());
  assert.deepEqual(await errors(probe, 'electron/ipc/probe.ts'), []);
  assert.deepEqual(
    await errors(
      "import { contextBridge, ipcRenderer } from 'electron';\nexport const y = [contextBridge, ipcRenderer];\n",
      'electron/preload.ts',
    ),
    [],
  );
});
