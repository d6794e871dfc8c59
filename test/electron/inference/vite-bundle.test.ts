/**
 * The inference worker must also work when the main process is bundled by Vite (Electron Forge
 * builds `build.lib` CJS): the `new Worker(new URL('…/inference-worker.ts', import.meta.url))`
 * pattern is rewritten to an emitted worker chunk. This test bundles a small entry with the
 * settings the Electron main config needs (see `spawn-inference-worker.ts`), runs it with plain
 * node — no TypeScript loader — and checks the identity model's exact result.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'vite';
import { REPO_ROOT } from '../../support/shared-data.ts';

for (const format of ['es', 'cjs'] as const) {
  test(`Vite-bundled main (${format} lib build, as vite.main.config.ts / Forge) starts the bundled worker and segments exactly`, async () => {
    const outDir = join(REPO_ROOT, '.vite', `test-inference-bundle-${format}-${process.pid}`); // inside the repo so node_modules resolves
    const external = ['electron', 'onnxruntime-node', ...builtinModules.flatMap((m) => [m, `node:${m}`])];
    const main = format === 'es' ? 'main.mjs' : 'main.cjs';
    try {
      await build({
        configFile: false,
        logLevel: 'silent',
        root: REPO_ROOT,
        base: './',
        build: {
          outDir,
          emptyOutDir: true,
          minify: false,
          copyPublicDir: false,
          target: 'node22',
          lib: {
            entry: join(REPO_ROOT, 'test', 'electron', 'inference', 'bundle-entry.ts'),
            formats: [format],
            fileName: () => main,
          },
          rollupOptions: { external },
        },
        resolve: { conditions: ['node'], mainFields: ['module', 'jsnext:main', 'jsnext'] },
        worker: {
          format: 'es',
          rollupOptions: { external, output: { entryFileNames: 'assets/[name]-[hash].mjs' } },
        },
      });
      const assets = readdirSync(join(outDir, 'assets'));
      assert.ok(
        assets.some((f) => /^inference-worker-.*\.mjs$/.test(f)),
        `worker chunk emitted: ${assets.join(', ')}`,
      );
      const r = spawnSync(process.execPath, [join(outDir, main), join(REPO_ROOT, 'test', 'fixtures', 'models', 'identity-test')], {
        encoding: 'utf8',
        timeout: 60_000,
        cwd: outDir,
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      assert.equal(r.status, 0, r.stderr + r.stdout);
      assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').at(-1)!), {
        provider: 'cpu',
        differences: 0,
        slicesInferred: 8,
      });
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
}
