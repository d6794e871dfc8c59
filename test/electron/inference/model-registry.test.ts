import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ModelBundleError } from '../../../electron/services/inference/model-bundle-error.ts';
import { listModelBundles, loadModelBundle, compareVersions } from '../../../electron/services/inference/model-registry.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';

const IDENTITY_DIR = join(REPO_ROOT, 'test', 'fixtures', 'models', 'identity-test');
const tmp = mkdtempSync(join(tmpdir(), 'lb-models-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Copies the identity-test bundle to `<root>/<name>` and lets `edit` change it. */
function bundleCopy(root: string, name: string, edit?: (dir: string) => void): string {
  const dir = join(root, name);
  cpSync(IDENTITY_DIR, dir, { recursive: true });
  edit?.(dir);
  return dir;
}
const editMetadata = (dir: string, f: (m: Record<string, unknown>) => void): void => {
  const m = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as Record<string, unknown>;
  f(m);
  writeFileSync(join(dir, 'metadata.json'), JSON.stringify(m));
};
const isBundleError =
  (code: ModelBundleError['code'], re?: RegExp) =>
  (e: unknown): boolean =>
    e instanceof ModelBundleError && e.code === code && (!re || re.test(e.message));

test('loads a valid bundle with absolute paths and parsed metadata', async () => {
  const b = await loadModelBundle(IDENTITY_DIR);
  assert.equal(b.metadata.name, 'identity-test');
  assert.equal(b.modelPath, join(IDENTITY_DIR, 'model.onnx'));
  assert.equal(b.source, 'builtin');
});

test('a tampered model.onnx is refused with sha256-mismatch and a clear message', async () => {
  const root = join(tmp, 'tampered');
  const dir = bundleCopy(root, 'b', (d) => {
    const bytes = readFileSync(join(d, 'model.onnx'));
    bytes[bytes.length - 1]! ^= 0x01; // flip one bit
    writeFileSync(join(d, 'model.onnx'), bytes);
  });
  await assert.rejects(loadModelBundle(dir), isBundleError('sha256-mismatch', /modified or replaced and will not be loaded/));
});

test('missing/invalid metadata, unsafe model path and missing model are typed errors', async () => {
  const root = join(tmp, 'bad');
  mkdirSync(root, { recursive: true });
  await assert.rejects(loadModelBundle(join(root, 'nothing')), isBundleError('metadata-missing'));
  const notJson = bundleCopy(root, 'not-json', (d) => writeFileSync(join(d, 'metadata.json'), '{ nope'));
  await assert.rejects(loadModelBundle(notJson), isBundleError('metadata-invalid', /not valid JSON/));
  const badSchema = bundleCopy(root, 'bad-schema', (d) =>
    editMetadata(d, (m) => {
      m['sha256'] = 'XYZ';
      delete m['input'];
    }),
  );
  await assert.rejects(loadModelBundle(badSchema), isBundleError('metadata-invalid', /sha256|input/));
  for (const file of ['../identity-test/model.onnx', '/etc/passwd', '.']) {
    const unsafe = bundleCopy(root, `unsafe-${file.length}`, (d) =>
      editMetadata(d, (m) => {
        m['file'] = file;
      }),
    );
    await assert.rejects(loadModelBundle(unsafe), isBundleError('unsafe-path'), file);
  }
  const missing = bundleCopy(root, 'missing', (d) => rmSync(join(d, 'model.onnx')));
  await assert.rejects(loadModelBundle(missing), isBundleError('model-missing'));
});

test('listing: built-in and user folders, folders without metadata ignored, refused bundles reported', async () => {
  const builtin = join(tmp, 'builtin');
  const user = join(tmp, 'user');
  bundleCopy(builtin, 'identity');
  mkdirSync(join(builtin, 'training'), { recursive: true }); // like models/training: no metadata.json
  bundleCopy(user, 'mine', (d) =>
    editMetadata(d, (m) => {
      m['name'] = 'a-user-model';
    }),
  );
  // editing the name does not touch model.onnx, so its sha256 still matches
  bundleCopy(user, 'broken', (d) => writeFileSync(join(d, 'model.onnx'), 'not a model'));
  const listing = await listModelBundles({ builtinDir: builtin, userDir: user });
  assert.deepEqual(
    listing.bundles.map((b) => [b.metadata.name, b.source]),
    [
      ['identity-test', 'builtin'],
      ['a-user-model', 'user'],
    ],
    'built-in first: the first bundle is the default model',
  );
  assert.equal(listing.refused.length, 1);
  assert.equal(listing.refused[0]!.error.code, 'sha256-mismatch');
  assert.equal(listing.refused[0]!.source, 'user');
  assert.match(listing.refused[0]!.reason, /sha256/);
  // absent folders contribute nothing
  const empty = await listModelBundles({ builtinDir: join(tmp, 'nope'), userDir: null });
  assert.deepEqual(empty, { bundles: [], refused: [] });
});

test("the repository's models/ folder lists without refusals", async () => {
  const listing = await listModelBundles({ builtinDir: join(REPO_ROOT, 'models') });
  assert.deepEqual(
    listing.refused.map((r) => `${r.dir}: ${r.error.message}`),
    [],
  );
});

test('versions compare semantically; a retrained pre-release never sorts before its release', () => {
  assert.ok(compareVersions('1.10.0', '1.9.0') > 0);
  assert.ok(compareVersions('1.1.0-retrain.20261129T000000Z', '1.1.0') < 0);
  assert.ok(compareVersions('1.1.0-retrain.20261129T000000Z', '1.2.0') < 0);
  assert.ok(compareVersions('1.2.0-retrain.20261201T000000Z', '1.2.0-retrain.20261130T000000Z') > 0);
  assert.equal(compareVersions('1.2.0', '1.2.0'), 0);
});
