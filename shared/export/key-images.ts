import { LESION_COLOURS } from '../domain/label-map.ts';
import type { Volume } from '../domain/volume.ts';
import { FRONTAL_EDGES, frontalSnapshot, rowToK } from './frontal-snapshot.ts';
import { argmax, pickSlices } from './pick-slices.ts';

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
  const axial = ks.map((k) => axialImage(ctx, k, (perK[k]! * sx * sy) / 100));
  const jc = argmax(anyLesion ? perJ : lungJ);
  const coronal = coronalImage(ctx, jc, (perJ[jc]! * sx * sz) / 100);
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
    let R = g,
      G = g,
      B = g;
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
        c === 0 ||
        r === 0 ||
        c === width - 1 ||
        r === height - 1 ||
        lungL[p - 1] !== l ||
        lungL[p + 1] !== l ||
        lungL[p - width] !== l ||
        lungL[p + width] !== l;
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
    kind: 'axial',
    width,
    height,
    data,
    sliceIndex: k,
    positionMm: z,
    lesionAreaCm2,
    caption: `Axial, slice ${k + 1}/${ctx.nK}, z = ${z.toFixed(1)} mm, lesion ${lesionAreaCm2.toFixed(1)} cm²`,
    pixelSpacingMm: sx,
    edges: AXIAL_EDGES,
  };
}

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
    kind: 'coronal',
    width,
    height,
    data,
    sliceIndex: j,
    positionMm: y,
    lesionAreaCm2,
    caption: `Coronal, row ${j + 1}/${nJ}, y = ${y.toFixed(1)} mm, lesion ${lesionAreaCm2.toFixed(1)} cm²`,
    pixelSpacingMm: sx,
    edges: FRONTAL_EDGES,
  };
}
