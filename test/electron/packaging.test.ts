// The installers' file set, as electron-builder's own matchers compute it from electron-builder.yml
// (scripts/packaged-files.ts): exactly the built app, the model bundles, the sample case and the
// production dependencies; no .venv, tests, sources, source maps or ../shared data; onnxruntime
// binaries of the target platform only. The Electron binary is not needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagedFiles, type PackagePlatform } from '../../scripts/packaged-files.ts';
import { REPO_ROOT } from '../support/shared-data.ts';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  homepage?: string;
  author?: { email?: string };
};
const models = readdirSync(join(REPO_ROOT, 'models')).filter((m) => m !== 'training' && m !== 'lung-masks' && m !== 'orientation');
// lung-mask bundles (models/lung-masks/<name>/): inference files and card, no fine-tuning weights
const lungMasks = readdirSync(join(REPO_ROOT, 'models', 'lung-masks'));
// orientation classifier bundles (models/orientation/<name>/): the same three files
const orientation = readdirSync(join(REPO_ROOT, 'models', 'orientation'));

for (const platform of ['linux', 'win32', 'darwin'] as PackagePlatform[]) {
  test(`${platform}: the app archive holds exactly the built app, models, sample case and production dependencies`, () => {
    const { app, modules } = packagedFiles(platform);
    const own = app.filter((f) => !f.startsWith('.vite/'));
    const want = [
      'package.json',
      'test/fixtures/sample-case/sample-chest-ct.nii.gz',
      ...models.flatMap((m) => ['MODEL_CARD.md', 'checkpoint.pt', 'metadata.json', 'model.onnx'].map((f) => `models/${m}/${f}`)),
      ...lungMasks.flatMap((m) => ['MODEL_CARD.md', 'metadata.json', 'model.onnx'].map((f) => `models/lung-masks/${m}/${f}`)),
      ...orientation.flatMap((m) => ['MODEL_CARD.md', 'metadata.json', 'model.onnx'].map((f) => `models/orientation/${m}/${f}`)),
    ].sort();
    assert.deepEqual(own, want);
    for (const f of app)
      assert.doesNotMatch(
        f,
        /\.map$|^\.venv|^shared\/|^electron\/|^renderer\/|^test\/(?!fixtures\/sample-case\/sample-chest-ct\.nii\.gz$)|\.\.\//,
        f,
      );
    for (const d of Object.keys(pkg.dependencies)) assert.ok(modules.has(d), `production dependency ${d} is packed`);
    for (const d of Object.keys(pkg.devDependencies)) assert.ok(!modules.has(d), `dev dependency ${d} is not packed`);
    const ort = modules.get('onnxruntime-node') ?? [];
    const bins = new Set(ort.map((f) => /bin\/napi-v\d+\/([^/]+)\//.exec(f)?.[1]).filter((x): x is string => x !== undefined));
    assert.deepEqual([...bins], [platform], 'onnxruntime-node binaries of the target platform only');
    for (const files of modules.values()) for (const f of files) assert.doesNotMatch(f, /\.map$/, f);
  });
}

test('a built app is packed: .vite/build and .vite/renderer are matched by the files patterns', () => {
  const yml = readFileSync(join(REPO_ROOT, 'electron-builder.yml'), 'utf8');
  assert.match(yml, /^ {2}- \.vite\/\*\*$/m);
  // the platform sections hold no `files` of their own (merged excludes only lists broke packing)
  assert.doesNotMatch(yml, /^(linux|win|mac):\n(?: {2}.*\n)*? {2}files:/m);
});

test('deb metadata: homepage and a maintainer e-mail', () => {
  assert.match(pkg.homepage ?? '', /^https:\/\//);
  assert.match(pkg.author?.email ?? '', /@/);
});
