// The size rules of eslint.config.js (issue 17): files over 300 lines are errors, functions over 100
// code lines warnings (the lint script fails on warnings), except the files named with a reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { REPO_ROOT } from '../support/shared-data.ts';

// probe files are not on disk, so not in the TypeScript project: lint them without type information
const eslint = new ESLint({ cwd: REPO_ROOT, overrideConfig: tseslint.configs.disableTypeChecked });
const rules = async (code: string, file: string): Promise<string[]> =>
  (await eslint.lintText(code, { filePath: join(REPO_ROOT, file) }))[0]!.messages.map((m) => `${m.ruleId ?? m.message}:${m.severity}`);

const lines = (n: number): string => Array.from({ length: n }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
const longFunction = (n: number): string =>
  `export function f(): number {\n  let x = 0;\n${Array.from({ length: n }, (_, i) => `  x += ${i};`).join('\n')}\n  return x;\n}\n`;

test('a file of 301 lines is an error; 300 lines pass; blank lines and comments count', async () => {
  assert.deepEqual(await rules(lines(300), 'electron/services/cases/probe.ts'), []);
  assert.ok((await rules(lines(301), 'electron/services/cases/probe.ts')).includes('max-lines:2'));
  assert.ok((await rules(lines(290) + '\n'.repeat(5) + '// c\n'.repeat(6), 'shared/imaging/probe.ts')).includes('max-lines:2'));
  assert.ok((await rules(lines(301), 'test/electron/probe.test.ts')).includes('max-lines:2'), 'tests follow the file rule');
});

test('a function of more than 100 code lines is a warning, not in test bodies, not in a named file', async () => {
  assert.deepEqual(await rules(longFunction(96), 'renderer/features/probe.ts'), []); // 100 lines with signature and brace
  assert.ok((await rules(longFunction(97), 'renderer/features/probe.ts')).includes('max-lines-per-function:1'));
  assert.deepEqual(await rules(longFunction(150), 'test/renderer/probe.test.ts'), []);
  assert.deepEqual(await rules(longFunction(150), 'shared/dicom/jpeg-dct-decoder.ts'), [], 'a named exception');
});
