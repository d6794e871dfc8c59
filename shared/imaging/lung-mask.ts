import type { LabelMap } from '../domain/label-map.ts';
import { type Vec3, type Volume, voxelVolumeMl } from '../domain/volume.ts';
import { type BlockGrid, blockGridFor, blockMean } from './block-grid.ts';
import { isIdentityReorientation, lpsReorientation, reorientLabelsFromLps, reorientToLps } from './geometry.ts';
import { boundingBox, dilateBox } from './morphology.ts';
import { outsideFieldOfView } from './field-of-view.ts';
import { type PleuralEnclosureOptions, addPleuralEnclosures } from './pleural-enclosure.ts';
import { trackCentralAirways } from './track-central-airways.ts';
import { assignSides, closeSides, fillSidesHoles } from './assign-lung-sides.ts';
import { bodyInFieldOfView, bodyMask } from './body-mask.ts';
import { dropBorderComponents, selectLungComponents } from './select-lung-components.ts';

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
  /** 0 outside, 1 right lung, 2 left lung (`LungLabel`, label-map.ts), on the input volume's grid. */
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
  if (right === 0 || left === 0) warnings.push(`only one lung found (${right === 0 ? 'no right lung' : 'no left lung'})`);
  return {
    labels: { ...geometryOf(volume), data: labels },
    rightVolumeMl: right * fineMl,
    leftVolumeMl: left * fineMl,
    centralAirwayVolumeMl: airwayVoxels * mlPerVoxel,
    warnings,
  };
}

function geometryOf(v: Volume): Omit<LabelMap, 'data'> {
  return {
    size: v.size,
    spacingMm: v.spacingMm,
    originLps: v.originLps,
    directionLps: v.directionLps,
  };
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
        const other = (a >= 0 && a !== l) || (b >= 0 && b !== l) || (c >= 0 && c !== l) || (d >= 0 && d !== l) ? 0 : -1;
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
