import { DicomError } from './dicom-error.ts';
import { type FrameDescription, type PixelDecoder, type StoredSamples } from './pixel-decoder.ts';
import { TransferSyntax } from './transfer-syntax.ts';

/**
 * Decodes one RLE Lossless frame (DICOM PS3.5 Annex G): a 64-byte header with the segment count
 * and offsets, then one PackBits segment per byte plane, most significant byte first.
 * Supports 8-, 16- and 32-bit single-sample frames.
 *
 * @throws DicomError `decode-failed` for a corrupt header or segment.
 */
export function decodeRleFrame(encoded: Uint8Array, frame: FrameDescription): StoredSamples {
  if (frame.samplesPerPixel !== 1) throw new DicomError('unsupported', 'RLE with more than one sample per pixel');
  const bytesPerSample = frame.bitsAllocated / 8;
  if (![1, 2, 4].includes(bytesPerSample)) throw new DicomError('unsupported', `RLE with ${frame.bitsAllocated} bits allocated`);
  if (encoded.length < 64) throw new DicomError('decode-failed', 'RLE frame shorter than its 64-byte header');
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const segments = view.getUint32(0, true);
  if (segments !== bytesPerSample) {
    throw new DicomError('decode-failed', `RLE frame has ${segments} segments, expected ${bytesPerSample}`);
  }
  const n = frame.rows * frame.columns;
  const out = new Uint8Array(n * bytesPerSample);
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + 4 * s, true);
    const end = s + 1 < segments ? view.getUint32(8 + 4 * s, true) : encoded.length;
    if (start < 64 || start > end || end > encoded.length) throw new DicomError('decode-failed', `RLE segment ${s} has bad offsets`);
    // Segment s holds byte (bytesPerSample - 1 - s) of each little-endian sample (MSB first).
    const byteIndex = bytesPerSample - 1 - s;
    let o = 0;
    let p = start;
    while (p < end && o < n) {
      const c = ((encoded[p++] as number) << 24) >> 24;
      if (c >= 0) {
        const count = c + 1;
        if (p + count > end) throw new DicomError('decode-failed', `RLE segment ${s} literal run overruns the segment`);
        for (let k = 0; k < count && o < n; k++) out[o++ * bytesPerSample + byteIndex] = encoded[p++] as number;
      } else if (c !== -128) {
        const count = 1 - c;
        const v = encoded[p++] as number;
        for (let k = 0; k < count && o < n; k++) out[o++ * bytesPerSample + byteIndex] = v;
      }
    }
    if (o < n) throw new DicomError('decode-failed', `RLE segment ${s} holds ${o} of ${n} samples`);
  }
  const signed = frame.pixelRepresentation === 1;
  if (bytesPerSample === 1) return signed ? new Int8Array(out.buffer) : out;
  if (bytesPerSample === 2) return signed ? new Int16Array(out.buffer) : new Uint16Array(out.buffer);
  return signed ? new Int32Array(out.buffer) : new Uint32Array(out.buffer);
}

/** The pure RLE Lossless decoder, registered by default. */
export const rleDecoder: PixelDecoder = {
  name: 'rle (built-in)',
  transferSyntaxUids: [TransferSyntax.rleLossless],
  decode: decodeRleFrame,
};
