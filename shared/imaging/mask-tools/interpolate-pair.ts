import { components2d, type Components2d } from './components-2d.ts';
import { signedDistance2d } from './distance-transform-2d.ts';

// Shape-based interpolation of one class between two key slices (used by interpolateSlices):
// components are matched by overlap, lone ones by nearest centroid, and each match is morphed by
// blending the signed distance maps of its two shapes.

/** A correspondence to interpolate: components of A and of B, and B's offset from A (pixels). */
interface Job {
  readonly inA: Uint8Array | null;
  readonly inB: Uint8Array | null;
  readonly dx: number;
  readonly dy: number;
}

/**
 * Interpolates one class between two key-slice masks (see `interpolateSlices`), writing `label`
 * into `planeFor(step)` (step = 1 … steps − 1 slices after A) where the pixel is still 0.
 * Returns whether either mask had any pixel.
 */
export function interpolatePair(
  maskA: Uint8Array,
  maskB: Uint8Array,
  width: number,
  height: number,
  sp: number,
  sq: number,
  steps: number,
  label: number,
  planeFor: (step: number) => Uint8Array,
): boolean {
  const ca = components2d(maskA, width, height);
  const cb = components2d(maskB, width, height);
  const nA = ca.count,
    nB = cb.count;
  if (nA + nB === 0) return false;

  // Overlap groups: union-find over A components (0..nA−1) and B components (nA..nA+nB−1).
  const parent = Int32Array.from({ length: nA + nB }, (_, x) => x);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  for (let p = 0; p < maskA.length; p++) {
    const la = ca.labels[p]!,
      lb = cb.labels[p]!;
    if (la === 0 || lb === 0) continue;
    const ra = find(la - 1),
      rb = find(nA + lb - 1);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  const jobs: Job[] = [];
  const groupA = new Map<number, Uint8Array>();
  const groupB = new Map<number, Uint8Array>();
  for (let x = 0; x < nA + nB; x++) {
    const root = find(x);
    const isA = x < nA;
    const groups = isA ? groupA : groupB;
    let flags = groups.get(root);
    if (flags === undefined) groups.set(root, (flags = new Uint8Array((isA ? nA : nB) + 1)));
    flags[isA ? x + 1 : x - nA + 1] = 1;
  }
  const loneA: number[] = [],
    loneB: number[] = [];
  for (const [root, flagsA] of groupA) {
    const flagsB = groupB.get(root);
    if (flagsB !== undefined) jobs.push({ inA: flagsA, inB: flagsB, dx: 0, dy: 0 });
    else loneA.push(flagsA.indexOf(1) - 1);
  }
  for (const [root, flagsB] of groupB) if (!groupA.has(root)) loneB.push(flagsB.indexOf(1) - 1);

  // Pair lone components by nearest centroid (mm), greedily, within 4·(rA + rB).
  const candidates: [number, number, number][] = [];
  for (const a of loneA) {
    for (const b of loneB) {
      const dxMm = (centroid(cb.sumX, cb.area, b) - centroid(ca.sumX, ca.area, a)) * sp;
      const dyMm = (centroid(cb.sumY, cb.area, b) - centroid(ca.sumY, ca.area, a)) * sq;
      const distance = Math.hypot(dxMm, dyMm);
      const limit = 4 * (equivalentRadius(ca, a, sp, sq) + equivalentRadius(cb, b, sp, sq));
      if (distance <= limit) candidates.push([distance, a, b]);
    }
  }
  candidates.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
  const usedA = new Set<number>(),
    usedB = new Set<number>();
  for (const [, a, b] of candidates) {
    if (usedA.has(a) || usedB.has(b)) continue;
    usedA.add(a);
    usedB.add(b);
    jobs.push({
      inA: single(nA, a),
      inB: single(nB, b),
      dx: Math.round(centroid(cb.sumX, cb.area, b) - centroid(ca.sumX, ca.area, a)),
      dy: Math.round(centroid(cb.sumY, cb.area, b) - centroid(ca.sumY, ca.area, a)),
    });
  }
  for (const a of loneA) if (!usedA.has(a)) jobs.push({ inA: single(nA, a), inB: null, dx: 0, dy: 0 });
  for (const b of loneB) if (!usedB.has(b)) jobs.push({ inA: null, inB: single(nB, b), dx: 0, dy: 0 });

  for (const job of jobs) runJob(job, ca, cb, width, height, sp, sq, steps, label, planeFor);
  return true;
}

function centroid(sum: Float64Array, area: Float64Array, c: number): number {
  return sum[c]! / area[c]!;
}

function equivalentRadius(comps: Components2d, c: number, sp: number, sq: number): number {
  return Math.sqrt((comps.area[c]! * sp * sq) / Math.PI);
}

function single(count: number, c: number): Uint8Array {
  const flags = new Uint8Array(count + 1);
  flags[c + 1] = 1;
  return flags;
}

/** Interpolates one job inside the (1-pixel padded) box of its shapes, in A's frame. */
function runJob(
  job: Job,
  ca: Components2d,
  cb: Components2d,
  width: number,
  height: number,
  sp: number,
  sq: number,
  steps: number,
  label: number,
  planeFor: (step: number) => Uint8Array,
): void {
  const { inA, inB, dx, dy } = job;
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  const extend = (comps: Components2d, flags: Uint8Array, ox: number, oy: number): void => {
    for (let c = 0; c < comps.count; c++) {
      if (flags[c + 1] === 0) continue;
      x0 = Math.min(x0, comps.minX[c]! - ox);
      x1 = Math.max(x1, comps.maxX[c]! - ox);
      y0 = Math.min(y0, comps.minY[c]! - oy);
      y1 = Math.max(y1, comps.maxY[c]! - oy);
    }
  };
  if (inA !== null) extend(ca, inA, 0, 0);
  if (inB !== null) extend(cb, inB, dx, dy);
  x0 -= 1;
  y0 -= 1;
  const bw = x1 - x0 + 2,
    bh = y1 - y0 + 2;

  // Masks in the box; B is shifted back by (dx, dy) onto A's frame.
  const boxMask = (comps: Components2d, flags: Uint8Array, ox: number, oy: number): Uint8Array => {
    const mask = new Uint8Array(bw * bh);
    for (let v = 0; v < bh; v++) {
      const y = y0 + v + oy;
      if (y < 0 || y >= height) continue;
      for (let u = 0; u < bw; u++) {
        const x = x0 + u + ox;
        if (x < 0 || x >= width) continue;
        const c = comps.labels[x + y * width]!;
        if (c !== 0 && flags[c] !== 0) mask[u + v * bw] = 1;
      }
    }
    return mask;
  };
  let sdfA = inA === null ? null : signedDistance2d(boxMask(ca, inA, 0, 0), bw, bh, sp, sq);
  let sdfB = inB === null ? null : signedDistance2d(boxMask(cb, inB, dx, dy), bw, bh, sp, sq);
  // A shape without a partner: the partner is the shape lifted by twice its depth, so the shape
  // shrinks towards its deepest point and disappears past half-way.
  if (sdfA === null) sdfA = lifted(sdfB!);
  if (sdfB === null) sdfB = lifted(sdfA);

  for (let step = 1; step < steps; step++) {
    const t = step / steps;
    const ox = Math.round(t * dx),
      oy = Math.round(t * dy);
    let plane: Uint8Array | null = null;
    for (let v = 0; v < bh; v++) {
      const y = y0 + v + oy;
      if (y < 0 || y >= height) continue;
      for (let u = 0; u < bw; u++) {
        const b = u + v * bw;
        if ((1 - t) * sdfA[b]! + t * sdfB[b]! > 0) continue;
        const x = x0 + u + ox;
        if (x < 0 || x >= width) continue;
        plane ??= planeFor(step);
        if (plane[x + y * width] === 0) plane[x + y * width] = label;
      }
    }
  }
}

function lifted(sdf: Float64Array): Float64Array {
  let depth = 0;
  for (let p = 0; p < sdf.length; p++) if (-sdf[p]! > depth) depth = -sdf[p]!;
  const out = new Float64Array(sdf.length);
  for (let p = 0; p < sdf.length; p++) out[p] = sdf[p]! + 2 * depth;
  return out;
}
