import { defineConfig } from 'vite';

// Sandboxed preload: one CommonJS file, only 'electron' external.
export default defineConfig({
  build: {
    outDir: '.vite/build',
    lib: { entry: 'electron/preload.ts', formats: ['cjs'], fileName: () => 'preload.cjs' },
    rollupOptions: { external: ['electron'] },
    emptyOutDir: false,
  },
});
