import { defineConfig } from 'vite';

// Renderer: plain browser bundle, served by Electron (file) or by the loopback bridge.
export default defineConfig({
  root: 'renderer',
  base: './',
  build: { outDir: '../.vite/renderer', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4000 },
});
