import { DicomError } from './dicom-error.ts';
import type { CodecFamily } from './transfer-syntax.ts';

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** True when `b` starts a new compressed image of the codec family (SOI, SOC or JP2 signature). */
function startsFrame(b: Uint8Array, family: CodecFamily): boolean {
  if (family === 'jpeg-2000') {
    const soc = b[0] === 0xff && b[1] === 0x4f && b[2] === 0xff && b[3] === 0x51;
    const jp2 = b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0x0c && b[4] === 0x6a && b[5] === 0x50;
    return soc || jp2;
  }
  return b[0] === 0xff && b[1] === 0xd8;
}

/**
 * Turns the items of encapsulated Pixel Data into one byte string per frame.
 *
 * `items` are what {@link parseDicom} returns: whole frames when the file had a Basic Offset
 * Table, else fragments. Rules, in order: as many items as frames → one item per frame (PS3.5
 * A.4: RLE always, and the usual layout); one frame → all fragments joined; an Extended Offset
 * Table (byte offsets of each frame's first fragment item, relative to the first fragment item)
 * → fragments grouped by it; otherwise fragments grouped at each start-of-image marker of the
 * codec (JPEG/JPEG-LS SOI `FFD8`, JPEG 2000 SOC `FF4F FF51` or a JP2 signature box).
 *
 * @throws DicomError `malformed` when the fragments cannot be split into `numberOfFrames` frames.
 */
export function encapsulatedFrames(
  items: readonly Uint8Array[],
  numberOfFrames: number,
  family: CodecFamily,
  extendedOffsetTable?: readonly number[] | null,
): Uint8Array[] {
  if (items.length === 0) throw new DicomError('malformed', 'encapsulated pixel data has no fragments');
  if (items.length === numberOfFrames) return [...items];
  if (numberOfFrames === 1) return [concat(items)];
  if (items.length < numberOfFrames) {
    throw new DicomError('malformed', `encapsulated pixel data has ${items.length} fragments for ${numberOfFrames} frames`);
  }
  let starts: number[];
  if (extendedOffsetTable && extendedOffsetTable.length === numberOfFrames) {
    const positions: number[] = [];
    let pos = 0;
    for (const it of items) {
      positions.push(pos);
      pos += 8 + it.length;
    }
    starts = extendedOffsetTable.map((off) => positions.indexOf(off));
    if (starts.some((s) => s < 0)) throw new DicomError('malformed', 'Extended Offset Table does not point at fragment items');
  } else {
    starts = [];
    items.forEach((it, i) => {
      if (startsFrame(it, family)) starts.push(i);
    });
    if (starts.length !== numberOfFrames || starts[0] !== 0) {
      throw new DicomError(
        'malformed',
        `cannot split ${items.length} fragments into ${numberOfFrames} frames (no offset table; ${starts.length} start markers found)`,
      );
    }
  }
  return starts.map((s, f) => concat(items.slice(s, starts[f + 1] ?? items.length)));
}
