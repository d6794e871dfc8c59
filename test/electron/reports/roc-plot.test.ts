import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { rocPlotPng } from '../../../electron/services/reports/roc-plot.ts';
import { rocSummary } from '../../../shared/export/roc.ts';

test('ROC plot: a PNG with the curve drawn above the chance diagonal and the operating point marked', () => {
  const s = rocSummary([0.9, 0.8, 0.7, 0.7, 0.6, 0.4, 0.3, 0.2], [true, true, false, true, true, false, false, false], { threshold: 0.7 });
  const png = PNG.sync.read(
    rocPlotPng(s.points, { auroc: s.auroc, atTarget: s.atTargetSensitivity, atThreshold: s.atThreshold, size: 400 }),
  );
  assert.equal(png.width, 400);
  const at = (x: number, y: number) => Array.from(png.data.subarray(4 * (x + y * 400), 4 * (x + y * 400) + 3));
  // Plot geometry of roc-plot.ts: left margin 56, top 24, side 400 - 80 = 320.
  const px = (f: number) => Math.round(56 + f * 320);
  const py = (t: number) => Math.round(24 + (1 - t) * 320);
  // The curve passes through (fpr 0, tpr 0.5) and (0.25, 1): navy pixels there.
  assert.deepEqual(at(px(0.25), py(1)), [20, 48, 79]);
  assert.deepEqual(at(px(0) + 1, py(0.5)), [20, 48, 79]);
  // Red marker ring around the >= 95 % sensitivity point (fpr 0.25, tpr 1), radius 6.
  assert.deepEqual(at(px(0.25) + 6, py(1)), [200, 30, 30]);
  // A point well below the diagonal stays white.
  assert.deepEqual(at(px(0.85), py(0.15)), [255, 255, 255]);
});
