import dcmjs from 'dcmjs';
import type { NaturalDataset } from './dataset-values.ts';
import { textValue } from './dataset-values.ts';
import { DicomError } from './dicom-error.ts';
import { Inflate } from 'fflate';

/** Deflated Explicit VR Little Endian. */
const DEFLATED_TS = '1.2.840.10008.1.2.1.99';
/** Largest inflated dataset accepted from a deflated file (guards against deflate bombs). */
export const MAX_INFLATED_BYTES = 512 * 2 ** 20;

/**
 * For deflated files, measures the inflated size of the dataset (streaming, nothing kept) and
 * refuses it above {@link MAX_INFLATED_BYTES} before dcmjs inflates it all in memory.
 */
function checkDeflateBomb(bytes: Uint8Array): void {
  if (bytes.length < 144) return;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // (0002,0000) File Meta Information Group Length, explicit VR UL, right after the preamble.
  if (view.getUint16(132, true) !== 0x0002 || view.getUint16(134, true) !== 0x0000) return;
  const start = 144 + view.getUint32(140, true);
  if (start >= bytes.length) return;
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > MAX_INFLATED_BYTES)
      throw new DicomError('malformed', `deflated dataset expands beyond ${MAX_INFLATED_BYTES} bytes (deflate bomb?)`);
  });
  try {
    for (let p = start; p < bytes.length; p += 1 << 20)
      inflater.push(bytes.subarray(p, Math.min(bytes.length, p + (1 << 20))), p + (1 << 20) >= bytes.length);
  } catch (e) {
    if (e instanceof DicomError) throw e;
    // A corrupt stream is reported by dcmjs with its own message.
  }
}

// dcmjs logs every recoverable oddity (private VRs "xs"/"ox", short values, …) to the console; the
// importer reports problems itself (ImportIssue), so its validation logger is silenced once here.
dcmjs.log.getLogger('validation.dcmjs').setLevel('silent');
dcmjs.log.setLevel('error');

/** Pixel data as stored in the file, before any codec. */
export type StoredPixelData =
  /** Native (uncompressed) pixel bytes of all frames, in the file's byte order. */
  | { readonly encapsulated: false; readonly bytes: Uint8Array }
  /**
   * Encapsulated pixel data: `items` are whole frames when the file has a Basic Offset Table
   * (dcmjs joins the fragments of each frame), otherwise the fragments in file order.
   * `complete` is false when the file ends without the sequence delimiter (truncated file).
   */
  | {
      readonly encapsulated: true;
      readonly items: readonly Uint8Array[];
      readonly complete: boolean;
    };

/** One parsed DICOM Part-10 file: file-meta facts, the other attributes, and the stored pixel data. */
export interface ParsedDicom {
  readonly transferSyntaxUid: string;
  /** SOP Class UID of the dataset, or of the file meta (0002,0002) when the dataset's is empty. */
  readonly sopClassUid: string;
  /** SOP Instance UID of the dataset, or of the file meta (0002,0003) when the dataset's is empty. */
  readonly sopInstanceUid: string;
  /** All attributes except Pixel Data, by keyword (see {@link NaturalDataset}). */
  readonly dataset: NaturalDataset;
  readonly pixelData: StoredPixelData | null;
}

const PIXEL_DATA = '7FE00010';
const FLOAT_PIXEL_DATA = ['7FE00008', '7FE00009'];

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const buf = bytes.buffer;
  if (buf instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buf.byteLength) return buf;
  return bytes.slice().buffer;
}

function asBytes(v: unknown): Uint8Array | null {
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return null;
}

/** True when the file ends with an empty Sequence Delimitation Item (FFFE,E0DD), little endian. */
function endsWithSequenceDelimiter(bytes: Uint8Array): boolean {
  const n = bytes.length;
  if (n < 8) return false;
  const tail = [0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0];
  for (let i = 0; i < 8; i++) if (bytes[n - 8 + i] !== tail[i]) return false;
  return true;
}

/** Native transfer syntaxes whose pixel bytes sit unchanged in the file (not deflated). */
const NATIVE_IN_PLACE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2']);

function readWithDcmjs(buffer: ArrayBuffer, untilTag: string | null): ReturnType<typeof dcmjs.data.DicomMessage.readFile> {
  try {
    return dcmjs.data.DicomMessage.readFile(buffer, untilTag ? { untilTag, includeUntilTagValue: false } : undefined);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (e instanceof RangeError || /bounds|outside|beyond|end of/i.test(msg)) {
      throw new DicomError('truncated', `file ends inside a data element (${msg})`);
    }
    throw new DicomError('malformed', `cannot parse DICOM: ${msg}`);
  }
}

function numberOf(dict: Record<string, { Value?: unknown[] }>, tag: string): number | null {
  const v = dict[tag]?.Value?.[0];
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

/**
 * Finds the top-level (7FE0,0010) element of a native file and returns its value as a view into
 * `bytes`. Candidates are checked against the length the image attributes imply, which skips
 * icon images nested in sequences. Returns null (caller falls back to a full dcmjs read) when no
 * candidate fits, e.g. for a truncated file.
 */
function locateNativePixelData(
  bytes: Uint8Array,
  dict: Record<string, { Value: unknown[] }>,
  bigEndian: boolean,
  implicit: boolean,
): Uint8Array | null {
  const rows = numberOf(dict, '00280010');
  const cols = numberOf(dict, '00280011');
  const bits = numberOf(dict, '00280100');
  const spp = numberOf(dict, '00280002') ?? 1;
  const frames = numberOf(dict, '00280008') ?? 1;
  if (!rows || !cols || !bits || bits % 8 !== 0) return null;
  const expected = rows * cols * spp * frames * (bits / 8);
  const [t0, t1, t2, t3] = bigEndian ? [0x7f, 0xe0, 0x00, 0x10] : [0xe0, 0x7f, 0x10, 0x00];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = bytes.indexOf(t0, 132); p >= 0 && p + 8 <= bytes.length; p = bytes.indexOf(t0, p + 1)) {
    if (bytes[p + 1] !== t1 || bytes[p + 2] !== t2 || bytes[p + 3] !== t3) continue;
    let start: number;
    let len: number;
    if (implicit) {
      start = p + 8;
      len = view.getUint32(p + 4, true);
    } else {
      const vr = String.fromCharCode(bytes[p + 4] as number, bytes[p + 5] as number);
      if ((vr !== 'OW' && vr !== 'OB') || p + 12 > bytes.length) continue;
      start = p + 12;
      len = view.getUint32(p + 8, !bigEndian);
    }
    if ((len === expected || len === expected + 1) && start + len <= bytes.length) return bytes.subarray(start, start + len);
  }
  return null;
}

/** True when the transfer syntax UID string occurs in the file meta group (first 1 KiB). */
function findsTransferSyntax(bytes: Uint8Array, uid: string): boolean {
  const head = bytes.subarray(132, Math.min(bytes.length, 1024));
  let s = '';
  for (const b of head) s += b >= 32 && b < 127 ? String.fromCharCode(b) : ' ';
  return s.includes(uid);
}

/**
 * Parses the bytes of one DICOM Part-10 file with dcmjs (all transfer syntaxes' *encodings*,
 * including deflate and big endian; pixel *codecs* are applied later).
 *
 * @throws DicomError `not-dicom` (no "DICM" preamble), `truncated` (file ends inside an element),
 *   `malformed` (anything else dcmjs rejects).
 */
export function parseDicom(bytes: Uint8Array): ParsedDicom {
  if (bytes.length < 132 || bytes[128] !== 0x44 || bytes[129] !== 0x49 || bytes[130] !== 0x43 || bytes[131] !== 0x4d) {
    throw new DicomError('not-dicom', 'not a DICOM Part-10 file (no "DICM" marker at byte 128)');
  }
  // First pass: every attribute up to Pixel Data (dcmjs copies values it reads, so stopping there
  // avoids copying the pixels). Native pixel data is then located and viewed in place.
  if (findsTransferSyntax(bytes, DEFLATED_TS)) checkDeflateBomb(bytes);
  const buffer = toArrayBuffer(bytes);
  let parsed = readWithDcmjs(buffer, '7FE00010');
  const ts = textValue(dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.meta), 'TransferSyntaxUID');
  let nativeView: Uint8Array | null = null;
  if (NATIVE_IN_PLACE.has(ts))
    nativeView = locateNativePixelData(bytes, parsed.dict, ts === '1.2.840.10008.1.2.2', ts === '1.2.840.10008.1.2');
  if (!nativeView) parsed = readWithDcmjs(buffer, null);
  const dict = parsed.dict;
  for (const t of FLOAT_PIXEL_DATA) {
    if (dict[t]) throw new DicomError('unsupported', 'float/double pixel data (parametric map) is not a CT image');
  }
  const { [PIXEL_DATA]: pixelElement, ...withoutPixels } = dict;
  const keys = Object.keys(dict);
  const pixelIsLast = keys[keys.length - 1] === PIXEL_DATA;
  let dataset: NaturalDataset;
  let meta: NaturalDataset;
  try {
    dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(withoutPixels);
    meta = dcmjs.data.DicomMetaDictionary.naturalizeDataset(parsed.meta);
  } catch (e) {
    throw new DicomError('malformed', `cannot interpret DICOM attributes: ${e instanceof Error ? e.message : String(e)}`);
  }
  const transferSyntaxUid = textValue(meta, 'TransferSyntaxUID');
  let pixelData: StoredPixelData | null = null;
  if (nativeView) {
    pixelData = { encapsulated: false, bytes: nativeView };
  } else if (pixelElement && Array.isArray(pixelElement.Value) && pixelElement.Value.length > 0) {
    const items = pixelElement.Value.map(asBytes).filter((x): x is Uint8Array => x !== null);
    const native =
      transferSyntaxUid === '1.2.840.10008.1.2' ||
      transferSyntaxUid === '1.2.840.10008.1.2.1' ||
      transferSyntaxUid === '1.2.840.10008.1.2.2' ||
      transferSyntaxUid === '1.2.840.10008.1.2.1.99';
    if (native) {
      if (items.length !== 1 || !items[0]) throw new DicomError('malformed', 'native pixel data is encapsulated');
      pixelData = { encapsulated: false, bytes: items[0] };
    } else {
      pixelData = {
        encapsulated: true,
        items,
        complete: !pixelIsLast || endsWithSequenceDelimiter(bytes),
      };
    }
  }
  return {
    transferSyntaxUid,
    sopClassUid: textValue(dataset, 'SOPClassUID') || textValue(meta, 'MediaStorageSOPClassUID'),
    sopInstanceUid: textValue(dataset, 'SOPInstanceUID') || textValue(meta, 'MediaStorageSOPInstanceUID'),
    dataset,
    pixelData,
  };
}
