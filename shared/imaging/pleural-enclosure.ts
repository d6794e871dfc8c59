import type { Vec3 } from '../domain/volume.ts';

/** Options of {@link addPleuralEnclosures} (HU and mm). */
export interface PleuralEnclosureOptions {
  /**
   * Voxels at or above this are bone (default 200 HU). Contrast-filled vessels reach it too: the
   * cage wall discards them by its shape, and other "bone" only counts in the posterior half of
   * the slice (spine, posterior ribs, scapulae), never in the mediastinum's blood pool.
   */
  readonly boneHu?: number;
  /** Widest angular gap (degrees, seen from the slice's body centre) bridged between ribs (default 30°; the spine, seen from the centre, is wider). */
  readonly maxRibGapDeg?: number;
  /** Longest bridge drawn between two rib points (default 45 mm). */
  readonly maxRibBridgeMm?: number;
  /** Rays longer than this count as open (default 80 mm). */
  readonly maxRayMm?: number;
  /** Smallest lung-to-bone thickness of an accepted region (default 6 mm). */
  readonly minThicknessMm?: number;
  /** Rays allowed to leave the body or run open (default 2 of 8). */
  readonly maxOpenRays?: number;
  /**
   * Where gravity pulls fluid: `posterior` for a supine patient (default, DICOM HFS/FFS),
   * `anterior` for a prone one. An accepted region must have the lung on its non-dependent side
   * (or beside it) and the rib cage on its dependent side (or beside it).
   */
  readonly dependent?: 'posterior' | 'anterior';
  /**
   * Only slices in this lower fraction of the lungs' craniocaudal extent are searched (default
   * 0.6): effusions collect at the bases; in the upper chest the thick muscles between the
   * apices, the oblique first ribs and the scapulae cannot be told from pleural fluid.
   */
  readonly lowerFraction?: number;
  /** How far (mm) an accepted region grows in-plane into voxels of the same fluid (default 15). */
  readonly growMm?: number;
  /** HU tolerance around the accepted region's mean when growing it in-plane (default 20). */
  readonly growHu?: number;
  /**
   * Regions are grown and carried down only when their mean HU is at most this (default 30 HU:
   * pleural fluid and consolidation, not muscle at 40–60 HU).
   */
  readonly fluidMaxHu?: number;
  /** How far (mm) an accepted region is carried down below the last slice with lung (default 40). */
  readonly carryDownMm?: number;
  /** HU tolerance around the mean of the region above when carrying it down (default 30). */
  readonly carryDownHu?: number;
}

const PASS = 0;
/** The sealed rib cage wall (inner surface of the ribs and the bridges between them) of side 1 (CAGE_LEFT: side 2). */
const CAGE = 3;
const STOP = 4;
const FAR = 5;
/** Other bone (spine, sternum, scapula): encloses, but does not pair with the lung. */
const BONE = 6;
/** The rib cage wall beyond the left lung (side 2). */
const CAGE_LEFT = 7;

// direction pairs (d, −d): ±x, ±y and the two diagonals
const DIRS: readonly (readonly [number, number])[] = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [1, 1],
  [-1, -1],
  [1, -1],
  [-1, 1],
];

/**
 * Adds to each lung the dense tissue that lies between it and the rib cage: a dependent pleural
 * effusion, or a consolidation touching the pleura. Classical threshold masks lose exactly these
 * regions (lungmask issue #35, Lung CT Analyzer issue #20), and a morphological closing cannot
 * bring back a layer of fluid that follows the convex chest wall.
 *
 * Only the lower `lowerFraction` of the lungs' height is searched (k increasing to the head);
 * below the lowest lung, accepted regions are carried down ({@link carryDown}).
 *
 * Rays stop only on lung, bone, the rib cage wall and the outside of the body: fat, soft tissue
 * and non-lung air (air bronchograms in a consolidation, the partial-volume rim of the lung) let
 * them through, so a chest-wall voxel outside the ribs sees the outside of the body.
 *
 * Per axial slice (k fixed), the rib cage is first sealed ({@link sealRibCage}: a wall through the
 * inner surface of the first bone met beyond the lung, seen from the body centre, bridged across
 * intercostal gaps), then every other voxel inside the body (not lung, not bone) casts rays in
 * 8 directions (±i, ±j, diagonals). For side s (1 right, 2 left) the voxel is accepted when
 * - no ray meets the other lung within `maxRayMm`, and at most `maxOpenRays` rays leave the
 *   body or run open (longer than `maxRayMm`); the others end on lung s, bone or the rib cage
 *   wall. This rejects the mediastinum and heart (they see the other lung or run open), the
 *   chest wall outside the ribs (its rays leave the body) and the liver or spleen under a dome
 *   (rays run open), while an effusion next to the spine may have its rays towards the
 *   mediastinum open;
 * - along one of the 4 lines, one ray ends on lung s and the opposite ray on the rib cage wall
 *   beyond lung s,
 *   with at least `minThicknessMm` of tissue between them (so the normal thin
 *   pleura/extrapleural layer is not added, nor the posterior mediastinum between lung and spine),
 *   and the lung is not on the dependent side of that line (fluid lies below the lung: this
 *   rejects the liver, spleen or stomach cut by a slice through a diaphragm dome, which have
 *   the costophrenic recess of the lung behind them);
 * - it is 4-connected to lung s through accepted voxels.
 * Fluid-like accepted regions (mean ≤ `fluidMaxHu`) then grow in-plane by up to `growMm` into
 * voxels within `growHu` of their mean HU (the same fluid, e.g. beside the spine where no
 * lung-to-rib line crosses it).
 * `sides` (0 outside, 1 right, 2 left) is updated in place; returns the number of voxels added.
 */
export function addPleuralEnclosures(
  hu: Int16Array,
  body: Uint8Array,
  sides: Uint8Array,
  size: Vec3,
  spacingMm: Vec3,
  opts: PleuralEnclosureOptions = {},
): number {
  const [nx, ny, nz] = size;
  const slice = nx * ny;
  const boneHu = opts.boneHu ?? 200;
  const maxRay = opts.maxRayMm ?? 80;
  const minThick = opts.minThicknessMm ?? 6;
  const maxOpen = opts.maxOpenRays ?? 2;
  const down = (opts.dependent ?? 'posterior') === 'posterior' ? 1 : -1; // +j is posterior
  const maxGap = opts.maxRibGapDeg ?? 30;
  const maxBridge = opts.maxRibBridgeMm ?? 45;
  const margin = [Math.ceil(maxRay / spacingMm[0]), Math.ceil(maxRay / spacingMm[1])] as const;
  // craniocaudal extent of the lungs (k grows towards the head on an LPS-aligned grid)
  let kLow = -1;
  let kHigh = -1;
  for (let k = 0; k < nz; k++) {
    for (let q = k * slice, e = q + slice; q < e; q++) {
      if (sides[q] !== 0) {
        if (kLow < 0) kLow = k;
        kHigh = k;
        break;
      }
    }
  }
  if (kLow < 0) return 0;
  const kMax = kLow + (opts.lowerFraction ?? 0.6) * (kHigh - kLow);
  let added = 0;
  // per-slice buffers, allocated once at full-slice size
  const bone = new Uint8Array(slice);
  const lungRoi = new Uint8Array(slice);
  const code = new Uint8Array(slice);
  const open1 = new Uint8Array(slice); // open rays of side 1; 255 = met the other lung
  const open2 = new Uint8Array(slice);
  const pair1 = new Uint8Array(slice);
  const pair2 = new Uint8Array(slice);
  const hitA = new Uint8Array(slice);
  const hitB = new Uint8Array(slice);
  const stepsA = new Uint16Array(slice);
  const stepsB = new Uint16Array(slice);
  const acc = new Uint8Array(slice);
  const stack = new Int32Array(slice);
  const enclosed = new Uint8Array(sides.length); // side of the voxels this function added
  const depth = new Uint16Array(slice);
  const growSteps = Math.floor((opts.growMm ?? 15) / Math.min(spacingMm[0], spacingMm[1]));
  const growHu = opts.growHu ?? 20;
  const fluidMax = opts.fluidMaxHu ?? 30;
  const buf: SliceBuffers = {
    bone,
    lungRoi,
    code,
    open1,
    open2,
    pair1,
    pair2,
    hitA,
    hitB,
    stepsA,
    stepsB,
    acc,
    stack,
    depth,
  };
  for (let k = kLow; k <= kMax; k++) {
    const base = k * slice;
    const roi = sliceRoi(sides, base, nx, ny, margin[0], margin[1]);
    if (!roi) continue;
    const w = roi.i1 - roi.i0 + 1;
    const h = roi.j1 - roi.j0 + 1;
    const centre = fillSliceBuffers(hu, body, sides, base, nx, roi, boneHu, buf);
    const cage = sealRibCage(bone.subarray(0, w * h), lungRoi.subarray(0, w * h), w, h, centre.cx, centre.cy, spacingMm, maxGap, maxBridge);
    buildCodes(sides, body, cage, base, nx, roi, centre.backJ, down, buf);
    for (let d = 0; d < DIRS.length; d += 2) {
      const [dx, dy] = DIRS[d] as readonly [number, number];
      sweep(code, w, h, dx, dy, hitA, stepsA);
      sweep(code, w, h, -dx, -dy, hitB, stepsB);
      const stepMm = Math.hypot(dx * spacingMm[0], dy * spacingMm[1]);
      // which end of this line may hold the lung: A (direction d), B (−d), or both when level
      evaluateLine(buf, w * h, dy * down <= 0, -dy * down <= 0, maxRay / stepMm, (minThick + stepMm) / stepMm);
    }
    for (let s = 1; s <= 2; s++) {
      added += acceptSide(s, hu, sides, enclosed, base, nx, roi, buf, maxOpen, growSteps, growHu, fluidMax);
    }
  }
  added += carryDown(hu, body, sides, enclosed, size, spacingMm, boneHu, opts.carryDownMm ?? 40, opts.carryDownHu ?? 30, fluidMax);
  return added;
}

/** Reused per-slice work arrays (full-slice length; the ROI uses the first w·h entries). */
interface SliceBuffers {
  readonly bone: Uint8Array;
  readonly lungRoi: Uint8Array;
  readonly code: Uint8Array;
  readonly open1: Uint8Array;
  readonly open2: Uint8Array;
  readonly pair1: Uint8Array;
  readonly pair2: Uint8Array;
  readonly hitA: Uint8Array;
  readonly hitB: Uint8Array;
  readonly stepsA: Uint16Array;
  readonly stepsB: Uint16Array;
  readonly acc: Uint8Array;
  readonly stack: Int32Array;
  readonly depth: Uint16Array;
}

interface Roi {
  readonly i0: number;
  readonly i1: number;
  readonly j0: number;
  readonly j1: number;
}

/** Bounding box of the lungs in one slice grown by the margins, or null without lung. */
function sliceRoi(sides: Uint8Array, base: number, nx: number, ny: number, mx: number, my: number): Roi | null {
  let i0 = nx;
  let i1 = -1;
  let j0 = ny;
  let j1 = -1;
  for (let j = 0; j < ny; j++) {
    const row = base + j * nx;
    for (let i = 0; i < nx; i++) {
      if (sides[row + i] !== 0) {
        if (i < i0) i0 = i;
        if (i > i1) i1 = i;
        if (j < j0) j0 = j;
        j1 = j;
      }
    }
  }
  if (i1 < 0) return null;
  return {
    i0: Math.max(0, i0 - mx),
    i1: Math.min(nx - 1, i1 + mx),
    j0: Math.max(0, j0 - my),
    j1: Math.min(ny - 1, j1 + my),
  };
}

/** Bone and lung of the ROI into the buffers; body centre and the lungs' mean row. */
function fillSliceBuffers(
  hu: Int16Array,
  body: Uint8Array,
  sides: Uint8Array,
  base: number,
  nx: number,
  roi: Roi,
  boneHu: number,
  buf: SliceBuffers,
): { cx: number; cy: number; backJ: number } {
  const { bone, lungRoi } = buf;
  const w = roi.i1 - roi.i0 + 1;
  const h = roi.j1 - roi.j0 + 1;
  let cxSum = 0;
  let cySum = 0;
  let cnt = 0;
  let lungJ = 0;
  let lungCnt = 0;
  for (let j = 0, q = 0; j < h; j++) {
    const row = base + (j + roi.j0) * nx + roi.i0;
    for (let i = 0; i < w; i++, q++) {
      const p = row + i;
      let b = 0;
      if (body[p] !== 0) {
        if ((hu[p] as number) >= boneHu) b = 1;
        cxSum += i;
        cySum += j;
        cnt++;
      }
      bone[q] = b;
      const sd = sides[p] as number;
      lungRoi[q] = sd;
      if (sd !== 0) {
        lungJ += j;
        lungCnt++;
      }
    }
  }
  return {
    cx: cxSum / Math.max(1, cnt),
    cy: cySum / Math.max(1, cnt),
    backJ: lungJ / Math.max(1, lungCnt),
  };
}

/** Voxel codes of the ROI; clears the per-side counters. */
function buildCodes(
  sides: Uint8Array,
  body: Uint8Array,
  cage: Uint8Array,
  base: number,
  nx: number,
  roi: Roi,
  backJ: number,
  down: number,
  buf: SliceBuffers,
): void {
  const { bone, code, open1, open2, pair1, pair2 } = buf;
  const w = roi.i1 - roi.i0 + 1;
  const h = roi.j1 - roi.j0 + 1;
  for (let j = 0, q = 0; j < h; j++) {
    const posterior = (j - backJ) * down > 0; // other bone counts only in the posterior half
    const row = base + (j + roi.j0) * nx + roi.i0;
    for (let i = 0; i < w; i++, q++) {
      const p = row + i;
      const sd = sides[p] as number;
      let c = PASS;
      if (sd !== 0) c = sd;
      else if (cage[q] !== 0) c = cage[q] === 1 ? CAGE : CAGE_LEFT;
      else if (bone[q] !== 0 && posterior) c = BONE;
      else if (body[p] === 0) c = STOP;
      code[q] = c;
    }
  }
  const n = w * h;
  open1.fill(0, 0, n);
  open2.fill(0, 0, n);
  pair1.fill(0, 0, n);
  pair2.fill(0, 0, n);
}

/** Updates the open-ray counts and lung–cage pairs of both sides with one line (d, −d). */
function evaluateLine(buf: SliceBuffers, n: number, lungMayBeA: boolean, lungMayBeB: boolean, maxSteps: number, minSteps: number): void {
  const { code, hitA, hitB, stepsA, stepsB, open1, open2, pair1, pair2 } = buf;
  for (let q = 0; q < n; q++) {
    if (code[q] !== PASS) continue;
    const ha = hitA[q] as number;
    const hb = hitB[q] as number;
    const sa = stepsA[q] as number;
    const sb = stepsB[q] as number;
    const nearA = sa <= maxSteps;
    const nearB = sb <= maxSteps;
    const thick = sa + sb >= minSteps;
    // side 1 (right): the other lung is 2, its wall CAGE
    if (open1[q] !== 255) {
      if ((ha === 2 && nearA) || (hb === 2 && nearB)) open1[q] = 255;
      else {
        const okA = (ha === 1 || ha === CAGE || ha === BONE) && nearA;
        const okB = (hb === 1 || hb === CAGE || hb === BONE) && nearB;
        open1[q] = (open1[q] as number) + (okA ? 0 : 1) + (okB ? 0 : 1);
        if (thick && ((lungMayBeA && ha === 1 && hb === CAGE) || (lungMayBeB && ha === CAGE && hb === 1))) pair1[q] = 1;
      }
    }
    // side 2 (left)
    if (open2[q] !== 255) {
      if ((ha === 1 && nearA) || (hb === 1 && nearB)) open2[q] = 255;
      else {
        const okA = (ha === 2 || ha === CAGE_LEFT || ha === BONE) && nearA;
        const okB = (hb === 2 || hb === CAGE_LEFT || hb === BONE) && nearB;
        open2[q] = (open2[q] as number) + (okA ? 0 : 1) + (okB ? 0 : 1);
        if (thick && ((lungMayBeA && ha === 2 && hb === CAGE_LEFT) || (lungMayBeB && ha === CAGE_LEFT && hb === 2))) pair2[q] = 1;
      }
    }
  }
}

/**
 * Accepted voxels of side s that are 4-connected to lung s, grown into the same fluid, written
 * into `sides` and `enclosed`; returns how many were added.
 */
function acceptSide(
  s: number,
  hu: Int16Array,
  sides: Uint8Array,
  enclosed: Uint8Array,
  base: number,
  nx: number,
  roi: Roi,
  buf: SliceBuffers,
  maxOpen: number,
  growSteps: number,
  growHu: number,
  fluidMax: number,
): number {
  const { code, acc, stack, depth } = buf;
  const o = s === 1 ? buf.open1 : buf.open2;
  const pr = s === 1 ? buf.pair1 : buf.pair2;
  const w = roi.i1 - roi.i0 + 1;
  const h = roi.j1 - roi.j0 + 1;
  const n = w * h;
  let any = false;
  for (let q = 0; q < n; q++) {
    const a = code[q] === PASS && (o[q] as number) <= maxOpen && pr[q] !== 0 ? 1 : 0;
    acc[q] = a;
    if (a) any = true;
  }
  if (!any) return 0;
  let sp = 0;
  for (let j = 0, q = 0; j < h; j++) {
    for (let i = 0; i < w; i++, q++) {
      if (code[q] !== s) continue;
      if (i > 0 && acc[q - 1] === 1) stack[sp++] = q - 1;
      if (i < w - 1 && acc[q + 1] === 1) stack[sp++] = q + 1;
      if (j > 0 && acc[q - w] === 1) stack[sp++] = q - w;
      if (j < h - 1 && acc[q + w] === 1) stack[sp++] = q + w;
      if (sp > stack.length - 4) break;
    }
  }
  while (sp > 0) {
    const q = stack[--sp] as number;
    if (acc[q] !== 1) continue;
    acc[q] = 2;
    const i = q % w;
    if (i > 0 && acc[q - 1] === 1) stack[sp++] = q - 1;
    if (i < w - 1 && acc[q + 1] === 1) stack[sp++] = q + 1;
    if (q >= w && acc[q - w] === 1) stack[sp++] = q - w;
    if (q + w < n && acc[q + w] === 1) stack[sp++] = q + w;
  }
  // grow in-plane into the same fluid (the part of an effusion beside the spine, where no
  // lung-to-rib line crosses it): PASS voxels within growHu of the accepted mean, ≤ growSteps
  let hsum = 0;
  let hcnt = 0;
  sp = 0;
  for (let j = 0, q = 0; j < h; j++) {
    const row = base + (j + roi.j0) * nx + roi.i0;
    for (let i = 0; i < w; i++, q++) {
      if (acc[q] === 2) {
        hsum += hu[row + i] as number;
        hcnt++;
        depth[q] = 0;
        stack[sp++] = q;
      }
    }
  }
  const mean = hsum / Math.max(1, hcnt);
  if (mean <= fluidMax && growSteps > 0) {
    // breadth-first: the stack array is used as a queue
    let head = 0;
    while (head < sp) {
      const q = stack[head++] as number;
      const dq = (depth[q] as number) + 1;
      if (dq > growSteps) continue;
      const i = q % w;
      const j = (q - i) / w;
      for (let t = 0; t < 4; t++) {
        let r = -1;
        if (t === 0 && i > 0) r = q - 1;
        else if (t === 1 && i < w - 1) r = q + 1;
        else if (t === 2 && j > 0) r = q - w;
        else if (t === 3 && j < h - 1) r = q + w;
        if (r < 0 || acc[r] === 2 || code[r] !== PASS) continue;
        const ri = r % w;
        const v = hu[base + ((r - ri) / w + roi.j0) * nx + roi.i0 + ri] as number;
        if (Math.abs(v - mean) > growHu) continue;
        acc[r] = 2;
        depth[r] = dq;
        stack[sp++] = r;
      }
    }
  }
  let added = 0;
  for (let j = 0, q = 0; j < h; j++) {
    const row = base + (j + roi.j0) * nx + roi.i0;
    for (let i = 0; i < w; i++, q++) {
      if (acc[q] === 2) {
        sides[row + i] = s;
        enclosed[row + i] = s;
        added++;
      }
    }
  }
  return added;
}

/**
 * Carries enclosed regions down, slice by slice: the lowest part of a dependent effusion fills
 * the posterior costophrenic recess where little or no lung is left in the slice to see it from.
 * A voxel is taken when the voxel above it was enclosed (same side) and its HU is within `tolHu`
 * of the mean of the enclosed voxels of that side in the slice above (fluid, not the liver or
 * spleen under it), for at most `depthMm` of consecutive slices, and only while that mean is
 * fluid-like (≤ `fluidMaxHu`).
 */
function carryDown(
  hu: Int16Array,
  body: Uint8Array,
  sides: Uint8Array,
  enclosed: Uint8Array,
  size: Vec3,
  spacingMm: Vec3,
  boneHu: number,
  depthMm: number,
  tolHu: number,
  fluidMaxHu: number,
): number {
  const [nx, ny, nz] = size;
  const slice = nx * ny;
  const maxSteps = Math.floor(depthMm / spacingMm[2]);
  let added = 0;
  const sum = [0, 0, 0];
  const cnt = [0, 0, 0];
  const steps = [0, 0, 0];
  for (let k = nz - 2; k >= 0; k--) {
    const above = (k + 1) * slice;
    sum[1] = sum[2] = cnt[1] = cnt[2] = 0;
    for (let q = 0; q < slice; q++) {
      const e = enclosed[above + q] as number;
      if (e !== 0) {
        sum[e] = (sum[e] as number) + (hu[above + q] as number);
        cnt[e] = (cnt[e] as number) + 1;
      }
    }
    for (const sd of [1, 2]) {
      if ((cnt[sd] as number) === 0) {
        steps[sd] = 0;
        continue;
      }
      if ((steps[sd] as number) >= maxSteps) continue;
      steps[sd] = (steps[sd] as number) + 1;
      const mean = (sum[sd] as number) / (cnt[sd] as number);
      if (mean > fluidMaxHu) continue;
      for (let q = 0; q < slice; q++) {
        if (enclosed[above + q] !== sd) continue;
        const p = k * slice + q;
        const v = hu[p] as number;
        if (sides[p] === 0 && body[p] !== 0 && v < boneHu && Math.abs(v - mean) <= tolHu) {
          sides[p] = sd;
          enclosed[p] = sd;
          added++;
        }
      }
    }
  }
  return added;
}

/**
 * The rib cage wall in one slice (w × h, row-major): 1 beyond the right lung, 2 beyond the left
 * lung, 0 elsewhere; `lung` holds the side labels (0, 1, 2). From the
 * centre (cx, cy) (voxel units), 360 rays find the first bone voxel beyond the outermost lung
 * voxel; those points, in angular order, are joined by straight 2-voxel-thick segments when at
 * most `maxGapDeg` and `maxBridgeMm` apart and beyond the same lung. A point more than 8 mm from the median radius of its ±15° neighbours
 * is dropped first (a ray that went through an intercostal gap and met the scapula, or met a
 * calcified vessel in the mediastinum).
 * The wall follows the inner surface of the ribs, so intercostal muscle stays outside it; the spine is mostly not part of it (rays reaching it do not cross lung).
 */
export function sealRibCage(
  bone: Uint8Array,
  lung: Uint8Array,
  w: number,
  h: number,
  cx: number,
  cy: number,
  spacingMm: Vec3,
  maxGapDeg: number,
  maxBridgeMm = 45,
): Uint8Array {
  const bins = 360;
  const sx = spacingMm[0];
  const sy = spacingMm[1];
  const px = new Float64Array(bins).fill(Number.NaN);
  const py = new Float64Array(bins).fill(Number.NaN);
  const side = new Uint8Array(bins);
  const stepMm = Math.min(sx, sy);
  const maxR = Math.hypot(w * sx, h * sy);
  for (let b = 0; b < bins; b++) {
    const a = (2 * Math.PI * b) / bins;
    const ux = Math.cos(a) / sx;
    const uy = Math.sin(a) / sy;
    let lastLung = -1;
    let lastSide = 0;
    for (let r = 0; r < maxR; r += stepMm) {
      const i = Math.round(cx + ux * r);
      const j = Math.round(cy + uy * r);
      if (i < 0 || j < 0 || i >= w || j >= h) break;
      const l = lung[i + j * w] as number;
      if (l !== 0) {
        lastLung = r;
        lastSide = l;
      }
    }
    if (lastLung < 0) continue;
    for (let r = lastLung; r < maxR; r += stepMm) {
      const i = Math.round(cx + ux * r);
      const j = Math.round(cy + uy * r);
      if (i < 0 || j < 0 || i >= w || j >= h) break;
      if (bone[i + j * w] !== 0) {
        px[b] = cx + ux * r;
        py[b] = cy + uy * r;
        side[b] = lastSide;
        break;
      }
    }
  }
  // drop points far from their neighbours: beyond (a ray through an intercostal gap that reached
  // the scapula) or inside (a calcified or contrast-filled vessel in the mediastinum) by more
  // than 8 mm from the median radius of the points within ±15°
  const rr = new Float64Array(bins).fill(Number.NaN);
  for (let b = 0; b < bins; b++) {
    if (!Number.isNaN(px[b])) rr[b] = Math.hypot(((px[b] as number) - cx) * sx, ((py[b] as number) - cy) * sy);
  }
  const half = Math.round((15 / 360) * bins);
  const win = new Float64Array(2 * half + 1);
  const keep = new Uint8Array(bins);
  for (let b = 0; b < bins; b++) {
    const r = rr[b] as number;
    if (Number.isNaN(r)) continue;
    let m = 0;
    for (let g = -half; g <= half; g++) {
      const v = rr[(b + g + bins) % bins] as number;
      if (Number.isNaN(v)) continue;
      // insertion into the sorted window
      let t = m++;
      while (t > 0 && (win[t - 1] as number) > v) {
        win[t] = win[t - 1] as number;
        t--;
      }
      win[t] = v;
    }
    const med = win[m >> 1] as number;
    keep[b] = Math.abs(r - med) <= 8 ? 1 : 0;
  }
  for (let b = 0; b < bins; b++) {
    if (keep[b] === 0) {
      px[b] = Number.NaN;
      py[b] = Number.NaN;
    }
  }
  const out = new Uint8Array(w * h);
  const maxGapBins = Math.round((maxGapDeg / 360) * bins);
  let markSide = 1;
  const mark = (x: number, y: number): void => {
    const i = Math.floor(x);
    const j = Math.floor(y);
    for (let dj = 0; dj < 2; dj++) {
      for (let di = 0; di < 2; di++) {
        const ii = i + di;
        const jj = j + dj;
        if (ii >= 0 && jj >= 0 && ii < w && jj < h && lung[ii + jj * w] === 0 && out[ii + jj * w] === 0) out[ii + jj * w] = markSide;
      }
    }
  };
  for (let b = 0; b < bins; b++) {
    const x0 = px[b] as number;
    if (Number.isNaN(x0)) continue;
    markSide = side[b] as number;
    mark(x0, py[b] as number);
    // next found bin within the allowed gap
    let e = -1;
    for (let g = 1; g <= maxGapBins; g++) {
      if (!Number.isNaN(px[(b + g) % bins])) {
        e = (b + g) % bins;
        break;
      }
    }
    if (e < 0 || side[e] !== side[b]) continue;
    const y0 = py[b] as number;
    const x1 = px[e] as number;
    const y1 = py[e] as number;
    if (Math.hypot((x1 - x0) * sx, (y1 - y0) * sy) > maxBridgeMm) continue;
    const len = Math.hypot(x1 - x0, y1 - y0);
    const steps = Math.max(1, Math.ceil(len * 4));
    for (let t = 0; t <= steps; t++) mark(x0 + ((x1 - x0) * t) / steps, y0 + ((y1 - y0) * t) / steps);
  }
  return out;
}

/**
 * For every voxel, the code of the first non-PASS voxel met walking from it in direction
 * (dx, dy) and the number of steps to it (FAR when leaving the region).
 */
function sweep(code: Uint8Array, w: number, h: number, dx: number, dy: number, hit: Uint8Array, steps: Uint16Array): void {
  const jStart = dy > 0 ? h - 1 : 0;
  const jEnd = dy > 0 ? -1 : h;
  const jStep = dy > 0 ? -1 : 1;
  const iStart = dx > 0 ? w - 1 : 0;
  const iEnd = dx > 0 ? -1 : w;
  const iStep = dx > 0 ? -1 : 1;
  for (let j = jStart; j !== jEnd; j += jStep) {
    const jn = j + dy;
    const rowInside = jn >= 0 && jn < h;
    for (let i = iStart; i !== iEnd; i += iStep) {
      const q = i + j * w;
      const inn = i + dx;
      if (!rowInside || inn < 0 || inn >= w) {
        hit[q] = FAR;
        steps[q] = 1;
        continue;
      }
      const qn = inn + jn * w;
      const c = code[qn] as number;
      if (c !== PASS) {
        hit[q] = c;
        steps[q] = 1;
      } else {
        hit[q] = hit[qn] as number;
        const s = (steps[qn] as number) + 1;
        steps[q] = s > 65535 ? 65535 : s;
      }
    }
  }
}
