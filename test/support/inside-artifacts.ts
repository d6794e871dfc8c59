import type { LabelMap } from '../../shared/domain/label-map.ts';
import type { Volume } from '../../shared/domain/volume.ts';
import { clampHu, copyVolume } from './artifact-volume.ts';
import { mulberry32 as prng } from '../../shared/util/mulberry32.ts';

// Changes inside the chest painted by the artifact generator (lung-artifacts.ts): dense dependent
// lobes, a field of view cutting the lungs, emphysema, a small post-surgery left lung.

/** Lung z-range (slices holding lung) and per-slice posterior j range of the lung mask. */
export function lungExtent(lung: LabelMap): { k0: number; k1: number; j0: number; j1: number } {
  const [nx, ny, nz] = lung.size;
  let k0 = nz;
  let k1 = -1;
  let j0 = ny;
  let j1 = -1;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const row = j * nx + k * nx * ny;
      for (let i = 0; i < nx; i++) {
        if (lung.data[row + i] === 0) continue;
        if (k < k0) k0 = k;
        if (k > k1) k1 = k;
        if (j < j0) j0 = j;
        if (j > j1) j1 = j;
      }
    }
  }
  return { k0, k1, j0, j1 };
}

/**
 * Dense dependent lung: in the lower `fraction` of the lungs' height, the lung voxels within
 * `bandMm` of the posterior lung border of their column (i, k) → `hu0` … `hu0 + huSpread` HU
 * (consolidation of the dependent lower lobes, or an effusion-like smooth fluid layer).
 */
export function denseDependent(
  clean: Volume,
  lung: LabelMap,
  seed: number,
  fraction: number,
  bandMm: number,
  hu0: number,
  huSpread: number,
): Volume {
  const { v, d } = copyVolume(clean);
  const [nx, ny, nz] = v.size;
  const ext = lungExtent(lung);
  const kTop = ext.k0 + (ext.k1 - ext.k0) * fraction;
  const band = bandMm / v.spacingMm[1];
  const rnd = prng(seed);
  const noise = Array.from({ length: 256 }, () => rnd() * huSpread);
  for (let k = ext.k0; k <= kTop && k < nz; k++) {
    for (let i = 0; i < nx; i++) {
      let jBack = -1;
      for (let j = ny - 1; j >= 0; j--) {
        if (lung.data[i + j * nx + k * nx * ny] !== 0) {
          jBack = j;
          break;
        }
      }
      if (jBack < 0) continue;
      for (let j = Math.max(0, Math.ceil(jBack - band)); j <= jBack; j++) {
        const p = i + j * nx + k * nx * ny;
        if (lung.data[p] !== 0) d[p] = clampHu(hu0 + (noise[(i * 31 + j * 17 + k * 7) & 255] as number));
      }
    }
  }
  return v;
}

/** Lungs opened by a circular field of view: returns the volume and the clean lung kept inside it. */
export function fovCutLung(
  clean: Volume,
  lung: LabelMap,
  insideMm: number,
  padHu: number,
): { volume: Volume; keep: (p: number) => boolean } {
  const [nx, ny] = clean.size;
  const sp = clean.spacingMm[0];
  const ci = (nx - 1) / 2;
  const cj = (ny - 1) / 2;
  let rMax = 0;
  for (let p = 0; p < lung.data.length; p++) {
    if (lung.data[p] === 0) continue;
    const i = p % nx;
    const j = Math.floor(p / nx) % ny;
    rMax = Math.max(rMax, Math.hypot(i - ci, j - cj));
  }
  const R = rMax + insideMm / sp;
  const inside = (p: number): boolean => {
    const i = p % nx;
    const j = Math.floor(p / nx) % ny;
    return Math.hypot(i - ci, j - cj) <= R;
  };
  const d = new Int16Array(clean.data);
  for (let p = 0; p < d.length; p++) if (!inside(p)) d[p] = padHu;
  return { volume: { ...clean, data: d }, keep: inside };
}

/** Emphysema: `count` spheres of −980 HU (radius 4–18 mm) inside the lungs. */
export function emphysema(clean: Volume, lung: LabelMap, seed: number, count: number): Volume {
  const { v, d } = copyVolume(clean);
  const [nx, ny, nz] = v.size;
  const [sx, sy, sz] = v.spacingMm;
  const rnd = prng(seed);
  const lungIdx: number[] = [];
  for (let p = 0; p < lung.data.length; p += 97) if (lung.data[p] !== 0) lungIdx.push(p);
  for (let c = 0; c < count && lungIdx.length > 0; c++) {
    const p0 = lungIdx[Math.floor(rnd() * lungIdx.length)] as number;
    const i0 = p0 % nx;
    const j0 = Math.floor(p0 / nx) % ny;
    const k0 = Math.floor(p0 / (nx * ny));
    const r = 4 + rnd() * 14;
    for (let k = Math.max(0, Math.floor(k0 - r / sz)); k <= Math.min(nz - 1, Math.ceil(k0 + r / sz)); k++) {
      for (let j = Math.max(0, Math.floor(j0 - r / sy)); j <= Math.min(ny - 1, Math.ceil(j0 + r / sy)); j++) {
        for (let i = Math.max(0, Math.floor(i0 - r / sx)); i <= Math.min(nx - 1, Math.ceil(i0 + r / sx)); i++) {
          const dd = ((i - i0) * sx) ** 2 + ((j - j0) * sy) ** 2 + ((k - k0) * sz) ** 2;
          const p = i + j * nx + k * nx * ny;
          if (dd <= r * r && lung.data[p] !== 0) d[p] = clampHu(-980 + 10 * Math.sin(p));
        }
      }
    }
  }
  return v;
}

/** Post-surgery: the lower half of the left lung replaced by soft tissue (+40 HU). */
export function smallLeftLung(clean: Volume, lung: LabelMap): { volume: Volume; kCut: number } {
  const { v, d } = copyVolume(clean);
  const [nx, ny] = v.size;
  let k0 = Infinity;
  let k1 = -1;
  for (let p = 0; p < lung.data.length; p++) {
    if (lung.data[p] !== 2) continue;
    const k = Math.floor(p / (nx * ny));
    if (k < k0) k0 = k;
    if (k > k1) k1 = k;
  }
  const kCut = Math.round((k0 + k1) / 2);
  for (let p = 0; p < lung.data.length; p++) {
    if (lung.data[p] === 2 && Math.floor(p / (nx * ny)) < kCut) d[p] = clampHu(40 + 8 * Math.sin(p * 0.37));
  }
  return { volume: v, kCut };
}
