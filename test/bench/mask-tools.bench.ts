/**
 * Mask-tools benchmark: prints ONE JSON object.
 *
 *   node_modules/.bin/node --import tsx test/bench/mask-tools.bench.ts [--runs 40] [--slices 300]
 *
 * On a 512×512×N grid at 0.7 × 0.7 × 1.0 mm (N = 300 by default) with a synthetic chest-like HU
 * volume (lung −850 HU with ±60 HU noise, a −600 HU GGO ball of radius 30 mm, a +20 HU
 * consolidation ball): p50/p95 wall time in ms of
 * - brush strokes: one pointer-move segment (10 mm) with the default 25 mm circle and sphere, the
 *   threshold sphere, and a whole 30-sample 200 mm drag with a 10 mm sphere applied at once;
 * - the same drag painted per pointer event (29 segments) and `composePatches` of its pieces;
 * - undo of a brush segment (`applyPatch` backward);
 * - flood fill: 3-D HU-range fill of the GGO ball (≈ 230 k voxels) and a 2-D fill in one slice;
 * - islands: remove-small (< 1000 voxels, Slicer's default) and keep-largest on a label map with
 *   60 blobs and 3000 specks;
 * - interpolation: "fill between slices" of two classes between key slices 20 apart, with the
 *   automatic key-slice scan of the whole volume;
 * - undo history: `toBytes` of the brush session.
 * Every edit is undone (untimed) before the next run so each run starts from the same labels.
 * The target is brush stroke p95 ≤ 16 ms (one frame); `budgetFraction` = worst brush p95 / 16.
 * Wall times depend on the machine's load, which is reported (1-minute load average); the
 * process CPU times (`cpuP50Ms`, `cpuP95Ms`) are what the operation itself costs.
 */
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { LabelMap } from '../../shared/domain/label-map.ts';
import { IDENTITY_DIRECTION, type Vec3, type Volume } from '../../shared/domain/volume.ts';
import { paintStroke } from '../../shared/imaging/mask-tools/brush.ts';
import { applyPatch, composePatches, type EditPatch } from '../../shared/imaging/mask-tools/edit-patch.ts';
import { floodFill } from '../../shared/imaging/mask-tools/flood-fill.ts';
import { interpolateSlices } from '../../shared/imaging/mask-tools/interpolate.ts';
import { removeIslands } from '../../shared/imaging/mask-tools/islands.ts';
import { paintThresholdStroke } from '../../shared/imaging/mask-tools/threshold-brush.ts';
import { UndoStack } from '../../shared/imaging/mask-tools/undo-stack.ts';

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '40' }, slices: { type: 'string', default: '300' } },
});
const runs = Math.max(5, Number(args.runs));
const size: Vec3 = [512, 512, Math.max(40, Number(args.slices))];
const spacingMm: Vec3 = [0.7, 0.7, 1.0];
const [nI, nJ, nK] = size;
const n = nI * nJ * nK;
const geometry = {
  size,
  spacingMm,
  originLps: [0, 0, 0] as Vec3,
  directionLps: IDENTITY_DIRECTION,
};

let seed = 12345;
const rand = (): number => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 4294967296;
};

// Synthetic HU: lung everywhere, a GGO ball and a consolidation ball.
const hu = new Int16Array(n);
const ggoCentre: Vec3 = [256, 256, Math.floor(nK / 2)];
const ggoRadiusMm = 30;
for (let k = 0; k < nK; k++) {
  for (let j = 0; j < nJ; j++) {
    const base = j * nI + k * nI * nJ;
    for (let i = 0; i < nI; i++) {
      const dx = (i - ggoCentre[0]) * 0.7,
        dy = (j - ggoCentre[1]) * 0.7,
        dz = k - ggoCentre[2];
      const dc = (i - 120) * 0.7,
        dd = (j - 380) * 0.7,
        de = k - ggoCentre[2];
      let v = -850 + Math.floor(rand() * 120) - 60;
      if (dx * dx + dy * dy + dz * dz <= ggoRadiusMm * ggoRadiusMm) v = -600 + Math.floor(rand() * 40) - 20;
      if (dc * dc + dd * dd + de * de <= 400) v = 20;
      hu[base + i] = v;
    }
  }
}
const volume: Volume = { ...geometry, data: hu };
const labelMap: LabelMap = { ...geometry, data: new Uint8Array(n) };
const labels = labelMap.data;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Stat {
  p50Ms: number;
  p95Ms: number;
  cpuP50Ms: number;
  cpuP95Ms: number;
  runs: number;
  medianVoxelsChanged: number;
}

/** CPU time (user + system) of this process in ms: less sensitive than wall time to other processes on a shared machine. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Times `op` `count` times after 3 warm-up calls; every patch is undone untimed. */
function measure(count: number, op: (run: number) => EditPatch, undoTimes?: number[]): Stat {
  const times: number[] = [];
  const cpu: number[] = [];
  const changed: number[] = [];
  for (let r = -3; r < count; r++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    const patch = op(r);
    const t1 = performance.now();
    const c1 = cpuMs();
    const u0 = performance.now();
    applyPatch(labels, patch, 'backward');
    const u1 = performance.now();
    if (r < 0) continue;
    times.push(t1 - t0);
    cpu.push(c1 - c0);
    changed.push(patch.indices.length);
    undoTimes?.push(u1 - u0);
  }
  const wall = summary(times);
  const cpuStat = summary(cpu);
  changed.sort((a, b) => a - b);
  return {
    p50Ms: wall.p50Ms,
    p95Ms: wall.p95Ms,
    cpuP50Ms: cpuStat.p50Ms,
    cpuP95Ms: cpuStat.p95Ms,
    runs: count,
    medianVoxelsChanged: percentile(changed, 50),
  };
}

function summary(times: number[]): { p50Ms: number; p95Ms: number; runs: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    runs: sorted.length,
  };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** A random pointer-move segment of 10 mm in an axial slice, away from the borders. */
function segment(run: number): Vec3[] {
  const i = 60 + rand() * 390,
    j = 60 + rand() * 390,
    k = 20 + ((run * 7) % (nK - 40));
  const angle = rand() * 2 * Math.PI;
  return [
    [i, j, k],
    [i + (Math.cos(angle) * 10) / 0.7, j + (Math.sin(angle) * 10) / 0.7, k],
  ];
}

/** A random 10 mm segment inside the GGO ball (so the threshold brush has GGO to paint). */
function ggoSegment(): Vec3[] {
  const i = ggoCentre[0] - 20 + rand() * 40,
    j = ggoCentre[1] - 20 + rand() * 40,
    k = ggoCentre[2] - 10 + rand() * 20;
  return [
    [i, j, k],
    [i + 10 / 0.7, j, k],
  ];
}

/** A random 200 mm drag sampled at 30 pointer events. */
function drag(run: number): Vec3[] {
  const k = 20 + ((run * 11) % (nK - 40));
  const i0 = 80 + rand() * 60,
    j0 = 80 + rand() * 350;
  const points: Vec3[] = [];
  for (let m = 0; m < 30; m++) points.push([i0 + (m * 200) / 29 / 0.7, j0 + Math.sin(m / 4) * 20, k]);
  return points;
}

const brushUndo: number[] = [];
const results: Record<string, unknown> = {};
const history = new UndoStack({ voxelCount: n });
results['brushSegmentCircle25mm'] = measure(
  runs,
  (r) => {
    const patch = paintStroke(labelMap, { frame: 'ijk', points: segment(r) }, { value: 1, radiusMm: 25, shape: 'circle', plane: 'axial' });
    history.push(patch, 'Brush');
    return patch;
  },
  brushUndo,
);
history.clear();
results['brushSegmentSphere25mm'] = measure(
  runs,
  (r) => {
    const patch = paintStroke(labelMap, { frame: 'ijk', points: segment(r) }, { value: 2, radiusMm: 25, shape: 'sphere' });
    if (history.undoCount < 20) history.push(patch, 'Brush');
    return patch;
  },
  brushUndo,
);
results['thresholdBrushSegmentSphere25mm'] = measure(runs, () =>
  paintThresholdStroke(
    labelMap,
    volume,
    { frame: 'ijk', points: ggoSegment() },
    {
      value: 1,
      radiusMm: 25,
      shape: 'sphere',
      huRange: { minHu: -750, maxHu: -300 },
    },
  ),
);
results['brushDrag200mmSphere10mm'] = measure(runs, (r) =>
  paintStroke(labelMap, { frame: 'ijk', points: drag(r) }, { value: 1, radiusMm: 10, shape: 'sphere' }),
);
// The same drags painted per pointer event (29 segments), then merged into one undo step.
const segmentTimes: number[] = [];
const segmentCpu: number[] = [];
const composeTimes: number[] = [];
const composeCpu: number[] = [];
for (let r = -2; r < Math.max(5, Math.floor(runs / 4)); r++) {
  const points = drag(r);
  const parts: EditPatch[] = [];
  for (let m = 0; m + 1 < points.length; m++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    parts.push(paintStroke(labelMap, { frame: 'ijk', points: [points[m]!, points[m + 1]!] }, { value: 1, radiusMm: 10, shape: 'sphere' }));
    if (r >= 0) {
      segmentTimes.push(performance.now() - t0);
      segmentCpu.push(cpuMs() - c0);
    }
  }
  const c0 = cpuMs();
  const t0 = performance.now();
  const whole = composePatches(parts);
  if (r >= 0) {
    composeTimes.push(performance.now() - t0);
    composeCpu.push(cpuMs() - c0);
  }
  applyPatch(labels, whole, 'backward');
}
results['brushDragPerSegmentSphere10mm'] = {
  ...summary(segmentTimes),
  cpuP50Ms: summary(segmentCpu).p50Ms,
  cpuP95Ms: summary(segmentCpu).p95Ms,
};
results['composeDrag29Segments'] = {
  ...summary(composeTimes),
  cpuP50Ms: summary(composeCpu).p50Ms,
};
results['undoBrushSegment'] = summary(brushUndo);
const brushKeys = [
  'brushDragPerSegmentSphere10mm',
  'brushSegmentCircle25mm',
  'brushSegmentSphere25mm',
  'thresholdBrushSegmentSphere25mm',
  'brushDrag200mmSphere10mm',
];
const brushP95 = Math.max(...brushKeys.map((key) => (results[key] as Stat).p95Ms));
const brushCpuP95 = Math.max(...brushKeys.map((key) => (results[key] as Stat).cpuP95Ms));

const fillRuns = Math.max(5, Math.floor(runs / 4));
results['floodFill3dHuRange'] = measure(
  fillRuns,
  () =>
    floodFill(labelMap, ggoCentre, {
      value: 1,
      huRange: { minHu: -700, maxHu: -500 },
      volume,
      maxVoxels: 5_000_000,
    }).patch,
);
results['floodFill2dHuRange'] = measure(
  fillRuns,
  () =>
    floodFill(labelMap, ggoCentre, {
      value: 1,
      plane: 'axial',
      huRange: { minHu: -700, maxHu: -500 },
      volume,
    }).patch,
);

// Islands: 60 blobs (radius 3–25 mm) of classes 1/2 and 3000 specks.
for (let b = 0; b < 60; b++) {
  const c: Vec3 = [40 + rand() * 430, 40 + rand() * 430, 10 + rand() * (nK - 20)];
  paintStroke(labelMap, { frame: 'ijk', points: [c] }, { value: 1 + (b % 2), radiusMm: 3 + rand() * 22, shape: 'sphere' });
}
for (let s = 0; s < 3000; s++) labels[Math.floor(rand() * n)] = 1 + (s % 2);
const islandRuns = Math.max(5, Math.floor(runs / 8));
results['islandsRemoveSmall1000'] = measure(islandRuns, () => removeIslands(labelMap, { mode: 'remove-small', minVoxels: 1000 }).patch);
results['islandsKeepLargest26'] = measure(islandRuns, () => removeIslands(labelMap, { mode: 'keep-largest', connectivity: 26 }).patch);
labels.fill(0);

// Interpolation: two classes, key slices 20 apart (radius 30 → 20 mm and 15 → 25 mm).
const k0 = Math.floor(nK / 2) - 10,
  k1 = k0 + 20;
for (const [k, r1, r2] of [
  [k0, 30, 15],
  [k1, 20, 25],
] as const) {
  paintStroke(labelMap, { frame: 'ijk', points: [[200, 250, k]] }, { value: 1, radiusMm: r1, shape: 'circle', plane: 'axial' });
  paintStroke(
    labelMap,
    {
      frame: 'ijk',
      points: [
        [330, 260, k],
        [340, 300, k],
      ],
    },
    { value: 2, radiusMm: r2, shape: 'circle', plane: 'axial' },
  );
}
results['interpolate2Classes20Slices'] = measure(islandRuns, () => interpolateSlices(labelMap, { plane: 'axial' }).patch);
labels.fill(0);

const serialise: number[] = [];
const serialiseCpu: number[] = [];
const restoreCpu: number[] = [];
let historyBytes: Uint8Array = new Uint8Array(0);
for (let r = 0; r < 5; r++) {
  const c0 = cpuMs();
  const t0 = performance.now();
  historyBytes = history.toBytes();
  serialise.push(performance.now() - t0);
  const c1 = cpuMs();
  serialiseCpu.push(c1 - c0);
  UndoStack.fromBytes(historyBytes, n);
  restoreCpu.push(cpuMs() - c1);
}
const historyVoxels = history.history().reduce((s, h) => s + h.voxels, 0);
results['undoHistoryToBytes'] = {
  ...summary(serialise),
  cpuP50Ms: summary(serialiseCpu).p50Ms,
  fromBytesCpuP50Ms: summary(restoreCpu).p50Ms,
  steps: history.undoCount,
  voxels: historyVoxels,
  bytes: historyBytes.length,
  bytesPerVoxel: round(historyBytes.length / historyVoxels),
};

console.log(
  JSON.stringify(
    {
      grid: { size, spacingMm },
      loadAverage1m: round(loadavg()[0]!),
      cpus: availableParallelism(),
      brushTargetP95Ms: 16,
      brushWorstP95Ms: brushP95,
      budgetFraction: round(brushP95 / 16),
      brushWorstCpuP95Ms: brushCpuP95,
      cpuBudgetFraction: round(brushCpuP95 / 16),
      results,
    },
    null,
    2,
  ),
);
