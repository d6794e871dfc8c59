// Alterations of upright 8-bit validation slices that make them look like "other sources" (issue 14),
// shared by the orientation stress test (scripts/orientation-stress.ts) and the segmentation stress
// test (scripts/segment-stress.ts). A slice may carry labels (0 background, 1 GGO, 2 high opacity,
// same grid): an alteration that moves or removes pixels does the same to the labels; one that only
// changes grey values leaves them as they are. Every alteration is deterministic.
import { eightBitToVolume } from '../electron/cli/eight-bit-to-volume.ts';
import { bodyBoundingBox } from '../shared/inference/body-crop-box.ts';
import { fromUpright, type StoredOrientation } from '../shared/imaging/slice-orientation.ts';
import { EIGHT_BIT, type UprightSlice } from './orientation-sets.ts';

/** An 8-bit slice (`gray[col + row * cols]`) with optional labels on the same grid. */
export interface StressSlice extends UprightSlice {
  readonly labels?: Uint8Array;
}

/** One alteration; `index` (the slice's position in its set) seeds the random ones. */
export type Variant = (s: StressSlice, index: number) => StressSlice;

/** Grey and labels blanked (0) wherever `keep(x, y)` is false. */
function keepInside(s: StressSlice, keep: (x: number, y: number) => boolean): StressSlice {
  const inside = (p: number): boolean => keep(p % s.cols, Math.floor(p / s.cols));
  const gray = s.gray.map((v, p) => (inside(p) ? v : 0));
  return s.labels ? { ...s, gray, labels: s.labels.map((v, p) => (inside(p) ? v : 0)) } : { ...s, gray };
}

/** Outside a centred circle of diameter 0.92 × the shorter side: 0 (black), as scanners pad a round reconstruction. */
export const circularFieldOfView: Variant = (s) => {
  const r = 0.46 * Math.min(s.cols, s.rows);
  return keepInside(s, (x, y) => (x - s.cols / 2) ** 2 + (y - s.rows / 2) ** 2 <= r * r);
};

/** Everything outside the body's bounding box (largest region ≥ −500 HU, 2 px margin) blanked: no table, no cables. */
export const noTable: Variant = (s) => {
  const hu = eightBitToVolume(s.gray, s.cols, s.rows, EIGHT_BIT.center, EIGHT_BIT.width).data;
  const b = bodyBoundingBox(hu, 0, s.cols, s.rows, -500);
  return keepInside(s, (x, y) => x >= b.c0 - 2 && x <= b.c1 + 2 && y >= b.r0 - 2 && y <= b.r1 + 2);
};

/** Box mean of `gray` over the (2r+1)² window around each pixel (clipped at the borders), by a summed-area table. */
export function boxMean(gray: Uint8Array, cols: number, rows: number, r: number): Float64Array {
  const w = cols + 1;
  const sum = new Float64Array(w * (rows + 1));
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols; x++)
      sum[(y + 1) * w + x + 1] = gray[y * cols + x]! + sum[y * w + x + 1]! + sum[(y + 1) * w + x]! - sum[y * w + x]!;
  const mean = new Float64Array(cols * rows);
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols; x++) {
      const y0 = Math.max(0, y - r),
        y1 = Math.min(rows, y + r + 1),
        x0 = Math.max(0, x - r),
        x1 = Math.min(cols, x + r + 1);
      mean[y * cols + x] = (sum[y1 * w + x1]! - sum[y0 * w + x1]! - sum[y1 * w + x0]! + sum[y0 * w + x0]!) / ((y1 - y0) * (x1 - x0));
    }
  return mean;
}

/** CLAHE-like: x + (x − box mean over a (2r+1)² window), r = 1/16 of the shorter side, clipped to 0..255. */
export const localContrast: Variant = (s) => {
  const mean = boxMean(s.gray, s.cols, s.rows, Math.max(2, Math.round(Math.min(s.cols, s.rows) / 16)));
  return { ...s, gray: s.gray.map((v, p) => Math.max(0, Math.min(255, Math.round(v + (v - mean[p]!))))) };
};

/** Grey of air (−1000 HU) in the app's 8-bit window {@link EIGHT_BIT}: 43. */
export const AIR_GREY = Math.round(((-1000 - (EIGHT_BIT.center - EIGHT_BIT.width / 2)) / EIGHT_BIT.width) * 255);

/** The three alterations above together (no table, then circular field of view, then local contrast). */
export const allThree: Variant = (s, i) => localContrast(circularFieldOfView(noTable(s, i), i), i);

/**
 * A circular field of view around the whole image: the slice padded to a square whose inscribed
 * circle holds the whole image (side ⌈diagonal⌉ + 2), the padding inside the circle filled with air
 * (the median grey of the image's border, at most {@link AIR_GREY}: slices cropped to the lungs have
 * tissue at their border), outside it 0 — a scanner's round reconstruction around the slice, where
 * the 0.92 circle of {@link circularFieldOfView} cuts into tightly cropped slices. Labels are padded
 * with 0: every true pixel is kept.
 */
export const paddedCircularFieldOfView: Variant = (s) => {
  const { cols, rows } = s;
  const side = Math.ceil(Math.hypot(cols, rows)) + 2;
  const x0 = Math.floor((side - cols) / 2),
    y0 = Math.floor((side - rows) / 2);
  const border = s.gray.filter((_, p) => p < cols || p >= (rows - 1) * cols || p % cols === 0 || p % cols === cols - 1).sort();
  const air = Math.min(border[Math.floor(border.length / 2)] ?? 0, AIR_GREY);
  const r = side / 2;
  const gray = new Uint8Array(side * side);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) gray[y * side + x] = (x + 0.5 - r) ** 2 + (y + 0.5 - r) ** 2 <= r * r ? air : 0;
  const pad = (a: Uint8Array, into: Uint8Array): Uint8Array => {
    for (let y = 0; y < rows; y++) into.set(a.subarray(y * cols, (y + 1) * cols), (y + y0) * side + x0);
    return into;
  };
  const out = { gray: pad(s.gray, gray), cols: side, rows: side };
  return s.labels ? { ...out, labels: pad(s.labels, new Uint8Array(side * side)) } : out;
};

/** The slice (and its labels) as stored in orientation `o` (the inverse of bringing it upright). */
export function storedAs(o: StoredOrientation): Variant {
  return (s) => {
    const g = fromUpright(s.gray, s.cols, s.rows, o);
    const out = { gray: g.data, cols: g.cols, rows: g.rows };
    return s.labels ? { ...out, labels: fromUpright(s.labels, s.cols, s.rows, o).data } : out;
  };
}

/** The alterations of the orientation stress test, by the names it reports (the first is the identity). */
export const OTHER_SOURCE_VARIANTS: readonly (readonly [string, Variant])[] = [
  ['unaltered', (s) => s],
  ['circular field of view', circularFieldOfView],
  ['no table (outside body box blanked)', noTable],
  ['CLAHE-like local contrast', localContrast],
  ['all three', allThree],
];
