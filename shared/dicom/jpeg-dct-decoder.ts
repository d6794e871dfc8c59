import { DicomError } from './dicom-error.ts';
import type { FrameDescription, PixelDecoder, StoredSamples } from './pixel-decoder.ts';
import { TransferSyntax } from './transfer-syntax.ts';

// Why hand-written: the WASM libjpeg-turbo codec is built for 8-bit samples only, and CT's lossy
// JPEG (DICOM "JPEG Extended", process 2 & 4, and the retired progressive processes) is 12-bit.
// No maintained JavaScript package decodes 12-bit DCT JPEG on its own; the decoders that do are
// vendored inside whole viewers. This is a plain ITU-T T.81 decoder for one-component images.

/** Zig-zag scan order: ZIGZAG[k] = natural (row-major) index of the k-th coefficient. */
const ZIGZAG = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57,
  50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

/** IDCT basis: COS[x * 8 + u] = C(u)/2 · cos((2x+1)uπ/16). */
const COS = new Float64Array(64);
for (let x = 0; x < 8; x++) {
  for (let u = 0; u < 8; u++) COS[x * 8 + u] = (u === 0 ? Math.SQRT1_2 : 1) * 0.5 * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
}

interface HuffmanTable {
  /** Largest code of each length 1…16 (−1 when none). */
  readonly maxCode: Int32Array;
  /** Index into `values` of the first code of each length, minus that code. */
  readonly offset: Int32Array;
  readonly values: Uint8Array;
}

function buildHuffman(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxCode = new Int32Array(18).fill(-1);
  const offset = new Int32Array(18);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    const c = counts[len - 1] as number;
    offset[len] = k - code;
    if (c > 0) {
      code += c;
      k += c;
      maxCode[len] = code - 1;
    }
    code <<= 1;
  }
  maxCode[17] = 0x7fffffff;
  return { maxCode, offset, values };
}

const fail = (msg: string): never => {
  throw new DicomError('decode-failed', `JPEG: ${msg}`);
};

/**
 * Decodes a one-component Huffman DCT JPEG image (SOF0 baseline, SOF1 extended sequential, SOF2
 * progressive) with 8- or 12-bit samples, as used by DICOM transfer syntaxes 1.2.840.10008.1.2.4.50,
 * .51, .53 and .55. Returns the samples (row-major, `rows × columns`) in a Uint8Array (8-bit) or
 * Uint16Array (12-bit). Floating-point IDCT, rounded and clamped to the sample range.
 *
 * @throws DicomError `unsupported` for arithmetic coding, lossless, hierarchical or colour JPEG;
 *   `decode-failed` for corrupt data.
 */
export function decodeJpegDct(data: Uint8Array): {
  samples: Uint8Array | Uint16Array;
  rows: number;
  columns: number;
  precision: number;
} {
  let pos = 0;
  const u16 = (): number => {
    if (pos + 2 > data.length) fail('unexpected end of data');
    const v = ((data[pos] as number) << 8) | (data[pos + 1] as number);
    pos += 2;
    return v;
  };
  if (u16() !== 0xffd8) fail('missing SOI marker');
  const qt: Int32Array[] = [];
  const dcTables: HuffmanTable[] = [];
  const acTables: HuffmanTable[] = [];
  let restartInterval = 0;
  let precision = 0;
  let rows = 0;
  let columns = 0;
  let progressive = false;
  let qtIndex = 0;
  let blocksPerLine = 0;
  let blocksPerColumn = 0;
  let coef: Int32Array | null = null;
  let componentId = -1;

  // Bit reader state (shared by the scans).
  let bitBuf = 0;
  let bitCount = 0;
  let hitMarker = false;
  const readBit = (): number => {
    if (bitCount === 0) {
      if (hitMarker || pos >= data.length) return 0;
      let b = data[pos] as number;
      if (b === 0xff) {
        const next = data[pos + 1];
        if (next === 0) {
          pos += 2;
        } else {
          hitMarker = true;
          return 0;
        }
      } else {
        pos++;
      }
      bitBuf = b;
      bitCount = 8;
      b = 0;
    }
    bitCount--;
    return (bitBuf >> bitCount) & 1;
  };
  const receive = (n: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++) v = (v << 1) | readBit();
    return v;
  };
  const extend = (v: number, n: number): number => (n === 0 ? 0 : v < 1 << (n - 1) ? v - (1 << n) + 1 : v);
  const decodeHuffman = (t: HuffmanTable): number => {
    let code = 0;
    for (let len = 1; len <= 16; len++) {
      code = (code << 1) | readBit();
      if (code <= (t.maxCode[len] as number)) return t.values[(t.offset[len] as number) + code] as number;
    }
    return fail('invalid Huffman code');
  };

  const decodeScan = (dc: HuffmanTable | undefined, ac: HuffmanTable | undefined, ss: number, se: number, ah: number, al: number): void => {
    const c = coef as Int32Array;
    const total = blocksPerLine * blocksPerColumn;
    let pred = 0;
    let eobrun = 0;
    bitCount = 0;
    hitMarker = false;
    const p1 = 1 << al;
    const m1 = -1 << al;
    for (let block = 0; block < total; block++) {
      if (restartInterval > 0 && block > 0 && block % restartInterval === 0) {
        // Expect RSTn: drop remaining bits, skip to the marker.
        bitCount = 0;
        hitMarker = false;
        while (pos + 1 < data.length && !(data[pos] === 0xff && (data[pos + 1] as number) >= 0xd0 && (data[pos + 1] as number) <= 0xd7))
          pos++;
        pos += 2;
        pred = 0;
        eobrun = 0;
      }
      const base = block * 64;
      if (!progressive) {
        const t = decodeHuffman(dc as HuffmanTable);
        pred += t === 0 ? 0 : extend(receive(t), t);
        c[base] = pred;
        for (let k = 1; k < 64;) {
          const rs = decodeHuffman(ac as HuffmanTable);
          const s = rs & 15;
          const r = rs >> 4;
          if (s === 0) {
            if (r !== 15) break;
            k += 16;
            continue;
          }
          k += r;
          if (k > 63) fail('AC coefficient index out of range');
          c[base + (ZIGZAG[k] as number)] = extend(receive(s), s);
          k++;
        }
      } else if (ss === 0) {
        if (ah === 0) {
          const t = decodeHuffman(dc as HuffmanTable);
          pred += t === 0 ? 0 : extend(receive(t), t);
          c[base] = pred * p1;
        } else if (readBit()) {
          c[base] = (c[base] as number) | p1;
        }
      } else if (ah === 0) {
        if (eobrun > 0) {
          eobrun--;
          continue;
        }
        for (let k = ss; k <= se;) {
          const rs = decodeHuffman(ac as HuffmanTable);
          const s = rs & 15;
          const r = rs >> 4;
          if (s === 0) {
            if (r < 15) {
              eobrun = (1 << r) - 1 + (r > 0 ? receive(r) : 0);
              break;
            }
            k += 16;
            continue;
          }
          k += r;
          if (k > 63) fail('AC coefficient index out of range');
          c[base + (ZIGZAG[k] as number)] = extend(receive(s), s) * p1;
          k++;
        }
      } else {
        let k = ss;
        if (eobrun === 0) {
          for (; k <= se; k++) {
            const rs = decodeHuffman(ac as HuffmanTable);
            let s = rs & 15;
            let r = rs >> 4;
            if (s !== 0) {
              s = readBit() ? p1 : m1;
            } else if (r !== 15) {
              eobrun = (1 << r) + (r > 0 ? receive(r) : 0);
              break;
            }
            while (k <= se) {
              const z = base + (ZIGZAG[k] as number);
              const v = c[z] as number;
              if (v !== 0) {
                if (readBit() && (v & p1) === 0) c[z] = v >= 0 ? v + p1 : v + m1;
              } else {
                if (r === 0) break;
                r--;
              }
              k++;
            }
            if (s !== 0 && k <= se) c[base + (ZIGZAG[k] as number)] = s;
          }
        }
        if (eobrun > 0) {
          for (; k <= se; k++) {
            const z = base + (ZIGZAG[k] as number);
            const v = c[z] as number;
            if (v !== 0 && readBit() && (v & p1) === 0) c[z] = v >= 0 ? v + p1 : v + m1;
          }
          eobrun--;
        }
      }
    }
    // Leave `pos` at the next marker.
    bitCount = 0;
    while (pos + 1 < data.length && !(data[pos] === 0xff && data[pos + 1] !== 0 && data[pos + 1] !== 0xff)) pos++;
  };

  for (;;) {
    const marker = u16();
    if (marker === 0xffd9) break;
    if (marker >= 0xffd0 && marker <= 0xffd7) continue;
    if (marker === 0xffff) {
      pos--;
      continue;
    }
    const len = u16();
    const end = pos - 2 + len;
    if (end > data.length) fail('segment runs past the end of data');
    switch (marker) {
      case 0xffdb: // DQT
        while (pos < end) {
          const pq = (data[pos] as number) >> 4;
          const tq = (data[pos] as number) & 15;
          pos++;
          const table = new Int32Array(64);
          for (let k = 0; k < 64; k++) {
            table[ZIGZAG[k] as number] = pq ? ((data[pos] as number) << 8) | (data[pos + 1] as number) : (data[pos] as number);
            pos += pq ? 2 : 1;
          }
          qt[tq] = table;
        }
        break;
      case 0xffc4: // DHT
        while (pos < end) {
          const tc = (data[pos] as number) >> 4;
          const th = (data[pos] as number) & 15;
          const counts = data.subarray(pos + 1, pos + 17);
          const n = counts.reduce((s, x) => s + x, 0);
          const values = data.slice(pos + 17, pos + 17 + n);
          pos += 17 + n;
          (tc === 0 ? dcTables : acTables)[th] = buildHuffman(counts, values);
        }
        break;
      case 0xffdd: // DRI
        restartInterval = ((data[pos] as number) << 8) | (data[pos + 1] as number);
        break;
      case 0xffc0:
      case 0xffc1:
      case 0xffc2: {
        progressive = marker === 0xffc2;
        precision = data[pos] as number;
        rows = ((data[pos + 1] as number) << 8) | (data[pos + 2] as number);
        columns = ((data[pos + 3] as number) << 8) | (data[pos + 4] as number);
        const nComp = data[pos + 5] as number;
        if (nComp !== 1) throw new DicomError('unsupported', `JPEG with ${nComp} components (only greyscale is decoded here)`);
        if (precision !== 8 && precision !== 12) fail(`sample precision ${precision}`);
        if (rows === 0 || columns === 0) throw new DicomError('unsupported', 'JPEG with DNL-defined height');
        componentId = data[pos + 6] as number;
        qtIndex = data[pos + 8] as number;
        blocksPerLine = Math.ceil(columns / 8);
        blocksPerColumn = Math.ceil(rows / 8);
        coef = new Int32Array(blocksPerLine * blocksPerColumn * 64);
        break;
      }
      case 0xffc3:
      case 0xffc5:
      case 0xffc6:
      case 0xffc7:
      case 0xffc9:
      case 0xffca:
      case 0xffcb:
      case 0xffcd:
      case 0xffce:
      case 0xffcf:
        throw new DicomError('unsupported', `JPEG process with SOF marker ${marker.toString(16)} (lossless, hierarchical or arithmetic)`);
      case 0xffda: {
        // SOS
        if (!coef) fail('scan before frame header');
        const ns = data[pos] as number;
        let dc: HuffmanTable | undefined;
        let ac: HuffmanTable | undefined;
        for (let i = 0; i < ns; i++) {
          const id = data[pos + 1 + 2 * i] as number;
          const tables = data[pos + 2 + 2 * i] as number;
          if (id === componentId) {
            dc = dcTables[tables >> 4];
            ac = acTables[tables & 15];
          }
        }
        const ss = data[pos + 1 + 2 * ns] as number;
        const se = data[pos + 2 + 2 * ns] as number;
        const a = data[pos + 3 + 2 * ns] as number;
        pos = end;
        const ah = a >> 4;
        const needsDc = progressive ? ss === 0 && ah === 0 : true;
        const needsAc = progressive ? ss > 0 : true;
        if ((needsDc && !dc) || (needsAc && !ac)) fail('scan refers to a missing Huffman table');
        decodeScan(dc, ac, ss, se, ah, a & 15);
        continue;
      }
      default:
        break; // APPn, COM, DNL, …: skipped
    }
    pos = end;
  }
  if (!coef) fail('no frame header');
  const q = qt[qtIndex] ?? fail(`missing quantization table ${qtIndex}`);
  const c = coef as Int32Array;
  const maxVal = (1 << precision) - 1;
  const shift = 1 << (precision - 1);
  const samples = precision === 8 ? new Uint8Array(rows * columns) : new Uint16Array(rows * columns);
  const tmp = new Float64Array(64);
  const deq = new Float64Array(64);
  for (let by = 0; by < blocksPerColumn; by++) {
    for (let bx = 0; bx < blocksPerLine; bx++) {
      const base = (by * blocksPerLine + bx) * 64;
      for (let i = 0; i < 64; i++) deq[i] = (c[base + i] as number) * (q[i] as number);
      // Rows: tmp[y*8+x] = Σ_u COS[x,u]·deq[y*8+u]
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          let s = 0;
          for (let u = 0; u < 8; u++) s += (COS[x * 8 + u] as number) * (deq[y * 8 + u] as number);
          tmp[y * 8 + x] = s;
        }
      }
      // Columns, level shift, clamp, store.
      for (let x = 0; x < 8; x++) {
        const px = bx * 8 + x;
        if (px >= columns) continue;
        for (let y = 0; y < 8; y++) {
          const py = by * 8 + y;
          if (py >= rows) break;
          let s = 0;
          for (let v = 0; v < 8; v++) s += (COS[y * 8 + v] as number) * (tmp[v * 8 + x] as number);
          const val = Math.round(s + shift);
          samples[py * columns + px] = val < 0 ? 0 : val > maxVal ? maxVal : val;
        }
      }
    }
  }
  return { samples, rows, columns, precision };
}

/**
 * Pure decoder for 12-bit (and 8-bit greyscale) DCT JPEG frames. Registered for the extended and
 * retired progressive syntaxes; the WASM libjpeg-turbo decoder takes the 8-bit baseline syntax.
 */
export const jpegDctDecoder: PixelDecoder = {
  name: 'jpeg-dct (built-in, 8/12-bit greyscale)',
  transferSyntaxUids: [
    TransferSyntax.jpegBaseline,
    TransferSyntax.jpegExtended,
    TransferSyntax.jpegSpectralSelection,
    TransferSyntax.jpegFullProgression,
  ],
  decode(encoded: Uint8Array, frame: FrameDescription): StoredSamples {
    const img = decodeJpegDct(encoded);
    if (img.rows !== frame.rows || img.columns !== frame.columns) {
      throw new DicomError('decode-failed', `JPEG image is ${img.columns}×${img.rows}, header says ${frame.columns}×${frame.rows}`);
    }
    if (img.samples instanceof Uint16Array && frame.pixelRepresentation === 1) return new Int16Array(img.samples.buffer);
    return img.samples;
  },
};
