/** Stand-in for +∞ in the lower-envelope arithmetic (∞ − ∞ would give NaN). */
const FAR = 1e20;

/**
 * Signed Euclidean distance map (mm) of a binary image of `width` × `height` pixels (x fastest),
 * pixel spacing `sx` × `sy` mm: for a pixel inside the shape (mask ≠ 0), minus the distance to
 * the nearest outside pixel centre; for an outside pixel, plus the distance to the nearest
 * inside pixel centre. So |value| ≥ min(sx, sy) and the zero level lies between the two
 * boundary rings. Pixels when the image has no inside (or no outside) pixel get ±Infinity.
 * Exact (separable lower-envelope transform of Felzenszwalb & Huttenlocher, Theory Comput. 2012),
 * O(pixels).
 */
export function signedDistance2d(mask: Uint8Array, width: number, height: number, sx: number, sy: number): Float64Array {
  const toInside = squaredDistance2d(mask, width, height, sx, sy, false);
  const toOutside = squaredDistance2d(mask, width, height, sx, sy, true);
  const out = new Float64Array(width * height);
  for (let p = 0; p < out.length; p++) {
    out[p] = mask[p] !== 0 ? -finiteRoot(toOutside[p]!) : finiteRoot(toInside[p]!);
  }
  return out;
}

function finiteRoot(d2: number): number {
  return d2 >= FAR / 2 ? Infinity : Math.sqrt(d2);
}

/** Squared mm distance to the nearest pixel with (mask ≠ 0) !== invert. */
function squaredDistance2d(mask: Uint8Array, width: number, height: number, sx: number, sy: number, invert: boolean): Float64Array {
  const d = new Float64Array(width * height);
  for (let p = 0; p < d.length; p++) d[p] = (mask[p] !== 0) !== invert ? 0 : FAR;
  const n = Math.max(width, height);
  const f = new Float64Array(n);
  const out = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  const w2x = sx * sx,
    w2y = sy * sy;
  for (let y = 0; y < height; y++) {
    const base = y * width;
    for (let x = 0; x < width; x++) f[x] = d[base + x]!;
    lowerEnvelope(f, width, w2x, out, v, z);
    for (let x = 0; x < width; x++) d[base + x] = out[x]!;
  }
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) f[y] = d[x + y * width]!;
    lowerEnvelope(f, height, w2y, out, v, z);
    for (let y = 0; y < height; y++) d[x + y * width] = out[y]!;
  }
  return d;
}

/** out[q] = min_r (w2·(q − r)² + f[r]) for q < n (1-D squared distance transform). */
function lowerEnvelope(f: Float64Array, n: number, w2: number, out: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    const fq = f[q]! + w2 * q * q;
    let r = v[k]!;
    let s = (fq - (f[r]! + w2 * r * r)) / (2 * w2 * (q - r));
    while (s <= z[k]!) {
      k--;
      r = v[k]!;
      s = (fq - (f[r]! + w2 * r * r)) / (2 * w2 * (q - r));
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    const r = v[k]!;
    out[q] = w2 * (q - r) * (q - r) + f[r]!;
  }
}
