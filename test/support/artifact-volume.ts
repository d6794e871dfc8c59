import type { LabelMap } from '../../shared/domain/label-map.ts';
import type { Volume } from '../../shared/domain/volume.ts';

// Helpers of the artifact generator (lung-artifacts.ts): body outline per slice, copies, lung volumes.

export const clampHu = (x: number): number => Math.max(-32768, Math.min(32767, Math.round(x)));

/** Per-slice outline of the body: largest 4-connected region ≥ −300 HU of each slice. */
export interface SliceBody {
  readonly mask: Uint8Array; // nx*ny
  readonly ci: number;
  readonly cj: number;
  readonly iMin: number;
  readonly iMax: number;
  readonly jMin: number;
  readonly jMax: number;
}

export function sliceBody(v: Volume, k: number): SliceBody | null {
  const [nx, ny] = v.size;
  const slice = nx * ny;
  const base = k * slice;
  const lab = new Int32Array(slice);
  const queue = new Int32Array(slice);
  let best = 0;
  let bestSize = 0;
  let next = 0;
  for (let p = 0; p < slice; p++) {
    if (lab[p] !== 0 || (v.data[base + p] as number) < -300) continue;
    next++;
    let head = 0;
    let tail = 0;
    queue[tail++] = p;
    lab[p] = next;
    while (head < tail) {
      const q = queue[head++] as number;
      const i = q % nx;
      const nbs = [i > 0 ? q - 1 : -1, i < nx - 1 ? q + 1 : -1, q - nx, q + nx];
      for (const r of nbs) {
        if (r < 0 || r >= slice || lab[r] !== 0 || (v.data[base + r] as number) < -300) continue;
        lab[r] = next;
        queue[tail++] = r;
      }
    }
    if (tail > bestSize) {
      bestSize = tail;
      best = next;
    }
  }
  if (bestSize < 100) return null;
  const mask = new Uint8Array(slice);
  let si = 0;
  let sj = 0;
  let iMin = nx;
  let iMax = -1;
  let jMin = ny;
  let jMax = -1;
  for (let p = 0; p < slice; p++) {
    if (lab[p] !== best) continue;
    mask[p] = 1;
    const i = p % nx;
    const j = (p - i) / nx;
    si += i;
    sj += j;
    if (i < iMin) iMin = i;
    if (i > iMax) iMax = i;
    if (j < jMin) jMin = j;
    if (j > jMax) jMax = j;
  }
  return { mask, ci: si / bestSize, cj: sj / bestSize, iMin, iMax, jMin, jMax };
}

export function copyVolume(v: Volume): { v: Volume; d: Int16Array } {
  const d = new Int16Array(v.data);
  return { v: { ...v, data: d }, d };
}

export function lungMl(lung: LabelMap, keep?: (p: number, label: number) => boolean): { r: number; l: number } {
  const ml = (lung.spacingMm[0] * lung.spacingMm[1] * lung.spacingMm[2]) / 1000;
  let r = 0;
  let l = 0;
  for (let p = 0; p < lung.data.length; p++) {
    const x = lung.data[p] as number;
    if (x === 0 || (keep && !keep(p, x))) continue;
    if (x === 1) r++;
    else l++;
  }
  return { r: r * ml, l: l * ml };
}

/** Radius of the body along each of `nAng` rays from (ci, cj), in voxels (anisotropic-safe: i/j spacing equal here). */
export function bodyRadii(b: SliceBody, nx: number, ny: number, nAng: number): Float64Array {
  const out = new Float64Array(nAng);
  for (let a = 0; a < nAng; a++) {
    const phi = (2 * Math.PI * a) / nAng - Math.PI; // 0 = anterior (−j), +π/2 = patient left (+i)
    const di = Math.sin(phi);
    const dj = -Math.cos(phi);
    let rMax = 0;
    for (let r = 0; r < Math.max(nx, ny); r += 0.5) {
      const i = Math.round(b.ci + di * r);
      const j = Math.round(b.cj + dj * r);
      if (i < 0 || j < 0 || i >= nx || j >= ny) break;
      if (b.mask[i + j * nx] !== 0) rMax = r;
    }
    out[a] = rMax;
  }
  return out;
}
