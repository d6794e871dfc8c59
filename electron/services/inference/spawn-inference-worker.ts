import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the inference worker thread, both from TypeScript sources and from the Vite bundle.
 *
 * How the worker file is found (one code path for both):
 * - The literal `new Worker(new URL('../../workers/inference-worker.ts', import.meta.url), …)`
 *   is the pattern Vite's `vite:worker-import-meta-url` plugin rewrites at build time: it bundles
 *   the worker as its own chunk and replaces the URL with the emitted file, relative to the main
 *   bundle. Forge's main-process build (`build.lib`, CJS) runs that plugin. The Electron main Vite
 *   config needs three settings for it, checked by `test/electron/inference/vite-bundle.test.ts`:
 *   `base: './'` (else the URL is `/assets/…`, absolute from the file-system root),
 *   `worker.format: 'es'` with the main build's externals (`onnxruntime-node`, node builtins) in
 *   `worker.rollupOptions.external`, and `worker.rollupOptions.output.entryFileNames:
 *   'assets/[name]-[hash].mjs'` (an ES module whatever the nearest package.json says).
 * - From sources (tests, CLI) the same URL points at the `.ts` file, which Node cannot run by
 *   itself (parameter properties are not erasable TypeScript), so the worker gets tsx's loader:
 *   when the parent already runs under tsx (`node --import tsx`, or the `tsx` CLI) the worker
 *   inherits the parent's `execArgv`; otherwise `--import <absolute URL of tsx's loader>` is
 *   passed, resolved from this file so it works whatever the current directory is.
 * - `workerUrl` overrides the file (the composition root may point at a separately built worker
 *   entry; tests use it to start a deliberately crashing worker).
 */
export function spawnInferenceWorker(workerUrl?: URL): Worker {
  if (workerUrl) return new Worker(workerUrl, inferenceWorkerOptions(workerUrl.pathname.endsWith('.ts')));
  // running from sources exactly when this module itself is a .ts file (not bundled)
  // (the options are computed at run time: `@vite-ignore` tells Vite not to parse them)
  return new Worker(
    new URL('../../workers/inference-worker.ts', import.meta.url),
    /* @vite-ignore */ inferenceWorkerOptions(import.meta.url.endsWith('.ts')),
  );
}

/**
 * Worker options: for a `.ts` worker whose parent has no tsx loader in `parentExecArgv`, an
 * explicit `--import <file URL of tsx's loader>`; otherwise nothing (the worker inherits the
 * parent's `execArgv`, loader included).
 */
export function inferenceWorkerOptions(typeScript: boolean, parentExecArgv: readonly string[] = process.execArgv): WorkerOptions {
  const options: WorkerOptions = { name: 'lung-burden-inference' };
  if (!typeScript || parentExecArgv.some((a) => a.includes('tsx'))) return options;
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { ...options, execArgv: ['--import', loader] };
}
