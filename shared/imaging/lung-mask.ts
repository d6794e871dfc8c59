import { type LabelMap, LungLabel } from '../domain/label-map.ts';
import { type Vec3, type Volume, voxelVolumeMl } from '../domain/volume.ts';
import { type BlockGrid, blockGridFor, blockMean } from './block-grid.ts';
import { componentsBySize, labelComponents, largestComponent } from './connected-components.ts';
import {
  isIdentityReorientation,
  lpsReorientation,
  reorientLabelsFromLps,
  reorientToLps,
} from './geometry.ts';
import {
  type Box,
  boundingBox,
  closeBox,
  dilateBox,
  erodeBox,
  fillHolesSlices,
} from './morphology.ts';
import { fieldOfViewContact, outsideFieldOfView } from './field-of-view.ts';
import { type PleuralEnclosureOptions, addPleuralEnclosures } from './pleural-enclosure.ts';
import { trackCentralAirways } from './track-central-airways.ts';

/** Options of {@link segmentLungs} (HU and mm). */
export interface LungMaskOptions {
  /** Body = largest connected region at or above this (default −500 HU, as lungmask/Killekar). */
  readonly bodyHu?: number;
  /** Aerated lung = voxels inside the body below this (default −400 HU). */
  readonly airHu?: number;
  /** Target spacing of the working grid (default 2 mm in-plane, 2.5 mm between slices). */
  readonly workingSpacingMm?: Vec3;
  /** Half-width of the per-slice closing along the lung envelope (default 6 mm). */
  readonly closingMm?: number;
  /** Air components smaller than this fraction of the largest are not lung (default 0.05). */
  readonly minComponentFraction?: number;
  /** Add dense tissue enclosed between lung and rib cage (effusion, pleural lesions; default true). */
  readonly includePleuralEnclosures?: boolean;
  /** Options of the pleural-enclosure step ({@link addPleuralEnclosures}; its defaults otherwise). */
  readonly pleural?: PleuralEnclosureOptions;
  /** When given, receives the wall-clock milliseconds of each stage (for benchmarks). */
  readonly stageMs?: Record<string, number>;
}

/** Result of {@link segmentLungs}. */
export interface LungMaskResult {
  /** 0 outside, 1 right lung, 2 left lung ({@link LungLabel}), on the input volume's grid. */
  readonly labels: LabelMap;
  readonly rightVolumeMl: number;
  readonly leftVolumeMl: number;
  /** Volume of the trachea and main bronchi found and excluded (mL, working grid). */
  readonly centralAirwayVolumeMl: number;
  /** Problems found (no lungs, no trachea, lungs split by the mid-line fallback, …). */
  readonly warnings: readonly string[];
}

/**
 * Classical lung segmentation of a chest CT in HU: a pure, deterministic, typed-array pipeline
 * meant to give the burden denominator in about a second. Steps:
 *
 * 0. Reorient to LPS-aligned axes ({@link reorientToLps}); work on block means of ≈1.3×1.3×2 mm
 *    (as lungmask works on 256² slices).
 * 1. Body: voxels ≥ `bodyHu`, eroded in-plane by ±4 mm (the table shell comes off), largest
 *    6-connected region, grown back inside the dense voxels, holes filled slice by slice.
 * 2. Air inside the body < `airHu`; 3-D components touching the in-plane border are dropped.
 * 3. Trachea and main bronchi: 2-D tracking from the top with an explosion check
 *    ({@link trackCentralAirways}); they and a 2.6 mm dilation of them are removed. Then the
 *    3-D components ≥ `minComponentFraction` of the largest and overlapping it in z are kept
 *    (bowel gas below the diaphragm is smaller and lower).
 * 4. Right/left: the 3-D components after step 3, sides by centroid against the body mid-line
 *    (patient right = LPS −x = label 1). A component spanning both sides (lungs touching at the
 *    junction lines) is split by in-plane erosion until two large parts appear, then every voxel
 *    goes to the part it reaches first by 6-connected growth inside the component.
 * 5. Envelope, per slice and side: holes filled (vessels, nodules, lesions inside the lung),
 *    dense tissue between lung and rib cage added ({@link addPleuralEnclosures}: dependent
 *    effusion, consolidation touching the pleura), then a box closing of `closingMm` restricted
 *    to the body, outside bone and the other lung, and holes filled again.
 * 6. Back to the input grid: each voxel takes its block's label, except on blocks at the mask
 *    boundary where the fine voxel decides: air (< `airHu`) joins the neighbouring lung,
 *    dense voxels leave it unless their block was dense too (a filled lesion).
 */
export function segmentLungs(volume: Volume, opts: LungMaskOptions = {}): LungMaskResult {
  const reor = lpsReorientation(volume);
  const v = isIdentityReorientation(reor) ? volume : reorientToLps(volume);
  const res = segmentLpsAligned(v, opts);
  if (v === volume) return res;
  return { ...res, labels: reorientLabelsFromLps(res.labels, volume) };
}

/** Just the label map of {@link segmentLungs}. */
export function lungMask(volume: Volume, opts: LungMaskOptions = {}): LabelMap {
  return segmentLungs(volume, opts).labels;
}

function segmentLpsAligned(volume: Volume, opts: LungMaskOptions): LungMaskResult {
  const bodyHu = opts.bodyHu ?? -500;
  const airHu = opts.airHu ?? -400;
  const warnings: string[] = [];
  const grid = blockGridFor(volume.size, volume.spacingMm, opts.workingSpacingMm ?? [2, 2, 2.5]);
  const size = grid.size;
  const sp = grid.spacingMm;
  const [nx, ny, nz] = size;
  const n = nx * ny * nz;
  const stageMs = opts.stageMs;
  let tStage = Date.now();
  const lap = (name: string): void => {
    if (!stageMs) return;
    const t = Date.now();
    stageMs[name] = (stageMs[name] ?? 0) + (t - tStage);
    tStage = t;
  };
  const w = blockMean(volume, grid);
  lap('downsample');
  const mlPerVoxel = voxelVolumeMl({ spacingMm: sp });
  const empty = (msg: string): LungMaskResult => {
    warnings.push(msg);
    return {
      labels: { ...geometryOf(volume), data: new Uint8Array(volume.data.length) },
      rightVolumeMl: 0,
      leftVolumeMl: 0,
      centralAirwayVolumeMl: 0,
      warnings,
    };
  };

  // 1. body (closed along the edge of the field of view where the field cuts it)
  const fov = outsideFieldOfView(w, size);
  const body = fov ? bodyInFieldOfView(w, bodyHu, size, sp, fov) : bodyMask(w, bodyHu, size, sp);
  let sumX = 0;
  let cntX = 0;
  for (let row = 0, p = 0; row < ny * nz; row++) {
    for (let i = 0; i < nx; i++, p++) {
      if (body[p] !== 0) {
        sumX += i;
        cntX++;
      }
    }
  }
  if (cntX === 0) return empty('no body found (no voxels ≥ −500 HU)');
  const midX = sumX / cntX;

  lap('body');
  // 2. air inside the body, without components touching the in-plane border
  const air = new Uint8Array(n);
  for (let p = 0; p < n; p++) if (body[p] !== 0 && (w[p] as number) < airHu) air[p] = 1;
  const inner = dropBorderComponents(air, size);

  lap('air');
  // 3. central airways (tracked in all inner air: the trachea may be a component of its own)
  const aw = trackCentralAirways(inner, size, sp, midX);
  let airwayVoxels = 0;
  if (aw.seedSlice < 0) {
    warnings.push('trachea not found: central airways were not removed');
  } else {
    for (let p = 0; p < n; p++) if (aw.mask[p] !== 0) airwayVoxels++;
  }
  const zr: Vec3 = [Math.max(1, Math.round(2.6 / sp[0])), Math.max(1, Math.round(2.6 / sp[1])), 0];
  const awBox = boundingBox(aw.mask, size, [zr[0] + 1, zr[1] + 1, 0]);
  const airwayZone = awBox ? dilateBox(aw.mask, size, zr, awBox) : aw.mask;
  for (let p = 0; p < n; p++) if (airwayZone[p] !== 0) inner[p] = 0;
  const lungAir = selectLungComponents(inner, size, opts.minComponentFraction ?? 0.05);
  if (!lungAir) return empty('no air-filled lung found inside the body');

  lap('airways');
  // 4. sides
  const sides = assignSides(lungAir, size, midX, warnings);

  lap('sides');
  // 5. envelope
  fillSidesHoles(sides, size);
  lap('holes');
  if (opts.includePleuralEnclosures ?? true) addPleuralEnclosures(w, body, sides, size, sp, opts.pleural);
  lap('pleural');
  closeSides(sides, size, sp, opts.closingMm ?? 6, body, w);
  lap('closing');
  fillSidesHoles(sides, size);
  lap('holes');

  // 6. back to the input grid
  const { labels, right, left } = refineToFineGrid(volume, grid, w, sides, airwayZone, airHu);
  lap('upsample');
  const fineMl = voxelVolumeMl(volume);
  if (right === 0 || left === 0)
    warnings.push(`only one lung found (${right === 0 ? 'no right lung' : 'no left lung'})`);
  return {
    labels: { ...geometryOf(volume), data: labels },
    rightVolumeMl: right * fineMl,
    leftVolumeMl: left * fineMl,
    centralAirwayVolumeMl: airwayVoxels * mlPerVoxel,
    warnings,
  };
}

/** Share of a component's outline along the field-of-view edge above which it is air around the patient. */
const OUTSIDE_AIR_EDGE_FRACTION = 0.25;

/**
 * The body when the series has a field of view ({@link outsideFieldOfView}): the outside of the
 * field counts as dense while the body is eroded, grown back and hole-filled (so a chest wall
 * cut by the field, or a lung opened by the cut, stays enclosed); then the 3-D components of
 * non-dense voxels in that enclosure are taken out again when more than
 * {@link OUTSIDE_AIR_EDGE_FRACTION} of their outline runs along the field's edge
 * ({@link fieldOfViewContact}: the air around the patient), or when most of them lies outside
 * the row/column span of the plain body mask (air in a table or mattress cut by the field, air
 * under a blanket: it lies beside, above or below the body, a lung lies within it).
 */
function bodyInFieldOfView(hu: Int16Array, bodyHu: number, size: Vec3, sp: Vec3, fov: Uint8Array): Uint8Array {
  const n = hu.length;
  const slice = size[0] * size[1];
  const withFov = new Int16Array(n);
  for (let p = 0, q = 0; p < n; p++, q = q + 1 === slice ? 0 : q + 1)
    withFov[p] = fov[q] !== 0 ? 1000 : (hu[p] as number);
  const enclosure = bodyMask(withFov, bodyHu, size, sp);
  const low = new Uint8Array(n);
  for (let p = 0, q = 0; p < n; p++, q = q + 1 === slice ? 0 : q + 1) {
    if (fov[q] !== 0) enclosure[p] = 0;
    else if (enclosure[p] !== 0 && (hu[p] as number) < bodyHu) low[p] = 1;
  }
  const c = labelComponents(low, size);
  const contact = fieldOfViewContact(c, fov, size);
  const span = rowColumnSpan(bodyMask(hu, bodyHu, size, sp), size);
  const inSpan = new Float64Array(c.count + 1);
  for (let p = 0; p < n; p++) {
    const l = c.labels[p] as number;
    if (l !== 0 && span[p] !== 0) inSpan[l] = (inSpan[l] as number) + 1;
  }
  for (let p = 0; p < n; p++) {
    const l = c.labels[p] as number;
    if (l === 0) continue;
    if ((contact[l] as number) > OUTSIDE_AIR_EDGE_FRACTION || (inSpan[l] as number) < 0.5 * (c.sizes[l] as number))
      enclosure[p] = 0;
  }
  return enclosure;
}

/**
 * Per slice, the voxels that have mask voxels on both sides in their row and in their column
 * (an orthogonal hull of the mask, cheap and enough to tell "within the body" from "beside it").
 */
function rowColumnSpan(mask: Uint8Array, size: Vec3): Uint8Array {
  const [nx, ny, nz] = size;
  const slice = nx * ny;
  const out = new Uint8Array(mask.length);
  const rowMin = new Int32Array(ny);
  const rowMax = new Int32Array(ny);
  const colMin = new Int32Array(nx);
  const colMax = new Int32Array(nx);
  for (let k = 0; k < nz; k++) {
    const base = k * slice;
    rowMin.fill(nx);
    rowMax.fill(-1);
    colMin.fill(ny);
    colMax.fill(-1);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        if (mask[base + i + j * nx] === 0) continue;
        if (i < (rowMin[j] as number)) rowMin[j] = i;
        rowMax[j] = i;
        if (j < (colMin[i] as number)) colMin[i] = j;
        colMax[i] = j;
      }
    }
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        if (i >= (rowMin[j] as number) && i <= (rowMax[j] as number) && j >= (colMin[i] as number) && j <= (colMax[i] as number))
          out[base + i + j * nx] = 1;
      }
    }
  }
  return out;
}

/**
 * The patient's body: voxels ≥ `bodyHu`, eroded in-plane by ±4 mm so that thin structures
 * touching the patient (the CT table's shell, a blanket, cables) come off, largest 3-D component
 * of that core, grown back by 4 mm + 1 voxel inside the dense voxels, holes filled per slice.
 */
function bodyMask(hu: Int16Array, bodyHu: number, size: Vec3, sp: Vec3): Uint8Array {
  const n = hu.length;
  const dense = new Uint8Array(n);
  for (let p = 0; p < n; p++) if ((hu[p] as number) >= bodyHu) dense[p] = 1;
  const r: Vec3 = [Math.max(1, Math.round(4 / sp[0])), Math.max(1, Math.round(4 / sp[1])), 0];
  const core = largestComponent(erodeBox(dense, size, r), size);
  const grown = dilateBox(core, size, [r[0] + 1, r[1] + 1, 0]);
  for (let p = 0; p < n; p++) grown[p] = grown[p] !== 0 && dense[p] !== 0 ? 1 : 0;
  return fillHolesSlices(grown, size);
}

function geometryOf(v: Volume): Omit<LabelMap, 'data'> {
  return {
    size: v.size,
    spacingMm: v.spacingMm,
    originLps: v.originLps,
    directionLps: v.directionLps,
  };
}

/** The mask without its 6-connected components that touch the in-plane border of the grid. */
function dropBorderComponents(mask: Uint8Array, size: Vec3): Uint8Array {
  const [nx, ny, nz] = size;
  const c = labelComponents(mask, size);
  const touches = new Uint8Array(c.count + 1);
  const slice = nx * ny;
  for (let k = 0; k < nz; k++) {
    const b = k * slice;
    for (let i = 0; i < nx; i++) {
      touches[c.labels[b + i] as number] = 1;
      touches[c.labels[b + (ny - 1) * nx + i] as number] = 1;
    }
    for (let j = 0; j < ny; j++) {
      touches[c.labels[b + j * nx] as number] = 1;
      touches[c.labels[b + j * nx + nx - 1] as number] = 1;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let p = 0; p < out.length; p++) {
    const l = c.labels[p] as number;
    if (l !== 0 && touches[l] === 0) out[p] = 1;
  }
  return out;
}

/**
 * Keeps the lung-like 3-D components of an air mask: at least `minFraction` of the largest, and
 * overlapping the largest's slice range by at least half of their own extent (bowel gas under
 * the diaphragm is smaller and lower). Returns a 0/1 mask, or null when the mask is empty.
 */
function selectLungComponents(air: Uint8Array, size: Vec3, minFraction: number): Uint8Array | null {
  const [nx, ny, nz] = size;
  const c = labelComponents(air, size);
  const zMin = new Int32Array(c.count + 1).fill(nz);
  const zMax = new Int32Array(c.count + 1).fill(-1);
  const slice = nx * ny;
  for (let k = 0; k < nz; k++) {
    for (let p = k * slice, e = p + slice; p < e; p++) {
      const l = c.labels[p] as number;
      if (l === 0) continue;
      if (k < (zMin[l] as number)) zMin[l] = k;
      if (k > (zMax[l] as number)) zMax[l] = k;
    }
  }
  const order = componentsBySize(c);
  const first = order[0];
  if (first === undefined) return null;
  const keep = new Uint8Array(c.count + 1);
  const big = c.sizes[first] as number;
  for (const l of order) {
    if ((c.sizes[l] as number) < minFraction * big) break;
    const overlap =
      Math.min(zMax[l] as number, zMax[first] as number) -
      Math.max(zMin[l] as number, zMin[first] as number) +
      1;
    const extent = (zMax[l] as number) - (zMin[l] as number) + 1;
    if (overlap >= 0.5 * extent) keep[l] = 1;
  }
  const out = new Uint8Array(air.length);
  const lab = c.labels;
  for (let q = 0; q < out.length; q++) if (lab[q] !== 0 && keep[lab[q] as number] === 1) out[q] = 1;
  return out;
}

/** Side of each lung component (1 right = low i, 2 left), splitting a component that spans both. */
function assignSides(lung: Uint8Array, size: Vec3, midX: number, warnings: string[]): Uint8Array {
  const [nx] = size;
  const c = labelComponents(lung, size);
  const rightCount = new Float64Array(c.count + 1);
  const iMid = Math.ceil(midX); // i < midX ⇔ i < iMid
  for (let p = 0; p < lung.length; p += nx) {
    for (let i = 0; i < iMid && i < nx; i++) {
      const l = c.labels[p + i] as number;
      if (l !== 0) rightCount[l] = (rightCount[l] as number) + 1;
    }
  }
  const sides = new Uint8Array(lung.length);
  const label = new Uint8Array(c.count + 1);
  const toSplit: number[] = [];
  for (let l = 1; l <= c.count; l++) {
    const total = c.sizes[l] as number;
    const r = (rightCount[l] as number) / total;
    if (r > 0.15 && r < 0.85 && total > 0) toSplit.push(l);
    else label[l] = r >= 0.5 ? LungLabel.right : LungLabel.left;
  }
  for (let p = 0; p < lung.length; p++) sides[p] = label[c.labels[p] as number] as number;
  for (const l of toSplit) splitComponent(c.labels, l, size, midX, sides, warnings);
  return sides;
}

/**
 * Splits one component spanning both sides: in-plane 3×3 erosions (at most 20) until its two
 * largest parts lie on opposite sides of the mid-line with the smaller ≥ 10 % of the larger,
 * then grows both parts back through the component (breadth-first, 6-connected).
 * Falls back to the mid-line with a warning.
 */
function splitComponent(
  labels: Int32Array,
  id: number,
  size: Vec3,
  midX: number,
  sides: Uint8Array,
  warnings: string[],
): void {
  const [nx, ny] = size;
  const slice = nx * ny;
  let mask: Uint8Array = new Uint8Array(labels.length);
  for (let p = 0; p < labels.length; p++) if (labels[p] === id) mask[p] = 1;
  const comp = mask.slice();
  const box = boundingBox(comp, size, [1, 1, 0]);
  if (!box) return;
  let seeds: Uint8Array | null = null;
  for (let iter = 0; iter < 20 && !seeds; iter++) {
    mask = erodeBox(mask, size, [1, 1, 0], box);
    for (let p = 0; p < mask.length; p++) if (comp[p] === 0) mask[p] = 0;
    const c = labelComponents(mask, size);
    const order = componentsBySize(c);
    const a = order[0];
    const b = order[1];
    if (a === undefined || b === undefined) continue;
    if ((c.sizes[b] as number) < 0.1 * (c.sizes[a] as number)) continue;
    let xa = 0;
    let xb = 0;
    for (let p = 0; p < mask.length; p++) {
      const l = c.labels[p];
      if (l === a) xa += p % nx;
      else if (l === b) xb += p % nx;
    }
    xa /= c.sizes[a] as number;
    xb /= c.sizes[b] as number;
    if ((xa - midX) * (xb - midX) >= 0) continue;
    seeds = new Uint8Array(mask.length);
    const la = xa < midX ? LungLabel.right : LungLabel.left;
    const lb = la === LungLabel.right ? LungLabel.left : LungLabel.right;
    for (let p = 0; p < mask.length; p++) {
      const l = c.labels[p];
      if (l === a) seeds[p] = la;
      else if (l === b) seeds[p] = lb;
    }
  }
  if (!seeds) {
    warnings.push(
      'lungs touching at the mid-line could not be separated by erosion: split at the mid-line',
    );
    for (let p = 0; p < comp.length; p++)
      if (comp[p] !== 0) sides[p] = p % nx < midX ? LungLabel.right : LungLabel.left;
    return;
  }
  // breadth-first growth from both seeds inside the component
  const queue = new Int32Array(comp.length);
  let head = 0;
  let tail = 0;
  for (let p = 0; p < comp.length; p++) {
    if (seeds[p] !== 0) {
      sides[p] = seeds[p] as number;
      queue[tail++] = p;
    } else if (comp[p] !== 0) {
      sides[p] = 0;
    }
  }
  const nz = size[2];
  while (head < tail) {
    const p = queue[head++] as number;
    const l = sides[p] as number;
    const i = p % nx;
    const j = ((p - i) / nx) % ny;
    const k = Math.floor(p / slice);
    // 6 neighbours, inlined (no closure in this hot loop)
    let q = p - 1;
    if (i > 0 && comp[q] !== 0 && sides[q] === 0) {
      sides[q] = l;
      queue[tail++] = q;
    }
    q = p + 1;
    if (i < nx - 1 && comp[q] !== 0 && sides[q] === 0) {
      sides[q] = l;
      queue[tail++] = q;
    }
    q = p - nx;
    if (j > 0 && comp[q] !== 0 && sides[q] === 0) {
      sides[q] = l;
      queue[tail++] = q;
    }
    q = p + nx;
    if (j < ny - 1 && comp[q] !== 0 && sides[q] === 0) {
      sides[q] = l;
      queue[tail++] = q;
    }
    q = p - slice;
    if (k > 0 && comp[q] !== 0 && sides[q] === 0) {
      sides[q] = l;
      queue[tail++] = q;
    }
    q = p + slice;
    if (k < nz - 1 && comp[q] !== 0 && sides[q] === 0) {
      sides[q] = l;
      queue[tail++] = q;
    }
  }
}

/** Fills holes slice by slice, separately for each side (the space between the lungs stays empty). */
function fillSidesHoles(sides: Uint8Array, size: Vec3): void {
  for (const s of [LungLabel.right, LungLabel.left]) {
    const m = new Uint8Array(sides.length);
    for (let p = 0; p < m.length; p++) if (sides[p] === s) m[p] = 1;
    const box = boundingBox(m, size);
    if (!box) continue;
    fillHolesSlices(m, size, 2, box);
    forEachInBox(box, size, (p) => {
      if (m[p] === 2 && sides[p] === 0) sides[p] = s;
    });
  }
}

/** Calls `fn` with the linear index of every voxel in the box (row by row). */
function forEachInBox(box: Box, size: Vec3, fn: (p: number) => void): void {
  const [nx, ny] = size;
  for (let k = box.k0; k < box.k1; k++) {
    for (let j = box.j0; j < box.j1; j++) {
      const row = j * nx + k * nx * ny;
      for (let p = row + box.i0, e = row + box.i1; p < e; p++) fn(p);
    }
  }
}

/** Per-slice box closing of each side, kept inside the body, off bone and off the other side. */
function closeSides(
  sides: Uint8Array,
  size: Vec3,
  sp: Vec3,
  closingMm: number,
  body: Uint8Array,
  hu: Int16Array,
): void {
  if (closingMm <= 0) return;
  const r: Vec3 = [
    Math.max(1, Math.round(closingMm / sp[0])),
    Math.max(1, Math.round(closingMm / sp[1])),
    0,
  ];
  for (const s of [LungLabel.right, LungLabel.left]) {
    const m = new Uint8Array(sides.length);
    for (let p = 0; p < m.length; p++) if (sides[p] === s) m[p] = 1;
    const box = boundingBox(m, size, [r[0] + 1, r[1] + 1, 0]);
    if (!box) continue;
    const closed = closeBox(m, size, r, box);
    forEachInBox(box, size, (p) => {
      if (closed[p] !== 0 && sides[p] === 0 && body[p] !== 0 && (hu[p] as number) < 200)
        sides[p] = s;
    });
  }
}

/**
 * Labels on the fine grid: block label, refined on boundary blocks by the fine voxel's HU
 * (air joins the neighbouring lung, dense leaves it unless the whole block was dense).
 */
function refineToFineGrid(
  volume: Volume,
  grid: BlockGrid,
  w: Int16Array,
  sides: Uint8Array,
  airwayZone: Uint8Array,
  airHu: number,
): { labels: Uint8Array; right: number; left: number } {
  const [nx, ny, nz] = volume.size;
  const [cx, cy, cz] = grid.size;
  const cslice = cx * cy;
  // boundary blocks and the lung label next to them
  const near = new Uint8Array(sides.length); // 0 = interior, else 1 + label to use for fine air voxels
  for (let bk = 0; bk < cz; bk++) {
    for (let bj = 0; bj < cy; bj++) {
      for (let bi = 0; bi < cx; bi++) {
        const q = bi + bj * cx + bk * cslice;
        const l = sides[q] as number;
        // neighbours' labels (−1 where outside the grid)
        const a = bi > 0 ? (sides[q - 1] as number) : -1;
        const b = bi < cx - 1 ? (sides[q + 1] as number) : -1;
        const c = bj > 0 ? (sides[q - cx] as number) : -1;
        const d = bj < cy - 1 ? (sides[q + cx] as number) : -1;
        const other =
          (a >= 0 && a !== l) || (b >= 0 && b !== l) || (c >= 0 && c !== l) || (d >= 0 && d !== l)
            ? 0
            : -1;
        const lungNb = a > 0 ? a : b > 0 ? b : c > 0 ? c : d > 0 ? d : 0;
        if (other >= 0) near[q] = 1 + (l !== 0 ? l : lungNb);
      }
    }
  }
  const fx = grid.factor[0];
  const out = new Uint8Array(volume.data.length);
  let right = 0;
  let left = 0;
  const src = volume.data;
  for (let k = 0; k < nz; k++) {
    const bk = Math.floor(k / grid.factor[2]);
    for (let j = 0; j < ny; j++) {
      const rowBase = Math.floor(j / grid.factor[1]) * cx + bk * cslice;
      let p = j * nx + k * nx * ny;
      for (let bi = 0; bi < cx; bi++) {
        const q = rowBase + bi;
        const l = sides[q] as number;
        const nb = near[q] as number;
        const len = Math.min(fx, nx - bi * fx);
        if (nb === 0) {
          // interior block: every fine voxel takes the block's label
          if (l !== 0) {
            for (let t = 0; t < len; t++) out[p + t] = l;
            if (l === 1) right += len;
            else left += len;
          }
          p += len;
          continue;
        }
        const inAirway = airwayZone[q] !== 0;
        const blockDense = (w[q] as number) >= airHu;
        for (let t = 0; t < len; t++, p++) {
          let o: number;
          if ((src[p] as number) < airHu) o = inAirway ? 0 : nb - 1;
          else o = l !== 0 && blockDense ? l : 0;
          out[p] = o;
          if (o === 1) right++;
          else if (o === 2) left++;
        }
      }
    }
  }
  return { labels: out, right, left };
}
