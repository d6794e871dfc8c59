import { defineConfig } from 'vite';
import { readFileSync } from 'node:fs';

// Main process bundle: native modules stay external (N-API prebuilds shipped unpacked). The
// inference worker (`new Worker(new URL(...))`) is emitted as its own ES module next to main.js;
// `base: './'` keeps its URL relative to main.js.
// Every runtime dependency stays in node_modules (shipped by the packager): native addons, WASM
// codecs and pdfkit's font files are loaded from their package folders at run time.
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
const deps = Object.keys(pkg.dependencies);
const external = ['electron', /^node:/, ...deps, ...deps.map((d) => new RegExp(`^${d.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/`))];

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
