import type { Vec3 } from '../domain/volume.ts';
import { labelComponents } from './connected-components.ts';
import { dilateBox } from './morphology.ts';

/** Options of {@link trackCentralAirways} (lengths in mm, areas in mm²). */
export interface AirwayTrackingOptions {
  /** How far below the top air slice to look for the trachea (default 60 mm). */
  readonly seedSearchMm?: number;
  /** Cross-section area accepted for the trachea seed (default 80…900 mm²). */
  readonly seedAreaMm2?: readonly [number, number];
  /** Largest cross-section accepted for any tracked airway component (default 900 mm²). */
  readonly maxAreaMm2?: number;
  /** Largest growth of a branch's area from one slice to the next (default ×1.8 + 60 mm²). */
  readonly growthFactor?: number;
  /** Largest distance of the trachea seed from the body's mid-line (default 40 mm). */
  readonly maxSeedOffsetMm?: number;
  /** How far the main bronchi are followed below the carina (default 35 mm). */
  readonly bronchusDepthMm?: number;
}

/** Result of {@link trackCentralAirways}. */
export interface CentralAirways {
  /** 1 on the voxels of the trachea and main bronchi (lumen, as present in the air mask). */
  readonly mask: Uint8Array;
  /** Slice index of the trachea seed, or −1 when no trachea was found. */
  readonly seedSlice: number;
  /** Slice index where the airway first splits (carina), or −1. */
  readonly carinaSlice: number;
}

/**
 * Finds the trachea and main bronchi in an air mask (e.g. air inside the body, lungs included) on
 * an LPS-aligned grid (k increasing towards the head), by 2-D tracking from the top:
 *
 * 1. Seed: in the highest slices holding air (within `seedSearchMm`), the 4-connected air
 *    component with a trachea-like area closest to the body mid-line `midX` (voxel index i).
 * 2. Going down one slice at a time, each tracked branch continues into the air components of
 *    the next slice that overlap the branch (dilated by 2 voxels) and stay small: area ≤
 *    `maxAreaMm2` and ≤ `growthFactor` × the branch's area + 60 mm². A component that is larger is
 *    where the airway opens into the lung: that branch stops there (the lung is not taken).
 * 3. The first slice with two or more branches is the carina; branches are followed
 *    `bronchusDepthMm` below it, i.e. the main bronchi, and then tracking stops.
 *
 * The explosion check in step 2 is what keeps the region growing from leaking into the lungs.
 */
export function trackCentralAirways(
  air: Uint8Array,
  size: Vec3,
  spacingMm: Vec3,
  midX: number,
  opts: AirwayTrackingOptions = {},
): CentralAirways {
  const [nx, ny, nz] = size;
  const slice = nx * ny;
  const pxArea = spacingMm[0] * spacingMm[1];
  const seedArea = opts.seedAreaMm2 ?? [80, 900];
  const maxArea = (opts.maxAreaMm2 ?? 900) / pxArea;
  const growth = opts.growthFactor ?? 1.8;
  const mask = new Uint8Array(air.length);
  const none: CentralAirways = { mask, seedSlice: -1, carinaSlice: -1 };

  let kTop = -1;
  for (let k = nz - 1; k >= 0 && kTop < 0; k--) {
    for (let q = k * slice, e = q + slice; q < e; q++) {
      if (air[q] !== 0) {
        kTop = k;
        break;
      }
    }
  }
  if (kTop < 0) return none;

  const sliceComponents = (k: number): ReturnType<typeof labelComponents> =>
    labelComponents(air.subarray(k * slice, (k + 1) * slice), [nx, ny, 1]);

  // 1. seed
  const searchSlices = Math.max(1, Math.round((opts.seedSearchMm ?? 60) / spacingMm[2]));
  const maxOffset = (opts.maxSeedOffsetMm ?? 40) / spacingMm[0];
  let seedK = -1;
  let current = new Uint8Array(slice);
  for (let k = kTop; k >= 0 && k > kTop - searchSlices && seedK < 0; k--) {
    const c = sliceComponents(k);
    let best = -1;
    let bestOffset = Infinity;
    const sumX = new Float64Array(c.count + 1);
    for (let q = 0; q < slice; q++) {
      const l = c.labels[q] as number;
      if (l) sumX[l] = (sumX[l] as number) + (q % nx);
    }
    for (let l = 1; l <= c.count; l++) {
      const areaMm2 = (c.sizes[l] as number) * pxArea;
      if (areaMm2 < seedArea[0] || areaMm2 > seedArea[1]) continue;
      const off = Math.abs((sumX[l] as number) / (c.sizes[l] as number) - midX);
      if (off <= maxOffset && off < bestOffset) {
        best = l;
        bestOffset = off;
      }
    }
    if (best > 0) {
      seedK = k;
      for (let q = 0; q < slice; q++) if (c.labels[q] === best) current[q] = 1;
      mask.set(current, k * slice);
    }
  }
  if (seedK < 0) return none;

  // 2–3. track downwards
  let carinaK = -1;
  const depthSlices = Math.round((opts.bronchusDepthMm ?? 35) / spacingMm[2]);
  const r = Math.max(1, Math.round(2.8 / spacingMm[0]));
  for (let k = seedK - 1; k >= 0; k--) {
    const c = sliceComponents(k);
    // branch id per component of the previous slice: label current regions
    const prev = labelComponents(current, [nx, ny, 1]);
    const next = new Uint8Array(slice);
    const nextAreas: number[] = [];
    const nextX: number[] = [];
    const taken = new Set<number>();
    for (let b = 1; b <= prev.count; b++) {
      const branch = new Uint8Array(slice);
      let area = 0;
      for (let q = 0; q < slice; q++) {
        if (prev.labels[q] === b) {
          branch[q] = 1;
          area++;
        }
      }
      const dil = dilateBox(branch, [nx, ny, 1], [r, r, 0]);
      const overlapping = new Set<number>();
      for (let q = 0; q < slice; q++) {
        const l = c.labels[q] as number;
        if (l && dil[q]) overlapping.add(l);
      }
      for (const l of overlapping) {
        const a = c.sizes[l] as number;
        if (a > maxArea || a > growth * area + 60 / pxArea) continue; // opens into the lung: stop
        if (taken.has(l)) continue;
        taken.add(l);
        nextAreas.push(a);
        let sx = 0;
        for (let q = 0; q < slice; q++) {
          if (c.labels[q] === l) {
            next[q] = 1;
            sx += q % nx;
          }
        }
        nextX.push(sx / a);
      }
    }
    if (nextAreas.length === 0) break;
    // carina: two branches ≥ 10 mm apart left-right (an air bubble beside the trachea is not one)
    if (carinaK < 0 && nextX.length >= 2 && (Math.max(...nextX) - Math.min(...nextX)) * spacingMm[0] >= 10) carinaK = k;
    mask.set(next, k * slice);
    current = next;
    if (carinaK >= 0 && carinaK - k >= depthSlices) break;
  }
  return { mask, seedSlice: seedK, carinaSlice: carinaK };
}
