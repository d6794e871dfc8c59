import { AIR_HU } from '../domain/volume.ts';
import type { StoredSamples } from './pixel-decoder.ts';

/** How stored values of one frame become Hounsfield units. */
export interface HuMapping {
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
  readonly bitsStored: number;
  /** 0 = unsigned, 1 = two's complement. */
  readonly pixelRepresentation: 0 | 1;
  /** Stored value marking padding (outside the scan field), or null. */
  readonly pixelPaddingValue: number | null;
  /** With {@link pixelPaddingValue}: the other end of the padding range (inclusive), or null. */
  readonly pixelPaddingRangeLimit: number | null;
  /** HU at or below this are padding too (default −2000: no tissue or air is that low). */
  readonly paddingAtOrBelowHu: number;
}

/**
 * Converts one frame of stored values to HU: `round(stored × slope + intercept)`, clamped to
 * Int16; stored values equal to the Pixel Padding Value (or inside the padding range) and HU at or
 * below `paddingAtOrBelowHu` become {@link AIR_HU}. Writes `out[0 … n−1]`.
 *
 * Signed data whose values all lie in `[0, 2^BitsStored)` with some at or above `2^(BitsStored−1)`
 * are two's-complement patterns of BitsStored bits (what lossless JPEG codecs return for signed
 * 12-bit data) and are sign-extended. Other values outside the BitsStored range are kept as
 * stored (a mis-declared BitsStored is more common than overlay bits above HighBit, retired in 2004).
 * MONOCHROME1 needs no inversion here: it only affects display, the Modality LUT output is HU.
 */
export function storedToHu(stored: StoredSamples, out: Int16Array, m: HuMapping): void {
  const n = out.length;
  let src: StoredSamples | Int32Array = stored;
  const containerBits = stored.BYTES_PER_ELEMENT * 8;
  if (m.pixelRepresentation === 1 && m.bitsStored < containerBits) {
    const half = 2 ** (m.bitsStored - 1);
    let min = Infinity;
    let max = -Infinity;
    for (let p = 0; p < n; p++) {
      const v = stored[p] as number;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (min >= 0 && max >= half && max < 2 * half) {
      const ext = new Int32Array(n);
      const shift = 32 - m.bitsStored;
      for (let p = 0; p < n; p++) ext[p] = ((stored[p] as number) << shift) >> shift;
      src = ext;
    }
  }
  const { rescaleSlope: slope, rescaleIntercept: inter, paddingAtOrBelowHu: floor } = m;
  const ppv = m.pixelPaddingValue;
  const lo = ppv === null ? Infinity : m.pixelPaddingRangeLimit === null ? ppv : Math.min(ppv, m.pixelPaddingRangeLimit);
  const hi = ppv === null ? -Infinity : m.pixelPaddingRangeLimit === null ? ppv : Math.max(ppv, m.pixelPaddingRangeLimit);
  if (src instanceof Int16Array || src instanceof Uint16Array || src instanceof Int8Array || src instanceof Uint8Array) {
    // 8/16-bit containers: one table lookup per pixel (the table is cached per mapping).
    const offset = src instanceof Int16Array ? 32768 : src instanceof Int8Array ? 128 : 0;
    const lut = lookupTable(src instanceof Int16Array || src instanceof Uint16Array ? 65536 : 256, offset, slope, inter, lo, hi, floor);
    for (let p = 0; p < n; p++) out[p] = lut[(src[p] as number) + offset] as number;
    return;
  }
  if (slope === 1 && Number.isInteger(inter)) {
    // The common case (CT rescale slope 1, integer intercept): no rounding needed.
    for (let p = 0; p < n; p++) {
      const v = src[p] as number;
      const hu = v + inter;
      out[p] = (v >= lo && v <= hi) || hu <= floor ? AIR_HU : hu > 32767 ? 32767 : hu < -32768 ? -32768 : hu;
    }
    return;
  }
  for (let p = 0; p < n; p++) {
    const v = src[p] as number;
    const hu = Math.round(v * slope + inter);
    out[p] = (v >= lo && v <= hi) || hu <= floor ? AIR_HU : hu > 32767 ? 32767 : hu < -32768 ? -32768 : hu;
  }
}

const LUT_CACHE = new Map<string, Int16Array>();

/** HU for every stored value `v = index − offset` of an 8/16-bit container (same rules as the loop). */
function lookupTable(size: number, offset: number, slope: number, inter: number, lo: number, hi: number, floor: number): Int16Array {
  const key = `${size}|${offset}|${slope}|${inter}|${lo}|${hi}|${floor}`;
  let lut = LUT_CACHE.get(key);
  if (lut) return lut;
  lut = new Int16Array(size);
  for (let x = 0; x < size; x++) {
    const v = x - offset;
    const hu = Math.round(v * slope + inter);
    lut[x] = (v >= lo && v <= hi) || hu <= floor ? AIR_HU : hu > 32767 ? 32767 : hu < -32768 ? -32768 : hu;
  }
  if (LUT_CACHE.size >= 16) LUT_CACHE.delete(LUT_CACHE.keys().next().value as string);
  LUT_CACHE.set(key, lut);
  return lut;
}
