import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelFromOption } from '../../../electron/cli/model-from-option.ts';
import { ModelBundleError } from '../../../electron/services/inference/model-bundle-error.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';

const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'models', 'identity-test');

/** A models folder with the identity fixture copied under two names/versions, and one tampered copy. */
function modelsFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'lb-model-option-'));
  const put = (dir: string, name: string, version: string): void => {
    cpSync(FIXTURE, join(root, dir), { recursive: true });
    const p = join(root, dir, 'metadata.json');
    const meta = JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
    writeFileSync(p, JSON.stringify({ ...meta, name, version }));
  };
  put('fast-old', 'm-fast', '1.3.0');
  put('fast-new', 'm-fast', '1.4.0');
  put('tta', 'm-tta', '1.4.0');
  put('tampered', 'm-bad', '1.0.0');
  const meta = JSON.parse(readFileSync(join(root, 'tampered', 'metadata.json'), 'utf8')) as { file: string };
  writeFileSync(join(root, 'tampered', meta.file), 'not the model');
  return root;
}

test('--model NAME takes the newest valid bundle of that name, NAME@VERSION that version', async () => {
  const root = modelsFolder();
  try {
    const dirs = { builtinDir: root, userDir: join(root, 'none') };
    assert.equal((await modelFromOption('m-fast', dirs)).metadata.version, '1.4.0');
    assert.equal((await modelFromOption('m-fast@1.3.0', dirs)).metadata.version, '1.3.0');
    assert.equal((await modelFromOption('m-tta', dirs)).metadata.name, 'm-tta');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('--model refuses an unknown or tampered bundle with the usable ones listed', async () => {
  const root = modelsFolder();
  try {
    const dirs = { builtinDir: root, userDir: join(root, 'none') };
    await assert.rejects(
      modelFromOption('m-fast@9.9.9', dirs),
      (e: unknown) => e instanceof ModelBundleError && /m-fast@9\.9\.9/.test(e.message) && /m-fast@1\.4\.0/.test(e.message),
    );
    await assert.rejects(modelFromOption('m-bad', dirs), (e: unknown) => e instanceof ModelBundleError && /sha256/.test(e.message));
    await assert.rejects(modelFromOption('@1.0.0', dirs), ModelBundleError);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
