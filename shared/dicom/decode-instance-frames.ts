import { DicomError } from './dicom-error.ts';
import { encapsulatedFrames } from './encapsulated-frames.ts';
import type { InstanceHeader } from './instance-header.ts';
import { nativeFrames } from './native-frames.ts';
import type { FrameDescription, PixelDecoderRegistry, StoredSamples } from './pixel-decoder.ts';
import type { ParsedDicom } from './parse-dicom.ts';
import { transferSyntaxInfo } from './transfer-syntax.ts';

function extendedOffsets(v: unknown): number[] | null {
  const bytes =
    v instanceof ArrayBuffer ? new Uint8Array(v) : ArrayBuffer.isView(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : null;
  if (!bytes || bytes.byteLength === 0 || bytes.byteLength % 8 !== 0) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let o = 0; o < bytes.byteLength; o += 8) out.push(Number(view.getBigUint64(o, true)));
  return out;
}

/**
 * Decodes every frame of an instance, one at a time, and hands each to `onFrame` before decoding
 * the next (a codec may return a view into its own memory, valid only until its next call).
 *
 * @throws DicomError `malformed` (no pixel data / pixel attributes), `truncated` (short native
 *   data, encapsulated data without its end delimiter), `unsupported` (no decoder for the transfer
 *   syntax), `decode-failed` (the codec rejected a frame or returned too few samples).
 */
/** Largest decoded pixel payload of one file (1 GiB: a 512×512 Enhanced CT of 2,000 frames). */
export const MAX_DECODED_BYTES_PER_FILE = 2 ** 30;

export async function decodeInstanceFrames(
  parsed: ParsedDicom,
  header: InstanceHeader,
  registry: PixelDecoderRegistry,
  onFrame: (samples: StoredSamples, frameIndex: number) => void,
): Promise<void> {
  const layout = header.layout;
  const pixels = parsed.pixelData;
  if (!layout || !pixels) throw new DicomError('malformed', 'no Pixel Data or no Rows/Columns/BitsAllocated');
  // Bound the decoded size before any codec allocates: a header claiming 65535×65535 pixels over a
  // few bytes of data must fail fast, not reserve gigabytes.
  const decodedBytes = layout.rows * layout.columns * layout.numberOfFrames * layout.samplesPerPixel * Math.ceil(layout.bitsAllocated / 8);
  if (decodedBytes > MAX_DECODED_BYTES_PER_FILE)
    throw new DicomError(
      'malformed',
      `image of ${layout.columns}×${layout.rows}×${layout.numberOfFrames} frames (${decodedBytes} bytes decoded) exceeds the ${MAX_DECODED_BYTES_PER_FILE}-byte limit per file`,
    );
  const ts = transferSyntaxInfo(parsed.transferSyntaxUid);
  if (!ts) throw new DicomError('unsupported', `unknown transfer syntax ${parsed.transferSyntaxUid || '(empty)'}`);
  if (!pixels.encapsulated) {
    nativeFrames(pixels.bytes, layout, ts.bigEndian).forEach(onFrame);
    return;
  }
  if (!pixels.complete) throw new DicomError('truncated', 'encapsulated pixel data ends without its sequence delimiter (file cut short)');
  const decoder = registry.decoderFor(ts.uid);
  if (!decoder) throw new DicomError('unsupported', `no decoder registered for ${ts.name} (${ts.uid})`);
  const frames = encapsulatedFrames(pixels.items, layout.numberOfFrames, ts.family, extendedOffsets(parsed.dataset['ExtendedOffsetTable']));
  const desc: FrameDescription = {
    transferSyntaxUid: ts.uid,
    rows: layout.rows,
    columns: layout.columns,
    bitsAllocated: layout.bitsAllocated,
    bitsStored: layout.bitsStored,
    pixelRepresentation: layout.pixelRepresentation,
    samplesPerPixel: layout.samplesPerPixel,
  };
  const n = layout.rows * layout.columns;
  for (let f = 0; f < frames.length; f++) {
    let samples: StoredSamples;
    try {
      samples = await decoder.decode(frames[f] as Uint8Array, desc);
    } catch (e) {
      if (e instanceof DicomError) throw e;
      const msg = e instanceof Error ? e.message : typeof e === 'number' ? `codec error ${e}` : String(e);
      throw new DicomError('decode-failed', `${decoder.name} could not decode frame ${f + 1}: ${msg}`);
    }
    if (samples.length < n)
      throw new DicomError(
        'decode-failed',
        `${decoder.name} returned ${samples.length} samples for a ${layout.columns}×${layout.rows} frame`,
      );
    onFrame(samples, f);
  }
}
