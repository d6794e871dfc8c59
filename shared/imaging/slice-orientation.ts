import { bodyBoundingBox } from '../inference/body-crop-box.ts';

/**
 * Is a single axial chest image (a 2D PNG/JPEG slice) in radiological display orientation
 * (anterior up, the two lungs side by side) or transposed (rows and columns swapped, the lungs
 * one above the other, as the Inf-Net packaging of the MedSeg slices stores them)?
 *
 * The network was trained on display-oriented slices; on transposed ones its lesion Dice drops by
 * about a third, so the `segment` command transposes such images before inference and back after.
 */
export type SliceOrientation = 'display' | 'transposed';

export interface OrientationEstimate {
  readonly orientation: SliceOrientation;
  /**
   * Evidence for display orientation: (mean of the middle third of columns − mean of the middle
   * third of rows) of the body bounding box, divided by the box's standard deviation. In display
   * orientation the middle columns hold the mediastinum and spine (dense) and the middle rows cross
   * both lungs (air), so the score is positive; a transposed image gives the negated score.
   * Near 0 the image gives little evidence either way.
   */
  readonly score: number;
}

/** HU threshold of the body mask used to find the box the score is computed in. */
export const ORIENTATION_BODY_THRESHOLD_HU = -500;

/**
 * Estimates the orientation of one slice (`hu[col + row * cols]`). On the 40 MedSeg training slices
 * and 200 MA20 slices this score has the right sign for 39/40 and 197/200 (measured once, with the
 * Python prototype in the closing note of this change); the sign is the decision.
 */
export function estimateSliceOrientation(hu: ArrayLike<number>, cols: number, rows: number): OrientationEstimate {
  const { r0, r1, c0, c1 } = bodyBoundingBox(hu, 0, cols, rows, ORIENTATION_BODY_THRESHOLD_HU);
  const h = r1 - r0 + 1;
  const w = c1 - c0 + 1;
  let sum = 0,
    sumSq = 0,
    colBand = 0,
    rowBand = 0,
    nColBand = 0,
    nRowBand = 0;
  const cLo = Math.floor(w / 3),
    cHi = Math.floor((2 * w) / 3);
  const rLo = Math.floor(h / 3),
    rHi = Math.floor((2 * h) / 3);
  for (let r = 0; r < h; r++) {
    const inRowBand = r >= rLo && r < rHi;
    const base = (r0 + r) * cols + c0;
    for (let c = 0; c < w; c++) {
      const v = hu[base + c]!;
      sum += v;
      sumSq += v * v;
      if (c >= cLo && c < cHi) {
        colBand += v;
        nColBand++;
      }
      if (inRowBand) {
        rowBand += v;
        nRowBand++;
      }
    }
  }
  const n = h * w;
  const mean = sum / n;
  const sd = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
  if (nColBand === 0 || nRowBand === 0 || !(sd > 0)) return { orientation: 'display', score: 0 };
  const score = (colBand / nColBand - rowBand / nRowBand) / sd;
  return { orientation: score < 0 ? 'transposed' : 'display', score };
}

/**
 * One of the 8 ways a 2D axial slice can be stored (the dihedral group D4 acting on the pixel grid),
 * described by what undoes it, in this order: swap rows and columns (`transposed`), then flip the
 * rows (`upsideDown`: anterior was at the bottom), then flip the columns (`mirrored`: the patient's
 * left was on the image left). All three false = radiological display orientation ("upright":
 * anterior up, patient's right on the image left).
 */
export interface StoredOrientation {
  readonly transposed: boolean;
  readonly upsideDown: boolean;
  readonly mirrored: boolean;
}

/** The upright (radiological display) orientation. */
export const UPRIGHT: StoredOrientation = { transposed: false, upsideDown: false, mirrored: false };

/** All 8 stored orientations, in a fixed order (index = 4·transposed + 2·upsideDown + mirrored). */
export const ALL_ORIENTATIONS: readonly StoredOrientation[] = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => ({
  transposed: (k & 4) !== 0,
  upsideDown: (k & 2) !== 0,
  mirrored: (k & 1) !== 0,
}));

/** Index of `o` in {@link ALL_ORIENTATIONS}. */
export function orientationIndex(o: StoredOrientation): number {
  return (o.transposed ? 4 : 0) + (o.upsideDown ? 2 : 0) + (o.mirrored ? 1 : 0);
}

/** Short name of an orientation, e.g. `upright`, `transposed+upside-down+mirrored`. */
export function orientationName(o: StoredOrientation): string {
  const parts = [o.transposed ? 'transposed' : '', o.upsideDown ? 'upside-down' : '', o.mirrored ? 'mirrored' : ''].filter(Boolean);
  return parts.length ? parts.join('+') : 'upright';
}

/**
 * Parses an orientation name as {@link orientationName} writes it (`upright`, `transposed`,
 * `upside-down`, `mirrored`, or a `+`-joined combination such as `transposed+upside-down`);
 * `display` is accepted for `upright`. Returns null for anything else.
 */
export function parseOrientationName(name: string): StoredOrientation | null {
  if (name === 'upright' || name === 'display') return UPRIGHT;
  const parts = name.split('+');
  const known = new Set(['transposed', 'upside-down', 'mirrored']);
  if (parts.some((p) => !known.has(p)) || new Set(parts).size !== parts.length) return null;
  return { transposed: parts.includes('transposed'), upsideDown: parts.includes('upside-down'), mirrored: parts.includes('mirrored') };
}

/** The three scores behind a {@link StoredOrientationEstimate}; each is positive for the upright choice. */
export interface OrientationScores {
  /** {@link estimateSliceOrientation}'s score on the stored image (negative → transposed). */
  readonly display: number;
  /**
   * Anterior–posterior evidence on the un-transposed image: row of the centroid of the brightest 2 %
   * of body pixels in the middle 40 % of columns (the vertebral body and posterior spine: the
   * brightest compact structure near the posterior midline), minus the body's middle row, divided by
   * the body's height. Positive → the spine is in the lower half → anterior up.
   */
  readonly anteriorUp: number;
  /**
   * Left–right evidence on the image after the first two corrections: column of the centroid of the
   * soft tissue (≥ −200 HU) in the mediastinal region (rows 20–70 % of the body from anterior, columns
   * 20–80 %), minus the body's middle column, divided by the body's width. The heart lies to the
   * patient's left, so positive → patient's left on the image right → radiological display.
   */
  readonly patientLeftOnRight: number;
}

export interface StoredOrientationEstimate {
  readonly orientation: StoredOrientation;
  readonly scores: OrientationScores;
}

/** Fraction of the body width around the midline in which the spine is looked for. */
const SPINE_BAND = 0.4;
/** Fraction of the band's body pixels taken as "brightest" (bone). */
const SPINE_TOP_FRACTION = 0.02;

/**
 * Estimates which of the 8 stored orientations a single axial slice (`hu[col + row * cols]`) is in,
 * from the anatomy inside the body only: the body is the largest connected region ≥ −500 HU, so
 * neither a table (separate from the body) nor the image frame or a circular field of view (air or
 * padding outside the body) enters any score. Three decisions in turn, each the sign of one score
 * ({@link OrientationScores}): transposed or not; then, on the un-transposed image, upside down or
 * not; then, on the image with anterior up, mirrored or not. The accuracy on real slices in all 8
 * orientations is in `models/lung-burden-convlstm-fast/MODEL_CARD.md` (measured with
 * `test/electron/cli/orientation-confusion.ts`). Left–right is the weakest of the three; the lesion
 * network is run with mirror averaging on single images, so a wrong left–right call does not change
 * the segmentation.
 */
export function estimateStoredOrientation(hu: ArrayLike<number>, cols: number, rows: number): StoredOrientationEstimate {
  const display = estimateSliceOrientation(hu, cols, rows);
  const transposed = display.orientation === 'transposed';
  let img: ArrayLike<number> = hu;
  let c = cols,
    r = rows;
  if (transposed) {
    img = transposeAny(hu, cols, rows);
    c = rows;
    r = cols;
  }
  const anteriorUp = anteriorUpScore(img, c, r);
  const upsideDown = anteriorUp < 0;
  if (upsideDown) img = flipRowsAny(img, c, r);
  const patientLeftOnRight = patientLeftOnRightScore(img, c, r);
  return {
    orientation: { transposed, upsideDown, mirrored: patientLeftOnRight < 0 },
    scores: { display: display.score, anteriorUp, patientLeftOnRight },
  };
}

/** {@link OrientationScores.anteriorUp} of an image that is not transposed (0 without a body). */
export function anteriorUpScore(hu: ArrayLike<number>, cols: number, rows: number): number {
  const { r0, r1, c0, c1 } = bodyBoundingBox(hu, 0, cols, rows, ORIENTATION_BODY_THRESHOLD_HU);
  const h = r1 - r0 + 1;
  const w = c1 - c0 + 1;
  const bLo = c0 + Math.floor((w * (1 - SPINE_BAND)) / 2);
  const bHi = c0 + Math.ceil((w * (1 + SPINE_BAND)) / 2);
  const vals: number[] = [];
  for (let y = r0; y <= r1; y++)
    for (let x = bLo; x < bHi; x++) {
      const v = hu[x + y * cols]!;
      if (v >= ORIENTATION_BODY_THRESHOLD_HU) vals.push(v);
    }
  if (vals.length < 10 || h < 8) return 0;
  vals.sort((a, b) => a - b);
  const thr = vals[Math.min(vals.length - 1, Math.floor(vals.length * (1 - SPINE_TOP_FRACTION)))]!;
  let sumRow = 0,
    n = 0;
  for (let y = r0; y <= r1; y++)
    for (let x = bLo; x < bHi; x++) {
      if (hu[x + y * cols]! >= thr) {
        sumRow += y;
        n++;
      }
    }
  if (n === 0) return 0;
  return (sumRow / n - (r0 + r1) / 2) / h;
}

/** {@link OrientationScores.patientLeftOnRight} of an image with anterior up (0 without evidence). */
export function patientLeftOnRightScore(hu: ArrayLike<number>, cols: number, rows: number): number {
  const { r0, r1, c0, c1 } = bodyBoundingBox(hu, 0, cols, rows, ORIENTATION_BODY_THRESHOLD_HU);
  const h = r1 - r0 + 1;
  const w = c1 - c0 + 1;
  const yLo = r0 + Math.floor(0.2 * h),
    yHi = r0 + Math.ceil(0.7 * h);
  const xLo = c0 + Math.floor(0.2 * w),
    xHi = c0 + Math.ceil(0.8 * w);
  let sumCol = 0,
    n = 0;
  for (let y = yLo; y < yHi; y++)
    for (let x = xLo; x < xHi; x++) {
      if (hu[x + y * cols]! >= -200) {
        sumCol += x;
        n++;
      }
    }
  if (n === 0 || w < 8) return 0;
  return (sumCol / n - (c0 + c1) / 2) / w;
}

function transposeAny(a: ArrayLike<number>, cols: number, rows: number): Float32Array {
  const out = new Float32Array(cols * rows);
  for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) out[y + x * rows] = a[x + y * cols]!;
  return out;
}

function flipRowsAny(a: ArrayLike<number>, cols: number, rows: number): Float32Array {
  const out = new Float32Array(cols * rows);
  for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) out[x + (rows - 1 - y) * cols] = a[x + y * cols]!;
  return out;
}

/** An image and its size (`data[col + row * cols]`). */
export interface OrientedImage<T> {
  readonly data: T;
  readonly cols: number;
  readonly rows: number;
}

/**
 * The upright version of an image stored in orientation `o` (undoes `o`: transpose, then flip
 * rows, then flip columns, as {@link StoredOrientation} defines). The inverse is {@link fromUpright}.
 */
export function toUpright<T extends Uint8Array | Int16Array>(a: T, cols: number, rows: number, o: StoredOrientation): OrientedImage<T> {
  let data = a,
    c = cols,
    r = rows;
  if (o.transposed) {
    data = transposeImage(data, c, r);
    [c, r] = [r, c];
  }
  if (o.upsideDown) data = flipImage(data, c, r, 'rows');
  if (o.mirrored) data = flipImage(data, c, r, 'cols');
  return { data, cols: c, rows: r };
}

/** The image stored in orientation `o` made from an upright one (`cols × rows` upright); inverse of {@link toUpright}. */
export function fromUpright<T extends Uint8Array | Int16Array>(a: T, cols: number, rows: number, o: StoredOrientation): OrientedImage<T> {
  let data = a,
    c = cols,
    r = rows;
  if (o.mirrored) data = flipImage(data, c, r, 'cols');
  if (o.upsideDown) data = flipImage(data, c, r, 'rows');
  if (o.transposed) {
    data = transposeImage(data, c, r);
    [c, r] = [r, c];
  }
  return { data, cols: c, rows: r };
}

/** A copy of a `rows × cols` image flipped along its rows (upside down) or its columns (mirrored). */
export function flipImage<T extends Uint8Array | Int16Array>(a: T, cols: number, rows: number, axis: 'rows' | 'cols'): T {
  const out = new (a.constructor as new (n: number) => T)(a.length);
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols; x++) {
      const src = x + y * cols;
      out[axis === 'rows' ? x + (rows - 1 - y) * cols : cols - 1 - x + y * cols] = a[src]!;
    }
  return out;
}

/** Swaps rows and columns of a `rows × cols` image (`a[col + row * cols]`); the result is `cols × rows`. */
export function transposeImage<T extends Uint8Array | Int16Array>(a: T, cols: number, rows: number): T {
  const out = new (a.constructor as new (n: number) => T)(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r + c * rows] = a[c + r * cols]!;
  return out;
}
