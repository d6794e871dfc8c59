import { strFromU8, strToU8, unzlibSync, zlibSync } from 'fflate';
import type { EditPatch } from './edit-patch.ts';
import { validatePatch } from './edit-patch.ts';
import { MaskToolError } from './mask-tool-error.ts';

/** One step of an undo history as stored (see {@link UndoStack}). */
export interface HistoryEntry {
  /** Human-readable name shown in the history ("Brush", "Fill between slices", …). */
  readonly name: string;
  readonly patch: EditPatch;
  /** Caller-supplied time of the edit (ms since the Unix epoch), if any. */
  readonly timeMs: number | undefined;
}

/** Everything needed to restore an undo history. */
export interface HistorySnapshot {
  /** Voxel count of the label map the history belongs to. */
  readonly voxelCount: number;
  readonly maxBytes: number;
  readonly entries: readonly HistoryEntry[];
  /** Entries [0, cursor) are applied (undoable), [cursor, end) are undone (redoable). */
  readonly cursor: number;
}

const MAGIC = [0x4c, 0x42, 0x55, 0x48] as const; // "LBUH": Lung Burden Undo History
const VERSION = 1;
const HEADER_BYTES = 12;

/**
 * Binary form of a history, version 1 (all integers little-endian):
 * `"LBUH"`, u8 version, 3 zero bytes, u32 payload length, then the payload compressed with zlib
 * (RFC 1950, Adler-32 checked on read). Payload: u32 voxelCount, f64 maxBytes, u32 entry count,
 * u32 cursor; per entry: u32 name length + UTF-8 name, f64 time (NaN = none), u32 n, the n
 * indices as LEB128 varints of (index − previous index − 1) (previous = −1 at start), n before
 * bytes, n after bytes.
 */
export function encodeHistory(snapshot: HistorySnapshot): Uint8Array {
  const w = new ByteWriter();
  w.u32(snapshot.voxelCount);
  w.f64(snapshot.maxBytes);
  w.u32(snapshot.entries.length);
  w.u32(snapshot.cursor);
  for (const entry of snapshot.entries) {
    const name = strToU8(entry.name);
    w.u32(name.length);
    w.bytes(name);
    w.f64(entry.timeMs ?? NaN);
    const { indices, before, after } = entry.patch;
    w.u32(indices.length);
    let previous = -1;
    for (let m = 0; m < indices.length; m++) {
      w.varint(indices[m]! - previous - 1);
      previous = indices[m]!;
    }
    w.bytes(before);
    w.bytes(after);
  }
  const payload = w.result();
  const compressed = zlibSync(payload, { level: 6 });
  const out = new Uint8Array(HEADER_BYTES + compressed.length);
  out.set(MAGIC, 0);
  out[4] = VERSION;
  new DataView(out.buffer).setUint32(8, payload.length, true);
  out.set(compressed, HEADER_BYTES);
  return out;
}

/**
 * Parses {@link encodeHistory} bytes. Throws `corrupt-history` for wrong magic, unknown
 * version, failed checksum, truncation, trailing bytes or patches that break the
 * `EditPatch` invariants; `size-mismatch` when `expectedVoxelCount` differs from the stored one.
 */
export function decodeHistory(bytes: Uint8Array, expectedVoxelCount: number): HistorySnapshot {
  if (bytes.length < HEADER_BYTES + 6 || MAGIC.some((b, m) => bytes[m] !== b)) {
    throw new MaskToolError('corrupt-history', 'not an undo history (bad magic)');
  }
  if (bytes[4] !== VERSION) {
    throw new MaskToolError('corrupt-history', `undo history version ${bytes[4]!} is not supported (expected ${VERSION})`);
  }
  const declared = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  const compressed = bytes.subarray(HEADER_BYTES);
  // Deflate expands at most ~1032×: a larger claim is corrupt (and would be a memory bomb).
  if (declared > compressed.length * 1100 + 1024) {
    throw new MaskToolError('corrupt-history', 'undo history declares an impossible size');
  }
  let payload: Uint8Array;
  try {
    payload = unzlibSync(compressed, { out: new Uint8Array(declared) });
  } catch (error) {
    throw new MaskToolError('corrupt-history', `undo history does not decompress: ${String(error)}`);
  }
  const trailer = compressed.subarray(compressed.length - 4);
  const storedAdler = ((trailer[0]! << 24) | (trailer[1]! << 16) | (trailer[2]! << 8) | trailer[3]!) >>> 0;
  if (payload.length !== declared || adler32(payload) !== storedAdler) {
    throw new MaskToolError('corrupt-history', 'undo history checksum or length mismatch');
  }

  const r = new ByteReader(payload);
  const voxelCount = r.u32();
  if (voxelCount !== expectedVoxelCount) {
    throw new MaskToolError('size-mismatch', `undo history belongs to a map of ${voxelCount} voxels, not ${expectedVoxelCount}`);
  }
  const maxBytes = r.f64();
  const count = r.u32();
  const cursor = r.u32();
  if (!(maxBytes > 0) || cursor > count) throw new MaskToolError('corrupt-history', 'undo history header is inconsistent');
  const entries: HistoryEntry[] = [];
  for (let e = 0; e < count; e++) {
    const name = strFromU8(r.bytes(r.u32()));
    const time = r.f64();
    const n = r.u32();
    if (n > r.remaining()) throw new MaskToolError('corrupt-history', 'undo history is truncated');
    const indices = new Uint32Array(n);
    let previous = -1;
    for (let m = 0; m < n; m++) {
      previous = previous + 1 + r.varint();
      indices[m] = previous;
    }
    if (previous >= voxelCount) throw new MaskToolError('corrupt-history', `undo entry ${e} touches voxel ${previous} outside the map`);
    const patch: EditPatch = { indices, before: r.bytes(n).slice(), after: r.bytes(n).slice() };
    try {
      validatePatch(patch, voxelCount);
    } catch (error) {
      throw new MaskToolError('corrupt-history', `undo entry ${e} is invalid: ${(error as Error).message}`);
    }
    entries.push({ name, patch, timeMs: Number.isNaN(time) ? undefined : time });
  }
  if (r.remaining() !== 0) throw new MaskToolError('corrupt-history', 'undo history has trailing bytes');
  return { voxelCount, maxBytes, entries, cursor };
}

/** Adler-32 (RFC 1950) of `data`. */
function adler32(data: Uint8Array): number {
  let a = 1,
    b = 0;
  for (let p = 0; p < data.length;) {
    const end = Math.min(p + 3800, data.length);
    for (; p < end; p++) {
      a += data[p]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

class ByteWriter {
  private buffer = new Uint8Array(1 << 16);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }

  f64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  varint(value: number): void {
    this.reserve(5);
    let v = value;
    while (v >= 0x80) {
      this.buffer[this.length++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buffer[this.length++] = v;
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}

class ByteReader {
  private readonly data: Uint8Array;
  private readonly view: DataView;
  private offset = 0;

  constructor(data: Uint8Array) {
    this.data = data;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  remaining(): number {
    return this.data.length - this.offset;
  }

  u32(): number {
    this.need(4);
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }

  f64(): number {
    this.need(8);
    const value = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let shift = 0; shift < 5; shift++) {
      this.need(1);
      const byte = this.data[this.offset++]!;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 128;
    }
    throw new MaskToolError('corrupt-history', 'undo history has an over-long varint');
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.data.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  private need(n: number): void {
    if (this.offset + n > this.data.length) throw new MaskToolError('corrupt-history', 'undo history is truncated');
  }
}
