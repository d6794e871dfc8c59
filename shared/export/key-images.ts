import { LESION_COLOURS } from '../domain/label-map.ts';
import type { Volume } from '../domain/volume.ts';

/** An 8-bit RGBA raster, rows top to bottom, `data.length === width * height * 4`. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** One key image of a report with what it shows. */
export interface KeyImage extends RgbaImage {
  readonly kind: 'axial' | 'coronal' | 'frontal-3d';
  /** Slice index along k (axial) or j (coronal); null for the 3-D snapshot. */
  readonly sliceIndex: number | null;
  /** LPS z (axial) or y (coronal) of the slice centre in mm; null for the 3-D snapshot. */
  readonly positionMm: number | null;
  /** Lesion area on the slice in cm² (axial, coronal) or projected (3-D). */
  readonly lesionAreaCm2: number;
  /** One line for the caption: plane, position, lesion area. */
  readonly caption: string;
  /** Millimetres per image pixel (pixels are square): the scale of a scale bar drawn on it. */
  readonly pixelSpacingMm: number;
  /**
   * Patient direction at the image's left, right, top and bottom edges, for orientation markers:
   * axial R/L/A/P, coronal and the frontal 3-D view R/L/S/I (radiological convention).
   */
  readonly edges: ImageEdges;
}

/** Patient direction letters at the edges of a key image. */
export interface ImageEdges {
  readonly left: 'R';
  readonly right: 'L';
  readonly top: 'A' | 'S';
  readonly bottom: 'P' | 'I';
}

const AXIAL_EDGES: ImageEdges = { left: 'R', right: 'L', top: 'A', bottom: 'P' };
const FRONTAL_EDGES: ImageEdges = { left: 'R', right: 'L', top: 'S', bottom: 'I' };

/** Lengths a scale bar may have (mm). */
const SCALE_BAR_STEPS_MM = [5, 10, 20, 50, 100, 200] as const;

/**
 * Length (mm) of a key image's scale bar: the longest of 5, 10, 20, 50, 100 or 200 mm that
 * fits in `fraction` (default a quarter) of the image width of `imageWidthMm`; 5 mm for images
 * narrower than that.
 */
export function scaleBarLengthMm(imageWidthMm: number, fraction = 0.25): number {
  let best: number = SCALE_BAR_STEPS_MM[0];
  for (const mm of SCALE_BAR_STEPS_MM) if (mm <= imageWidthMm * fraction) best = mm;
  return best;
}

export interface KeyImageSet {
  /** Axial slices with the largest lesion areas (superior first). */
  readonly axial: readonly KeyImage[];
  readonly coronal: KeyImage;
  readonly frontal3d: KeyImage;
}

export interface KeyImageOptions {
  /** Number of axial key slices (default 3). */
  readonly axialCount?: number;
  /** Minimum distance between chosen axial slices in mm (default 20). */
  readonly minSeparationMm?: number;
  /** Display window centre / width in HU (default lung window −600 / 1500). */
  readonly windowCenterHu?: number;
  readonly windowWidthHu?: number;
  /** Opacity of the lesion fill over the CT (default 0.5). */
  readonly overlayAlpha?: number;
}

/** Colour of the lung outline drawn on key images (green, distinct from both lesion colours). */
export const LUNG_OUTLINE_COLOUR: readonly [number, number, number] = [40, 200, 90];

/** Thrown for label maps that do not match the volume, or volumes not on an LPS-aligned grid. */
export class KeyImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyImageError';
  }
}

/**
 * Renders the report's key images from a CT volume, its lung mask (0 outside, 1 right, 2 left)
 * and lesion labels (0, 1 GGO, 2 high opacity; null = none):
 * - axial slices at the largest lesion areas, shown in radiological convention (patient right on
 *   image left, anterior up), at square pixels (rows resampled by spacing j / spacing i);
 * - a coronal reformat through the row j with the largest lesion area (superior up, rows
 *   resampled to square pixels by spacing k / spacing i, CT linearly, labels nearest);
 * - a frontal "3-D snapshot": the lungs seen from the front as a depth-shaded surface, lesions
 *   shaded in their colours and shown through the lung surface with an opacity that fades with
 *   their depth below it (a software depth/MIP rendering, no GPU).
 * Lesion fills use the label colours of shared/domain/label-map.ts; the lung outline is green.
 * The volume must be on the store's LPS-aligned grid (i → left, j → posterior, k → superior).
 */
export function renderKeyImages(volume: Volume, lung: Uint8Array, lesion: Uint8Array | null, opts: KeyImageOptions = {}): KeyImageSet {
  const [nI, nJ, nK] = volume.size;
  const n = nI * nJ * nK;
  if (volume.data.length !== n) throw new KeyImageError(`volume has ${volume.data.length} voxels, its size says ${n}`);
  if (lung.length !== n) throw new KeyImageError(`lung mask has ${lung.length} voxels, the volume ${n}`);
  if (lesion && lesion.length !== n) throw new KeyImageError(`lesion labels have ${lesion.length} voxels, the volume ${n}`);
  const d = volume.directionLps;
  if (!(d[0] > 0.99 && d[4] > 0.99 && d[8] > 0.99)) {
    throw new KeyImageError('key images need a volume on an LPS-aligned grid (i → left, j → posterior, k → superior)');
  }
  const style: Style = {
    lo: (opts.windowCenterHu ?? -600) - (opts.windowWidthHu ?? 1500) / 2,
    width: opts.windowWidthHu ?? 1500,
    alpha: opts.overlayAlpha ?? 0.5,
  };
  const [sx, sy, sz] = volume.spacingMm;
  const ctx: Ctx = { volume, lung, lesion, nI, nJ, nK, sx, sy, sz, style };

  // Lesion (or, without lesions, lung) area per axial slice and per coronal row.
  const perK = new Float64Array(nK);
  const perJ = new Float64Array(nJ);
  const lungK = new Float64Array(nK);
  const lungJ = new Float64Array(nJ);
  for (let k = 0; k < nK; k++) {
    for (let j = 0; j < nJ; j++) {
      const base = j * nI + k * nI * nJ;
      for (let i = 0; i < nI; i++) {
        if (lesion && lesion[base + i]! > 0) {
          perK[k]!++;
          perJ[j]!++;
        }
        if (lung[base + i]! > 0) {
          lungK[k]!++;
          lungJ[j]!++;
        }
      }
    }
  }
  const anyLesion = perK.some((v) => v > 0);
  const axialCount = Math.max(1, opts.axialCount ?? 3);
  const sepSlices = Math.max(1, Math.round((opts.minSeparationMm ?? 20) / sz));
  const ks = pickSlices(anyLesion ? perK : lungK, axialCount, sepSlices).sort((a, b) => b - a);
  const axial = ks.map((k) => axialImage(ctx, k, perK[k]! * sx * sy / 100));
  const jc = argmax(anyLesion ? perJ : lungJ);
  const coronal = coronalImage(ctx, jc, perJ[jc]! * sx * sz / 100);
  return { axial, coronal, frontal3d: frontalSnapshot(ctx) };
}

interface Style {
  readonly lo: number;
  readonly width: number;
  readonly alpha: number;
}
interface Ctx {
  readonly volume: Volume;
  readonly lung: Uint8Array;
  readonly lesion: Uint8Array | null;
  readonly nI: number;
  readonly nJ: number;
  readonly nK: number;
  readonly sx: number;
  readonly sy: number;
  readonly sz: number;
  readonly style: Style;
}

/** Indices of the `count` largest values, at least `sep` apart (fewer if the array is short). */
function pickSlices(area: Float64Array, count: number, sep: number): number[] {
  const order = Array.from(area.keys()).sort((a, b) => area[b]! - area[a]! || a - b);
  const chosen: number[] = [];
  for (const k of order) {
    if (chosen.length >= count) break;
    if (area[k]! <= 0 && chosen.length > 0) break;
    if (chosen.every((c) => Math.abs(c - k) >= sep)) chosen.push(k);
  }
  if (chosen.length === 0) chosen.push(Math.floor(area.length / 2));
  return chosen;
}

function argmax(a: Float64Array): number {
  let best = Math.floor(a.length / 2);
  for (let x = 0; x < a.length; x++) if (a[x]! > a[best]!) best = x;
  return best;
}

/**
 * Composes one planar image. `sample(c, r)` gives, for output pixel (c, r), the HU (linearly
 * interpolated) and the lung / lesion labels (nearest).
 */
function compose(width: number, height: number, style: Style, sample: (c: number, r: number, out: Float64Array) => void): Uint8Array {
  const hu = new Float32Array(width * height);
  const lungL = new Uint8Array(width * height);
  const lesL = new Uint8Array(width * height);
  const s = new Float64Array(3);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      sample(c, r, s);
      const p = c + r * width;
      hu[p] = s[0]!;
      lungL[p] = s[1]!;
      lesL[p] = s[2]!;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  const a = style.alpha;
  for (let p = 0; p < width * height; p++) {
    const g = Math.max(0, Math.min(255, ((hu[p]! - style.lo) / style.width) * 255));
    let R = g, G = g, B = g;
    const les = lesL[p]!;
    if (les === 1 || les === 2) {
      const col = les === 1 ? LESION_COLOURS.ggo : LESION_COLOURS.highOpacity;
      R = (1 - a) * g + a * col[0];
      G = (1 - a) * g + a * col[1];
      B = (1 - a) * g + a * col[2];
    }
    const l = lungL[p]!;
    if (l > 0) {
      const c = p % width;
      const r = (p - c) / width;
      const edge =
        c === 0 || r === 0 || c === width - 1 || r === height - 1 ||
        lungL[p - 1] !== l || lungL[p + 1] !== l || lungL[p - width] !== l || lungL[p + width] !== l;
      if (edge) [R, G, B] = LUNG_OUTLINE_COLOUR;
    }
    rgba[4 * p] = R;
    rgba[4 * p + 1] = G;
    rgba[4 * p + 2] = B;
    rgba[4 * p + 3] = 255;
  }
  return rgba;
}

function axialImage(ctx: Ctx, k: number, lesionAreaCm2: number): KeyImage {
  const { volume, lung, lesion, nI, nJ, sx, sy } = ctx;
  const width = nI;
  const height = Math.max(1, Math.round((nJ * sy) / sx));
  const off = k * nI * nJ;
  const data = compose(width, height, ctx.style, (c, r, out) => {
    const jf = Math.min(nJ - 1, Math.max(0, ((r + 0.5) * sx) / sy - 0.5));
    const j0 = Math.floor(jf);
    const j1 = Math.min(nJ - 1, j0 + 1);
    const t = jf - j0;
    const a = volume.data[off + c + j0 * nI]!;
    const b = volume.data[off + c + j1 * nI]!;
    out[0] = a + (b - a) * t;
    const jn = Math.min(nJ - 1, Math.round(jf));
    out[1] = lung[off + c + jn * nI]!;
    out[2] = lesion ? lesion[off + c + jn * nI]! : 0;
  });
  const z = volume.originLps[2] + volume.directionLps[8] * volume.spacingMm[2] * k;
  return {
    kind: 'axial', width, height, data, sliceIndex: k, positionMm: z, lesionAreaCm2,
    caption: `Axial, slice ${k + 1}/${ctx.nK}, z = ${z.toFixed(1)} mm, lesion ${lesionAreaCm2.toFixed(1)} cm²`,
    pixelSpacingMm: sx, edges: AXIAL_EDGES,
  };
}

/** Output row r of a coronal-like image (superior up) → fractional k. */
const rowToK = (r: number, nK: number, sx: number, sz: number): number =>
  Math.min(nK - 1, Math.max(0, nK - 1 - (((r + 0.5) * sx) / sz - 0.5)));

function coronalImage(ctx: Ctx, j: number, lesionAreaCm2: number): KeyImage {
  const { volume, lung, lesion, nI, nJ, nK, sx, sz } = ctx;
  const width = nI;
  const height = Math.max(1, Math.round((nK * sz) / sx));
  const plane = nI * nJ;
  const data = compose(width, height, ctx.style, (c, r, out) => {
    const kf = rowToK(r, nK, sx, sz);
    const k0 = Math.floor(kf);
    const k1 = Math.min(nK - 1, k0 + 1);
    const t = kf - k0;
    const a = volume.data[c + j * nI + k0 * plane]!;
    const b = volume.data[c + j * nI + k1 * plane]!;
    out[0] = a + (b - a) * t;
    const kn = Math.min(nK - 1, Math.round(kf));
    out[1] = lung[c + j * nI + kn * plane]!;
    out[2] = lesion ? lesion[c + j * nI + kn * plane]! : 0;
  });
  const y = volume.originLps[1] + volume.directionLps[4] * volume.spacingMm[1] * j;
  return {
    kind: 'coronal', width, height, data, sliceIndex: j, positionMm: y, lesionAreaCm2,
    caption: `Coronal, row ${j + 1}/${nJ}, y = ${y.toFixed(1)} mm, lesion ${lesionAreaCm2.toFixed(1)} cm²`,
    pixelSpacingMm: sx, edges: FRONTAL_EDGES,
  };
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
function frontalSnapshot(ctx: Ctx): KeyImage {
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
    kind: 'frontal-3d', width, height, data, sliceIndex: null, positionMm: null, lesionAreaCm2: areaCm2,
    caption: `3-D snapshot, frontal view (lungs shaded, lesions seen through), projected lesion ${areaCm2.toFixed(1)} cm²`,
    pixelSpacingMm: sx, edges: FRONTAL_EDGES,
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
