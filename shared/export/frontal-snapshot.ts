import { LESION_COLOURS } from '../domain/label-map.ts';
import type { ImageEdges, KeyImage } from './key-images.ts';

/** Patient direction letters of a frontal (coronal-like) key image: patient right on the left, superior up. */
export const FRONTAL_EDGES: ImageEdges = { left: 'R', right: 'L', top: 'S', bottom: 'I' };

/** Output row r of a coronal-like image (superior up) → fractional k. */
export const rowToK = (r: number, nK: number, sx: number, sz: number): number =>
  Math.min(nK - 1, Math.max(0, nK - 1 - (((r + 0.5) * sx) / sz - 0.5)));

/** The label maps and grid a frontal snapshot is rendered from (voxel counts, spacing in mm). */
export interface FrontalSnapshotInput {
  readonly lung: Uint8Array;
  readonly lesion: Uint8Array | null;
  readonly nI: number;
  readonly nJ: number;
  readonly nK: number;
  readonly sx: number;
  readonly sy: number;
  readonly sz: number;
}

const BACKGROUND: readonly [number, number, number] = [16, 18, 24];
const LUNG_SURFACE: readonly [number, number, number] = [214, 196, 190];

/**
 * Frontal depth-shaded rendering. For each (i, k) ray from anterior (j = 0) to posterior, the
 * first lung voxel gives the lung surface depth and the first lesion voxel the lesion depth and
 * class; surfaces are Lambert-shaded with normals from the depth-map gradient (light from the
 * viewer, slightly above-left); lesions are blended over the lung with opacity
 * 0.9 · exp(−depth below the lung surface / 40 mm), at least 0.35.
 */
export function frontalSnapshot(ctx: FrontalSnapshotInput): KeyImage {
  const { lung, lesion, nI, nJ, nK, sx, sy, sz } = ctx;
  const plane = nI * nJ;
  const lungDepth = new Float32Array(nI * nK).fill(-1);
  const lesDepth = new Float32Array(nI * nK).fill(-1);
  const lesClass = new Uint8Array(nI * nK);
  for (let k = 0; k < nK; k++) {
    for (let i = 0; i < nI; i++) {
      const q = i + k * nI;
      for (let j = 0; j < nJ; j++) {
        const v = i + j * nI + k * plane;
        const les = lesion ? lesion[v]! : 0;
        if (lungDepth[q]! < 0 && (lung[v]! > 0 || les > 0)) lungDepth[q] = j * sy;
        if (les > 0 && lesDepth[q]! < 0) {
          lesDepth[q] = j * sy;
          lesClass[q] = les;
          break;
        }
      }
    }
  }
  // Depths are quantised to whole voxels: smooth them (5 × 5 box over covered pixels) so the
  // shading shows the surface, not the voxel steps.
  const lungSmooth = smoothDepth(lungDepth, nI, nK, 2);
  const lesSmooth = smoothDepth(lesDepth, nI, nK, 2);
  const width = nI;
  const height = Math.max(1, Math.round((nK * sz) / sx));
  const rowK = new Int32Array(height);
  for (let r = 0; r < height; r++) rowK[r] = Math.round(rowToK(r, nK, sx, sz));
  // Light direction (towards the light) in view space: x right, y up, z towards the viewer.
  const L = normalize([-0.35, 0.45, 1]);
  const shade = (depth: Float32Array, i: number, k: number): number => {
    const at = (ii: number, kk: number): number => {
      const v = depth[Math.min(nI - 1, Math.max(0, ii)) + Math.min(nK - 1, Math.max(0, kk)) * nI]!;
      return v < 0 ? depth[i + k * nI]! : v;
    };
    // Depth increases away from the viewer; x increases to image right (= +i), y up (= +k).
    const dzdx = (at(i + 1, k) - at(i - 1, k)) / (2 * sx);
    const dzdy = (at(i, k + 1) - at(i, k - 1)) / (2 * sz);
    const nrm = normalize([dzdx, dzdy, 1]);
    return 0.22 + 0.78 * Math.max(0, nrm[0] * L[0] + nrm[1] * L[1] + nrm[2] * L[2]);
  };
  const data = new Uint8Array(width * height * 4);
  let lesionPixels = 0;
  for (let r = 0; r < height; r++) {
    const k = rowK[r]!;
    for (let i = 0; i < width; i++) {
      const q = i + k * nI;
      let col: [number, number, number] = [...BACKGROUND];
      const dl = lungDepth[q]!;
      if (dl >= 0) {
        const s = shade(lungSmooth, i, k);
        col = [LUNG_SURFACE[0] * s, LUNG_SURFACE[1] * s, LUNG_SURFACE[2] * s];
      }
      const de = lesDepth[q]!;
      if (de >= 0) {
        lesionPixels++;
        const s = shade(lesSmooth, i, k);
        const lc = lesClass[q] === 1 ? LESION_COLOURS.ggo : LESION_COLOURS.highOpacity;
        const a = Math.max(0.35, 0.9 * Math.exp(-Math.max(0, de - Math.max(0, dl)) / 40));
        col = [(1 - a) * col[0] + a * lc[0] * s, (1 - a) * col[1] + a * lc[1] * s, (1 - a) * col[2] + a * lc[2] * s];
      }
      const p = 4 * (i + r * width);
      data[p] = col[0];
      data[p + 1] = col[1];
      data[p + 2] = col[2];
      data[p + 3] = 255;
    }
  }
  const areaCm2 = (lesionPixels * sx * sx) / 100;
  return {
    kind: 'frontal-3d',
    width,
    height,
    data,
    sliceIndex: null,
    positionMm: null,
    lesionAreaCm2: areaCm2,
    caption: `3-D snapshot, frontal view (lungs shaded, lesions seen through), projected lesion ${areaCm2.toFixed(1)} cm²`,
    pixelSpacingMm: sx,
    edges: FRONTAL_EDGES,
  };
}

/** Box-smoothed depth map (−1 = no surface stays −1; only covered pixels are averaged). */
function smoothDepth(depth: Float32Array, w: number, h: number, r: number): Float32Array {
  const tmp = new Float32Array(depth.length).fill(-1);
  const out = new Float32Array(depth.length).fill(-1);
  const pass = (src: Float32Array, dst: Float32Array, horizontal: boolean) => {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const q = x + y * w;
        if (src[q]! < 0) continue;
        let sum = 0;
        let cnt = 0;
        for (let o = -r; o <= r; o++) {
          const xx = horizontal ? x + o : x;
          const yy = horizontal ? y : y + o;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          const v = src[xx + yy * w]!;
          if (v >= 0) {
            sum += v;
            cnt++;
          }
        }
        dst[q] = sum / cnt;
      }
    }
  };
  pass(depth, tmp, true);
  pass(tmp, out, false);
  return out;
}

function normalize(v: readonly [number, number, number]): [number, number, number] {
  const l = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / l, v[1] / l, v[2] / l];
}
