import { defineConfig } from 'vite';

// Main process bundle: native modules stay external (N-API prebuilds shipped unpacked). The
// inference worker (`new Worker(new URL(...))`) is emitted as its own ES module next to main.js;
// `base: './'` keeps its URL relative to main.js.
const external = ['electron', 'better-sqlite3', 'onnxruntime-node', /^node:/, /^@cornerstonejs\//, 'jpeg-lossless-decoder-js'];

export default defineConfig({
  base: './',
  build: {
    outDir: '.vite/build',
    lib: { entry: 'electron/main.ts', formats: ['es'], fileName: () => 'main.js' },
    rollupOptions: { external },
    target: 'node22',
    emptyOutDir: false,
  },
  worker: {
    format: 'es',
    rollupOptions: { external, output: { entryFileNames: 'assets/[name]-[hash].mjs' } },
  },
});
