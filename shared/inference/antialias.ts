import type { CropBox } from './body-crop-box.ts';

/**
 * Gaussian width (source pixels) of the antialiasing prefilter before decimating `side` source
 * pixels to `n` output pixels: `(side / n − 1) / 2` (scikit-image's `resize`), 0 when not
 * decimating. Python `lungburden.data.preprocess.antialias_sigma`.
 */
export function antialiasSigma(side: number, n: number): number {
  return Math.max(0, (side / n - 1) / 2);
}

/**
 * Normalised weights `exp(−d² / (2σ²))` for `d = −r … r`, `r = ⌈3σ⌉` (sum 1); `[1]` for σ = 0.
 * Python `lungburden.data.preprocess.gaussian_weights`.
 */
export function gaussianWeights(sigma: number): Float64Array {
  if (!(sigma > 0)) return Float64Array.of(1);
  const r = Math.ceil(3 * sigma);
  const w = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let d = -r; d <= r; d++) {
    const v = Math.exp(-(d * d) / (2 * sigma * sigma));
    w[d + r] = v;
    sum += v;
  }
  for (let n = 0; n < w.length; n++) w[n] = w[n]! / sum;
  return w;
}

/**
 * One axis of the antialiased resize as a banded matrix over the source pixels inside the slice:
 * output pixel `o` reads the source pixels `first[o] … first[o] + count[o] − 1` with the weights
 * `weights[o·stride …]`. Weight that would fall outside the slice is left out: it multiplies the
 * padding value, which {@link AntialiasedResize} adds back.
 */
interface AxisBand {
  readonly first: Int32Array;
  readonly count: Int32Array;
  readonly weights: Float64Array;
  readonly stride: number;
  /** Smallest / largest source index read by any output pixel (`lo > hi`: none). */
  readonly lo: number;
  readonly hi: number;
}

/** Adds `wb · g[d + r]` at source index `nb + d` (inside the slice) of one band row; none when `nb` is outside. */
function addNeighbour(weights: Float64Array, row: number, g: Float64Array, nb: number, wb: number, srcLen: number): void {
  if (nb < 0 || nb >= srcLen) return;
  const r = (g.length - 1) / 2;
  for (let d = Math.max(-r, -nb); d <= r && nb + d < srcLen; d++) weights[row + nb + d] = weights[row + nb + d]! + wb * g[d + r]!;
}

/**
 * The Gaussian prefilter (σ from `side / n`, padding outside the slice) followed by the
 * half-pixel bilinear sampling of `n` outputs over `start … start + side − 1`, composed into one
 * band per output pixel: output `o` samples at `s = start + (o + ½)·side/n − ½`, neighbours
 * `⌊s⌋` (weight `1 − f`) and `⌊s⌋ + 1` (weight `f`); a neighbour inside the slice is the filtered
 * value `Σ_d g[d]·src[nb + d]`, one outside it is the padding.
 */
function axisBand(start: number, side: number, n: number, srcLen: number): AxisBand {
  const g = gaussianWeights(antialiasSigma(side, n));
  const r = (g.length - 1) / 2;
  const stride = g.length + 1;
  const first = new Int32Array(n);
  const count = new Int32Array(n);
  const weights = new Float64Array(n * stride);
  let lo = srcLen,
    hi = -1;
  for (let o = 0; o < n; o++) {
    const s = start + ((o + 0.5) * side) / n - 0.5;
    const i0 = Math.floor(s);
    const f = s - i0;
    const bandLo = Math.max(0, i0 - r);
    const bandHi = Math.min(srcLen - 1, i0 + 1 + r);
    if (bandHi < bandLo) continue;
    first[o] = bandLo;
    count[o] = bandHi - bandLo + 1;
    lo = Math.min(lo, bandLo);
    hi = Math.max(hi, bandHi);
    const row = o * stride - bandLo;
    addNeighbour(weights, row, g, i0, 1 - f, srcLen);
    addNeighbour(weights, row, g, i0 + 1, f, srcLen);
  }
  return { first, count, weights, stride, lo, hi };
}

/**
 * Step 3 of the preprocessing contract with `antialias` set (`preprocess.ts`, Python
 * `lungburden.data.preprocess.resize_box(..., antialias=True)`): each slice is smoothed along
 * columns by a Gaussian of σ = `(side/H − 1)/2` and along rows by σ = `(side/W − 1)/2` source
 * pixels (`r = ⌈3σ⌉`, weights normalised to 1, a pixel outside the slice reading `pad`), then the
 * square box is resampled bilinearly to `H × W` with half-pixel centres (a neighbour outside the
 * slice reading `pad`).
 *
 * Every step is linear with weights summing to one and the same constant outside the slice, so
 * `out = pad + A_y · (slice − pad) · A_xᵀ` with one band matrix per axis ({@link axisBand}); it is
 * evaluated separably, one output row at a time (along columns, then along rows), and reads only the
 * source pixels the output depends on: about `H·nI·(2r_y + 2) + H·W·(2r_x + 2)` multiply-adds per
 * slice (≈1 ms for 512 × 512 → 192 × 192). The operation order differs from Python's (filter the
 * whole slice, then sample), so results agree to rounding (≈1e−12 HU), not bit for bit.
 *
 * One instance serves every slice of a window (same box, same slice size).
 */
export class AntialiasedResize {
  private readonly rows: AxisBand;
  private readonly cols: AxisBand;
  /** The output row in progress: slice − `pad` filtered and sampled along columns, source columns `cols.lo … cols.hi`. */
  private readonly partial: Float64Array;
  private readonly rowWeightSum: Float64Array;

  /**
   * @param box crop box (may extend past the slice)
   * @param nI slice columns; `nJ` slice rows
   * @param H output rows; `W` output columns
   * @param pad value outside the slice (`AIR_HU`)
   */
  constructor(
    box: CropBox,
    private readonly nI: number,
    nJ: number,
    private readonly H: number,
    private readonly W: number,
    private readonly pad: number,
  ) {
    this.rows = axisBand(box.rowStart, box.side, H, nJ);
    this.cols = axisBand(box.colStart, box.side, W, nI);
    this.partial = new Float64Array(Math.max(0, this.cols.hi - this.cols.lo + 1));
    this.rowWeightSum = new Float64Array(H);
    for (let y = 0; y < H; y++) {
      let s = 0;
      for (let t = 0; t < this.rows.count[y]!; t++) s += this.rows.weights[y * this.rows.stride + t]!;
      this.rowWeightSum[y] = s;
    }
  }

  /** Whether the contract filters at all for this box (σ > 0 along rows or columns). */
  static decimates(side: number, H: number, W: number): boolean {
    return antialiasSigma(side, H) > 0 || antialiasSigma(side, W) > 0;
  }

  /** Resizes the slice stored at `data[base + row·nI + col]` into `out` (HU, row-major `H × W`). */
  resize(data: ArrayLike<number>, base: number, out: Float64Array): void {
    const { nI, H, W, pad, rows, cols, partial, rowWeightSum } = this;
    const { first: rowFirst, count: rowCount, weights: rowW, stride: rowStride } = rows;
    const { first: colFirst, count: colCount, weights: colW, stride: colStride } = cols;
    const colLo = cols.lo;
    const nc = cols.hi - cols.lo + 1;
    if (nc <= 0) {
      out.fill(pad, 0, H * W);
      return;
    }
    for (let y = 0; y < H; y++) {
      // along columns: partial[c] = Σ_t A_y[y, t]·slice[row t, colLo + c] − pad·Σ_t A_y[y, t]
      const shift = -pad * rowWeightSum[y]!;
      const taps = rowCount[y]!;
      if (taps === 0) partial.fill(shift, 0, nc);
      else {
        const wBase = y * rowStride;
        const src0 = base + rowFirst[y]! * nI + colLo;
        const w0 = rowW[wBase]!;
        for (let c = 0; c < nc; c++) partial[c] = shift + w0 * data[src0 + c]!;
        let t = 1;
        for (; t + 1 < taps; t += 2) {
          // two source rows per pass over `partial` (same sums, same order, half the loads and stores)
          const wa = rowW[wBase + t]!,
            wb = rowW[wBase + t + 1]!;
          const sa = src0 + t * nI,
            sb = sa + nI;
          for (let c = 0; c < nc; c++) partial[c] = partial[c]! + wa * data[sa + c]! + wb * data[sb + c]!;
        }
        if (t < taps) {
          const w = rowW[wBase + t]!;
          const src = src0 + t * nI;
          for (let c = 0; c < nc; c++) partial[c] = partial[c]! + w * data[src + c]!;
        }
      }
      // along rows: out[y, x] = pad + Σ_t A_x[x, t]·partial[first_x + t]
      const outRow = y * W;
      for (let x = 0; x < W; x++) {
        const n = colCount[x]!;
        const wBase = x * colStride;
        const p0 = colFirst[x]! - colLo;
        let acc = 0;
        for (let t = 0; t < n; t++) acc += colW[wBase + t]! * partial[p0 + t]!;
        out[outRow + x] = pad + acc;
      }
    }
  }
}
