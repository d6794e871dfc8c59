/** Sample values of one decoded frame, row-major (column index fastest), one sample per pixel. */
export type StoredSamples = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

/** What a codec needs to know about the frame it decodes (from the Image Pixel module). */
export interface FrameDescription {
  readonly transferSyntaxUid: string;
  readonly rows: number;
  readonly columns: number;
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  /** 0 = unsigned, 1 = two's complement. */
  readonly pixelRepresentation: 0 | 1;
  readonly samplesPerPixel: number;
}

/**
 * A codec for one or more encapsulated transfer syntaxes. Implementations live where their
 * runtime is (WASM codecs are wired in `electron/services/imports/codecs.ts`); `shared/` only
 * holds the pure ones (RLE, 12-bit JPEG).
 *
 * `decode` returns the stored sample values of one frame: `rows × columns` values, in a typed
 * array whose signedness follows `pixelRepresentation` (an Int16Array for signed 16-bit data).
 * It may return a view into codec memory only if that memory stays valid until the next call.
 */
export interface PixelDecoder {
  readonly name: string;
  readonly transferSyntaxUids: readonly string[];
  decode(encoded: Uint8Array, frame: FrameDescription): StoredSamples | Promise<StoredSamples>;
}

/** Looks up the decoder of a transfer syntax; later registrations win. */
export class PixelDecoderRegistry {
  readonly #byUid = new Map<string, PixelDecoder>();

  constructor(decoders: readonly PixelDecoder[] = []) {
    for (const d of decoders) this.register(d);
  }

  /** Adds (or replaces) the decoder for each of `decoder.transferSyntaxUids`. */
  register(decoder: PixelDecoder): this {
    for (const uid of decoder.transferSyntaxUids) this.#byUid.set(uid, decoder);
    return this;
  }

  /** The decoder for `transferSyntaxUid`, or undefined when none is registered. */
  decoderFor(transferSyntaxUid: string): PixelDecoder | undefined {
    return this.#byUid.get(transferSyntaxUid);
  }

  /** Transfer syntax UIDs with a decoder. */
  supported(): string[] {
    return [...this.#byUid.keys()].sort();
  }
}

/**
 * Views decoded little-endian bytes as samples of the frame's container size and signedness
 * (copies only when `bytes` is not aligned for the element size). For codecs that return bytes.
 */
export function samplesFromBytes(bytes: Uint8Array, frame: FrameDescription): StoredSamples {
  const n = frame.rows * frame.columns * frame.samplesPerPixel;
  const signed = frame.pixelRepresentation === 1;
  const size = frame.bitsAllocated <= 8 ? 1 : frame.bitsAllocated <= 16 ? 2 : 4;
  if (bytes.byteLength < n * size) {
    throw new RangeError(`decoded frame has ${bytes.byteLength} bytes, expected ${n * size}`);
  }
  const src = bytes.byteOffset % size === 0 ? bytes : bytes.slice(0, n * size);
  const { buffer, byteOffset } = src;
  if (size === 1) return signed ? new Int8Array(buffer, byteOffset, n) : new Uint8Array(buffer, byteOffset, n);
  if (size === 2) return signed ? new Int16Array(buffer, byteOffset, n) : new Uint16Array(buffer, byteOffset, n);
  return signed ? new Int32Array(buffer, byteOffset, n) : new Uint32Array(buffer, byteOffset, n);
}
