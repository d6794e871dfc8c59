/**
 * The square crop box of the preprocessing contract (`model-metadata.ts`, step 1), in pixel
 * indices of one axial slice: rows are j (LPS +y, anterior → posterior), columns are i (LPS +x,
 * patient right → left) of an LPS-reoriented volume.
 *
 * The box covers rows `rowStart … rowStart + side − 1` and columns `colStart … colStart + side − 1`;
 * it may extend past the slice (negative starts, or past the last row/column): the resampler
 * reads air (`AIR_HU`) there.
 */
export interface CropBox {
  /** First row (j) of the box; may be negative. */
  readonly rowStart: number;
  /** First column (i) of the box; may be negative. */
  readonly colStart: number;
  /** Edge length of the square box in source pixels (≥ 1). */
  readonly side: number;
}

/**
 * Body crop box of one slice (`model-metadata.ts` step 1, identical to Python
 * `lungburden.data.preprocess.body_box`):
 * 1. mask = `hu ≥ bodyThresholdHu` (note: ≥, not >);
 * 2. 4-connected components of the mask; keep the largest (ties: the component whose first pixel
 *    in row-major order comes first); its inclusive bounding box `r0…r1`, `c0…c1`. An empty mask
 *    gives the whole slice;
 * 3. margin m: `h = r1 − r0 + 1 + 2m`, `w = c1 − c0 + 1 + 2m`, `side = max(h, w)`,
 *    `rowStart = r0 − m − ⌊(side − h)/2⌋`, `colStart = c0 − m − ⌊(side − w)/2⌋`.
 * The box is neither shifted nor shrunk to fit the image: the parts outside are padded with air
 * by the resampler, so the body stays centred and the scale stays the same for every slice.
 *
 * @param hu slice voxels in HU, row-major: pixel (row j, column i) at `hu[offset + i + j * cols]`
 * @param offset index of pixel (0, 0) in `hu` (k · nI · nJ for slice k of a volume)
 * @param cols nI, number of columns
 * @param rows nJ, number of rows
 * @param bodyThresholdHu HU threshold of the body mask
 * @param marginPx margin added on every side of the body bounding box, in pixels (≥ 0)
 */
export function bodyCropBox(
  hu: ArrayLike<number>,
  offset: number,
  cols: number,
  rows: number,
  bodyThresholdHu: number,
  marginPx: number,
): CropBox {
  const { r0, r1, c0, c1 } = bodyBoundingBox(hu, offset, cols, rows, bodyThresholdHu);
  const h = r1 - r0 + 1 + 2 * marginPx;
  const w = c1 - c0 + 1 + 2 * marginPx;
  const side = Math.max(h, w);
  return {
    rowStart: r0 - marginPx - Math.floor((side - h) / 2),
    colStart: c0 - marginPx - Math.floor((side - w) / 2),
    side,
  };
}

/** Inclusive bounding box (rows `r0…r1`, columns `c0…c1`) of the body, in pixel indices. */
export interface BodyBounds {
  readonly r0: number;
  readonly r1: number;
  readonly c0: number;
  readonly c1: number;
}

/**
 * Steps 1–2 of {@link bodyCropBox}: the inclusive bounding box of the largest 4-connected
 * component of `hu ≥ bodyThresholdHu` (ties: the component whose first pixel in row-major order
 * comes first); the whole slice when the mask is empty.
 */
export function bodyBoundingBox(hu: ArrayLike<number>, offset: number, cols: number, rows: number, bodyThresholdHu: number): BodyBounds {
  // Run-length labelling: each row's runs of mask pixels are unioned with the runs of the row
  // above whose columns overlap (4-connectivity: vertical contact only, diagonals do not join).
  // Runs are created in row-major order, so the first run of a component holds its first pixel.
  let cap = 1024;
  let runStart = new Int32Array(cap),
    runEnd = new Int32Array(cap),
    runRow = new Int32Array(cap),
    parent = new Int32Array(cap);
  let runs = 0;
  let prevFirst = 0,
    prevLast = 0; // runs of the previous row: [prevFirst, prevLast)
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (let r = 0; r < rows; r++) {
    const rowBase = offset + r * cols;
    const first = runs;
    let c = 0;
    while (c < cols) {
      while (c < cols && !(hu[rowBase + c]! >= bodyThresholdHu)) c++;
      if (c >= cols) break;
      const start = c;
      while (c < cols && hu[rowBase + c]! >= bodyThresholdHu) c++;
      if (runs === cap) {
        cap *= 2;
        const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
          const g = new Int32Array(cap);
          g.set(a);
          return g;
        };
        runStart = grow(runStart);
        runEnd = grow(runEnd);
        runRow = grow(runRow);
        parent = grow(parent);
      }
      runStart[runs] = start;
      runEnd[runs] = c; // exclusive
      runRow[runs] = r;
      parent[runs] = runs;
      // union with overlapping runs of the previous row (both lists are sorted by column)
      for (let q = prevFirst; q < prevLast; q++) {
        if (runEnd[q]! <= start) continue;
        if (runStart[q]! >= c) break;
        const a = find(q),
          b = find(runs);
        if (a !== b) {
          // keep the smaller index as root, so a root is its component's first run
          if (a < b) parent[b] = a;
          else parent[a] = b;
        }
      }
      runs++;
    }
    prevFirst = first;
    prevLast = runs;
  }
  // size and bounding box per component (accumulated at the root)
  const count = new Float64Array(runs);
  const minR = new Int32Array(runs).fill(rows),
    maxR = new Int32Array(runs).fill(-1);
  const minC = new Int32Array(runs).fill(cols),
    maxC = new Int32Array(runs).fill(-1);
  for (let q = 0; q < runs; q++) {
    const root = find(q);
    count[root]! += runEnd[q]! - runStart[q]!;
    if (runRow[q]! < minR[root]!) minR[root] = runRow[q]!;
    if (runRow[q]! > maxR[root]!) maxR[root] = runRow[q]!;
    if (runStart[q]! < minC[root]!) minC[root] = runStart[q]!;
    if (runEnd[q]! - 1 > maxC[root]!) maxC[root] = runEnd[q]! - 1;
  }
  let best = -1;
  for (let q = 0; q < runs; q++) if (parent[q] === q && (best < 0 || count[q]! > count[best]!)) best = q; // ties: lower root = earlier first pixel
  let r0 = 0,
    r1 = rows - 1,
    c0 = 0,
    c1 = cols - 1;
  if (best >= 0) {
    r0 = minR[best]!;
    r1 = maxR[best]!;
    c0 = minC[best]!;
    c1 = maxC[best]!;
  }
  return { r0, r1, c0, c1 };
}
