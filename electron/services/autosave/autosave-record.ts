/**
 * The on-disk format of one autosave slot (pure framing, no I/O):
 * `LBAUTOSAVE1\n` · uint32 LE header length · UTF-8 JSON header · payload (deflated label bytes).
 * The header carries the case, the parent version the edits started from, the time, the raw
 * label length and its sha256, so a torn or foreign file is detected before use.
 */
export interface AutosaveHeader {
  readonly format: 1;
  readonly caseId: number;
  /** Label version the edits started from (null: edits on an empty map). */
  readonly parentVersionId: number | null;
  /** ISO 8601 UTC time of the autosave. */
  readonly savedAt: string;
  /** Voxel count of the label map (bytes before compression). */
  readonly byteLength: number;
  /** sha256 (hex) of the raw label bytes. */
  readonly sha256: string;
  /** Payload encoding. */
  readonly encoding: 'deflate-u8';
}

const MAGIC = new TextEncoder().encode('LBAUTOSAVE1\n');

/** Thrown for a slot file that is not a complete, well-formed autosave. */
export class AutosaveFormatError extends Error {
  override readonly name = 'AutosaveFormatError';
}

export function encodeAutosave(header: AutosaveHeader, payload: Uint8Array): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(MAGIC.length + 4 + h.length + payload.length);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(MAGIC.length, h.length, true);
  out.set(h, MAGIC.length + 4);
  out.set(payload, MAGIC.length + 4 + h.length);
  return out;
}

export function decodeAutosave(bytes: Uint8Array): { header: AutosaveHeader; payload: Uint8Array } {
  if (bytes.length < MAGIC.length + 4 || MAGIC.some((b, i) => bytes[i] !== b)) throw new AutosaveFormatError('not an autosave file');
  const hLen = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
  const start = MAGIC.length + 4;
  if (hLen > 64 * 1024 || start + hLen > bytes.length) throw new AutosaveFormatError('autosave header truncated');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, start + hLen)));
  } catch {
    throw new AutosaveFormatError('autosave header is not JSON');
  }
  const h = header as Partial<AutosaveHeader>;
  const okId = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x) && x > 0;
  if (
    h.format !== 1 ||
    !okId(h.caseId) ||
    !(h.parentVersionId === null || okId(h.parentVersionId)) ||
    typeof h.savedAt !== 'string' ||
    !Number.isInteger(h.byteLength) ||
    (h.byteLength ?? 0) <= 0 ||
    typeof h.sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(h.sha256) ||
    h.encoding !== 'deflate-u8'
  ) {
    throw new AutosaveFormatError('autosave header has missing or invalid fields');
  }
  return { header: h as AutosaveHeader, payload: bytes.subarray(start + hLen) };
}
