/**
 * Viewer benchmark (browser side): prints ONE JSON object.
 *
 *   npm run build && node_modules/.bin/node --import tsx test/bench/viewer.bench.ts [--slices 300] [--strokes 20]
 *
 * Starts the REAL workstation (services + loopback bridge) on a temporary data folder, imports a
 * synthetic 512×512×N chest CT (0.7 × 0.7 × 1.0 mm; N = 300 by default) as a NIfTI through
 * jobs.importPath, opens it in headless Chromium (system /usr/bin/chromium, WebGL through
 * SwiftShader) and measures, in the page:
 * - `openCaseMs`: navigation to the review screen until it is ready (header + Int16 voxels
 *   fetched, views and 3D built);
 * - `sliceScroll`: frames per second of stepping the axial, coronal and sagittal views one slice
 *   per frame (`step` + synchronous `draw`: fill, blend, putImageData, scaled drawImage);
 * - `brush`: p50/p95 ms per brush piece (one pointer move: shared paintStroke + burden tally +
 *   3D block counts + overlay invalidation), over `--strokes` 10-move strokes with a 5 mm circle;
 *   and `burdenUpdateMs` (edit → burden panel updated, rAF-batched) of the last stroke;
 * - `surfaceRefresh`: ms from the end of a stroke to the 3D surfaces re-rendered (includes the
 *   50 ms debounce) and the rebuild itself (`rebuildMs`);
 * - `memory`: JS heap of the renderer (CDP Performance.getMetrics) after opening and after edits.
 * Nothing is asserted: numbers depend on the machine's load (reported as `loadavg1`).
 */
import { signInOverApi } from '../support/test-readers.ts';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { startTestServer } from '../e2e/support/start-server.ts';
import { nodeApi } from '../e2e/support/node-api.ts';

const { values } = parseArgs({ options: { slices: { type: 'string', default: '300' }, strokes: { type: 'string', default: '20' } } });
const slices = Number(values.slices);
const strokes = Number(values.strokes);

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? +s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(2) : NaN;
};

const srv = await startTestServer({ phantomSize: [512, 512, slices], phantomSpacingMm: [0.7, 0.7, 1.0], seedSample: false });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--enable-precise-memory-info',
  ],
});
try {
  const api = nodeApi(srv.server.url, srv.server.token);
  await signInOverApi(api, 'bench', 'Bench Reader');
  const job = await api.jobs.importPath(srv.phantomPath);
  let j = job;
  while (j.state === 'running') {
    await new Promise((r) => setTimeout(r, 300));
    j = await api.jobs.get(job.id);
  }
  if (j.state !== 'done' || !j.caseIds[0]) throw new Error(`import failed: ${j.error ?? j.state}`);
  const caseId = j.caseIds[0];

  const page = await browser.newPage({ viewport: { width: 1600, height: 950 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const heapMb = async (): Promise<number> => {
    const m = await cdp.send('Performance.getMetrics');
    return +((m.metrics.find((x) => x.name === 'JSHeapUsedSize')?.value ?? NaN) / 2 ** 20).toFixed(1);
  };
  await page.goto(srv.server.url);
  await page.getByTestId('worklist').waitFor();
  const heapWorklistMb = await heapMb();
  const t0 = Date.now();
  await page.evaluate((id) => (location.hash = `#case/${id}`), caseId);
  await page.reload();
  await page.locator('[data-testid=review][data-ready=true]').waitFor({ timeout: 300_000 });
  const openCaseMs = Date.now() - t0;
  const inPageOpenMs = await page.evaluate(
    () => (window as unknown as { __lungBurdenReview: { openedMs: number } }).__lungBurdenReview.openedMs,
  );
  const heapOpenMb = await heapMb();

  const sliceScroll = await page.evaluate(() => {
    interface V {
      name: string;
      step(d: number): void;
      draw(): void;
      invalidate(): void;
      sliceCount: number;
    }
    const views = (window as unknown as { __lungBurdenReview: { views: V[] } }).__lungBurdenReview.views;
    const out: Record<string, number> = {};
    for (const v of views) {
      const n = Math.min(100, v.sliceCount - 1);
      const t = performance.now();
      for (let s = 0; s < n; s++) {
        v.step(s < n / 2 ? 1 : -1);
        v.invalidate();
        v.draw();
      }
      out[`${v.name}Fps`] = +(n / ((performance.now() - t) / 1000)).toFixed(1);
    }
    return out;
  });

  // Brush strokes through real pointer events on the axial view.
  await page.keyboard.press('b');
  await page.getByTestId('brush-radius').fill('5');
  const box = (await page.getByTestId('view-axial').boundingBox())!;
  const endToEnd3dMs: number[] = [];
  for (let s = 0; s < strokes; s++) {
    const x = box.x + box.width * (0.3 + 0.4 * (s / strokes));
    const y = box.y + box.height * 0.45;
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let m = 1; m <= 10; m++) await page.mouse.move(x + m * 4, y + m * 2);
    await page.mouse.up();
    if (s % 5 === 4) {
      endToEnd3dMs.push(
        await page.evaluate(async () => {
          const p = (window as unknown as { __lungBurdenReview: { surface: { whenIdle(): Promise<void> } } }).__lungBurdenReview;
          const t = performance.now();
          await p.surface.whenIdle();
          return performance.now() - t;
        }),
      );
    }
  }
  const brush = await page.evaluate(() => {
    const p = (
      window as unknown as {
        __lungBurdenReview: { brushPieceMs: number[]; lastBurdenMs: number; surface: { lastRebuildMs: number; rebuilds: number } };
      }
    ).__lungBurdenReview;
    return {
      pieces: [...p.brushPieceMs],
      burdenUpdateMs: +p.lastBurdenMs.toFixed(2),
      rebuildMs: +p.surface.lastRebuildMs.toFixed(1),
      rebuilds: p.surface.rebuilds,
    };
  });
  const heapEditedMb = await heapMb();
  const jsHeap = await page.evaluate(
    () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null,
  );

  console.log(
    JSON.stringify({
      volume: { size: [512, 512, slices], spacingMm: [0.7, 0.7, 1.0] },
      loadavg1: +loadavg()[0]!.toFixed(2),
      openCaseMs,
      openCaseInPageMs: +inPageOpenMs.toFixed(0),
      sliceScroll,
      brush: {
        pieces: brush.pieces.length,
        p50Ms: pct(brush.pieces, 0.5),
        p95Ms: pct(brush.pieces, 0.95),
        burdenUpdateMs: brush.burdenUpdateMs,
      },
      surfaceRefresh: {
        afterStrokeP50Ms: pct(endToEnd3dMs, 0.5),
        afterStrokeMaxMs: pct(endToEnd3dMs, 1),
        rebuildMs: brush.rebuildMs,
        debounceMs: 50,
        rebuilds: brush.rebuilds,
      },
      memory: { heapWorklistMb, heapOpenMb, heapEditedMb, performanceMemoryMb: jsHeap === null ? null : +(jsHeap / 2 ** 20).toFixed(1) },
    }),
  );
} finally {
  await browser.close();
  await srv.stop();
}
