import { DicomError } from './dicom-error.ts';
import type { PixelLayout } from './instance-header.ts';
import type { StoredSamples } from './pixel-decoder.ts';

/**
 * Splits native (uncompressed) pixel bytes into per-frame sample arrays. Little-endian 16/32-bit
 * data aligned in memory is returned as views (no copy); big-endian data is byte-swapped into a
 * new array; unaligned data is copied once.
 *
 * @throws DicomError `truncated` when fewer bytes than `rows × columns × frames` samples are present,
 *   `unsupported` for 1-bit or odd bit depths and for more than one sample per pixel.
 */
export function nativeFrames(bytes: Uint8Array, layout: PixelLayout, bigEndian: boolean): StoredSamples[] {
  const { rows, columns, bitsAllocated, samplesPerPixel, numberOfFrames } = layout;
  if (samplesPerPixel !== 1) throw new DicomError('unsupported', `${samplesPerPixel} samples per pixel (colour) is not a CT image`);
  if (![8, 16, 32].includes(bitsAllocated)) throw new DicomError('unsupported', `native pixel data with ${bitsAllocated} bits allocated`);
  const size = bitsAllocated / 8;
  const n = rows * columns;
  const frameBytes = n * size;
  if (bytes.length < frameBytes * numberOfFrames) {
    throw new DicomError(
      'truncated',
      `pixel data holds ${bytes.length} bytes, ${frameBytes * numberOfFrames} expected for ${numberOfFrames} frame(s) of ${rows}×${columns}×${bitsAllocated} bits`,
    );
  }
  const signed = layout.pixelRepresentation === 1;
  const out: StoredSamples[] = [];
  for (let f = 0; f < numberOfFrames; f++) {
    let src = bytes.subarray(f * frameBytes, (f + 1) * frameBytes);
    if (bigEndian && size > 1) {
      const swapped = new Uint8Array(frameBytes);
      for (let p = 0; p < frameBytes; p += size) for (let b = 0; b < size; b++) swapped[p + b] = src[p + size - 1 - b] as number;
      src = swapped;
    } else if (src.byteOffset % size !== 0) {
      src = src.slice();
    }
    const { buffer, byteOffset } = src;
    if (size === 1) out.push(signed ? new Int8Array(buffer, byteOffset, n) : new Uint8Array(buffer, byteOffset, n));
    else if (size === 2) out.push(signed ? new Int16Array(buffer, byteOffset, n) : new Uint16Array(buffer, byteOffset, n));
    else out.push(signed ? new Int32Array(buffer, byteOffset, n) : new Uint32Array(buffer, byteOffset, n));
  }
  return out;
}
