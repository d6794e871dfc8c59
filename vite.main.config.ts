import { defineConfig } from 'vite';

// Main process bundle: native modules stay external (N-API prebuilds shipped unpacked).
export default defineConfig({
  build: {
    outDir: '.vite/build',
    lib: { entry: 'electron/main.ts', formats: ['es'], fileName: () => 'main.js' },
    rollupOptions: { external: ['electron', 'better-sqlite3', 'onnxruntime-node', /^node:/] },
    target: 'node22',
    emptyOutDir: false,
  },
});
