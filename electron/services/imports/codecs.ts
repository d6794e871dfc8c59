import { createRequire } from 'node:module';
import { Decoder as JpegLosslessDecoder } from 'jpeg-lossless-decoder-js';
import { DicomError } from '../../../shared/dicom/dicom-error.ts';
import { jpegDctDecoder } from '../../../shared/dicom/jpeg-dct-decoder.ts';
import {
  type FrameDescription,
  type PixelDecoder,
  PixelDecoderRegistry,
  samplesFromBytes,
  type StoredSamples,
} from '../../../shared/dicom/pixel-decoder.ts';
import { rleDecoder } from '../../../shared/dicom/rle-decoder.ts';
import { TransferSyntax } from '../../../shared/dicom/transfer-syntax.ts';

// The cornerstone codecs are emscripten "MODULARIZE" builds in CommonJS: require() gives a factory
// whose promise resolves once the .wasm beside it is compiled (found through __dirname, so the
// packages must stay external to any bundle). They are loaded on first use only.
const require = createRequire(import.meta.url);

type Factory<M> = (moduleOverrides?: object) => Promise<M>;
// OpenJPEG prints "[INFO] …" lines for every frame through emscripten's print hooks: silenced.
const QUIET = { print: (): void => undefined, printErr: (): void => undefined };
function lazy<M>(load: () => Factory<M>): () => Promise<M> {
  let p: Promise<M> | null = null;
  return () => (p ??= load()(QUIET));
}

const openjpeg = lazy(
  () =>
    require('@cornerstonejs/codec-openjpeg/decodewasmjs') as Factory<{
      J2KDecoder: new () => EmscriptenDecoder;
    }>,
);
const charls = lazy(
  () =>
    require('@cornerstonejs/codec-charls/decodewasmjs') as Factory<{
      JpegLSDecoder: new () => EmscriptenDecoder;
    }>,
);
const libjpegTurbo = lazy(
  () =>
    require('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs') as Factory<{
      JPEGDecoder: new () => EmscriptenDecoder;
    }>,
);

/** Runs one emscripten decoder on a frame and copies its output out of WASM memory. */
function runEmscripten(dec: EmscriptenDecoder, encoded: Uint8Array, frame: FrameDescription, codec: string): StoredSamples {
  try {
    dec.getEncodedBuffer(encoded.length).set(encoded);
    dec.decode();
    const info = dec.getFrameInfo();
    if (info.width !== frame.columns || info.height !== frame.rows || info.componentCount !== frame.samplesPerPixel) {
      throw new DicomError(
        'decode-failed',
        `${codec}: image is ${info.width}×${info.height}×${info.componentCount}, header says ${frame.columns}×${frame.rows}×${frame.samplesPerPixel}`,
      );
    }
    const decoded = dec.getDecodedBuffer();
    if (info.bitsPerSample <= 8 && frame.bitsAllocated > 8) {
      // An 8-bit codestream in a 16-bit container: widen (signedness from the codestream).
      const wide = frame.pixelRepresentation === 1 ? new Int16Array(decoded.length) : new Uint16Array(decoded.length);
      if (info.isSigned) wide.set(new Int8Array(decoded.buffer, decoded.byteOffset, decoded.length));
      else wide.set(decoded);
      return wide;
    }
    return samplesFromBytes(decoded.slice(), frame);
  } catch (e) {
    if (e instanceof DicomError) throw e;
    // emscripten throws a bare number (a C++ exception pointer) on codec errors.
    throw new DicomError('decode-failed', `${codec} rejected the frame (${e instanceof Error ? e.message : `codec error ${String(e)}`})`);
  } finally {
    dec.delete();
  }
}

/** JPEG 2000 (lossless and lossy) through OpenJPEG (WASM). */
export const openJpegDecoder: PixelDecoder = {
  name: 'OpenJPEG (WASM)',
  transferSyntaxUids: [TransferSyntax.jpeg2000Lossless, TransferSyntax.jpeg2000],
  async decode(encoded, frame) {
    const m = await openjpeg();
    return runEmscripten(new m.J2KDecoder(), encoded, frame, 'OpenJPEG');
  },
};

/** JPEG-LS (lossless and near-lossless) through CharLS (WASM). */
export const charLsDecoder: PixelDecoder = {
  name: 'CharLS (WASM)',
  transferSyntaxUids: [TransferSyntax.jpegLsLossless, TransferSyntax.jpegLsNearLossless],
  async decode(encoded, frame) {
    const m = await charls();
    return runEmscripten(new m.JpegLSDecoder(), encoded, frame, 'CharLS');
  },
};

/** Sample precision (bits) from the first SOF marker of a JPEG stream, or null. */
export function jpegSamplePrecision(b: Uint8Array): number | null {
  let p = 2;
  while (p + 9 < b.length) {
    if (b[p] !== 0xff) return null;
    const m = b[p + 1] as number;
    if (m === 0xff) {
      p++;
      continue;
    }
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return b[p + 4] as number;
    p += 2 + (((b[p + 2] as number) << 8) | (b[p + 3] as number));
  }
  return null;
}

/**
 * JPEG DCT (baseline and extended, and the retired progressive syntaxes): 8-bit streams go to
 * libjpeg-turbo (WASM, 8-bit only), 12-bit streams to the pure decoder in shared/dicom.
 */
export const jpegDecoder: PixelDecoder = {
  name: 'libjpeg-turbo (WASM, 8-bit) / jpeg-dct (12-bit)',
  transferSyntaxUids: jpegDctDecoder.transferSyntaxUids,
  async decode(encoded, frame) {
    if (jpegSamplePrecision(encoded) !== 8) return jpegDctDecoder.decode(encoded, frame);
    const m = await libjpegTurbo();
    return runEmscripten(new m.JPEGDecoder(), encoded, frame, 'libjpeg-turbo');
  },
};

/** JPEG lossless, process 14 (any predictor) and SV1, through jpeg-lossless-decoder-js. */
export const jpegLosslessDecoder: PixelDecoder = {
  name: 'jpeg-lossless-decoder-js',
  transferSyntaxUids: [TransferSyntax.jpegLossless, TransferSyntax.jpegLosslessSv1],
  decode(encoded, frame) {
    const bytes = frame.bitsAllocated <= 8 ? 1 : 2;
    let out: Uint8Array | Uint16Array;
    try {
      out = new JpegLosslessDecoder().decode(encoded.buffer as ArrayBuffer, encoded.byteOffset, encoded.byteLength, bytes);
    } catch (e) {
      throw new DicomError('decode-failed', `JPEG lossless: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (out instanceof Uint16Array) return frame.pixelRepresentation === 1 ? new Int16Array(out.buffer, out.byteOffset, out.length) : out;
    return frame.pixelRepresentation === 1 ? new Int8Array(out.buffer, out.byteOffset, out.length) : out;
  },
};

/** Every decoder the Node/Electron main process offers: WASM codecs (lazy) plus the pure ones. */
export const NODE_PIXEL_DECODERS: readonly PixelDecoder[] = [rleDecoder, jpegDecoder, jpegLosslessDecoder, charLsDecoder, openJpegDecoder];

/** A registry with {@link NODE_PIXEL_DECODERS}; the WASM modules compile on first use. */
export function createNodeDecoderRegistry(): PixelDecoderRegistry {
  return new PixelDecoderRegistry(NODE_PIXEL_DECODERS);
}
