/** PackBits-encodes one byte plane (test helper; literal runs only up to 128, repeats up to 128). */
function packBits(plane: Uint8Array): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < plane.length) {
    let run = 1;
    while (i + run < plane.length && plane[i + run] === plane[i] && run < 128) run++;
    if (run >= 2) {
      out.push((257 - run) & 0xff, plane[i] as number);
      i += run;
      continue;
    }
    const start = i;
    while (i < plane.length && i - start < 128 && !(i + 1 < plane.length && plane[i + 1] === plane[i])) i++;
    if (i === start) i++;
    out.push(i - start - 1, ...plane.subarray(start, i));
  }
  if (out.length % 2) out.push(0x80); // pad to even length with a no-op
  return out;
}

/** Encodes one 16-bit frame as DICOM RLE Lossless (two segments, high byte first). */
export function encodeRleFrame(px: Int16Array | Uint16Array): Uint8Array {
  const bytes = new Uint8Array(px.buffer, px.byteOffset, px.byteLength);
  const hi = new Uint8Array(px.length);
  const lo = new Uint8Array(px.length);
  for (let p = 0; p < px.length; p++) {
    lo[p] = bytes[2 * p] as number;
    hi[p] = bytes[2 * p + 1] as number;
  }
  const s0 = packBits(hi);
  const s1 = packBits(lo);
  const out = new Uint8Array(64 + s0.length + s1.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, 2, true);
  v.setUint32(4, 64, true);
  v.setUint32(8, 64 + s0.length, true);
  out.set(s0, 64);
  out.set(s1, 64 + s0.length);
  return out;
}
