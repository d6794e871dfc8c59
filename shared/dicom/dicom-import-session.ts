import {
  assembleStack,
  DEFAULT_STACK_TOLERANCES,
  type StackSlice,
  type StackTolerances,
} from './assemble-stack.ts';
import { decodeInstanceFrames, MAX_DECODED_BYTES_PER_FILE } from './decode-instance-frames.ts';
import { DicomError } from './dicom-error.ts';
import { readInstanceHeader, type InstanceHeader } from './instance-header.ts';
import type { PixelDecoderRegistry } from './pixel-decoder.ts';
import { parseDicom } from './parse-dicom.ts';
import { readSeriesMetadata } from './series-metadata.ts';
import { CT_IMAGE_SOP_CLASSES, MEDIA_STORAGE_DIRECTORY, sopClassName } from './sop-classes.ts';
import { SliceSlabs } from './slice-slab.ts';
import { storedToHu } from './stored-to-hu.ts';
import type { ImportIssue, ImportResult, ImportedSeries } from './types.ts';

/** Options of a {@link DicomImportSession}. */
export interface DicomImportOptions {
  /** Codecs for encapsulated transfer syntaxes (native data needs none). */
  readonly registry: PixelDecoderRegistry;
  /** HU at or below this become air (−1024) as scan-field padding (default −2000). */
  readonly paddingAtOrBelowHu?: number;
  readonly tolerances?: Partial<StackTolerances>;
  /**
   * Expected number of slices (e.g. the number of files): slices are then decoded into one slab
   * and a volume is formed in place, without a second copy of its voxels. 0 or absent = unknown.
   */
  readonly sliceHint?: number;
  /**
   * Most bytes of decoded HU voxels (Int16: 2 bytes a voxel) one import may hold, summed over
   * every file (default {@link MAX_DECODED_BYTES_PER_IMPORT}). A file that would exceed it is not
   * decoded, and once one file has been refused for it the whole import yields no series (a CT
   * with slices missing must not be stacked): eight 2 MB RLE files of 8192² used to import as
   * 537 M voxels. The per-file limit is in decode-instance-frames.ts.
   */
  readonly maxDecodedBytes?: number;
}

/**
 * Default decoded-voxel budget of one import: 512 × 512 × 2000 voxels of Int16 HU (1,000 MiB), far
 * above any chest CT; the same bound as the NIfTI path (`MAX_IMPORT_VOXELS`).
 */
export const MAX_DECODED_BYTES_PER_IMPORT = 512 * 512 * 2000 * 2;

/** Decoded size from which one file's size is projected onto the files still to come (16 MiB). */
const LARGE_FILE_DECODED_BYTES = 16 * 1024 ** 2;

const CT_IMAGE = '1.2.840.10008.5.1.4.1.1.2';
const r3 = (x: number): string => (Math.round(x * 1000) / 1000).toFixed(3);

/** Why an instance is not imported as CT slices, or null when it is a CT image to import. */
function skipReason(h: InstanceHeader, hasPixels: boolean): ImportIssue | null {
  const sop = h.sopClassUid;
  if (sop === MEDIA_STORAGE_DIRECTORY) return null; // DICOMDIR: an index, skipped silently by the caller
  const modality = h.modality;
  const isCtClass = CT_IMAGE_SOP_CLASSES.has(sop);
  if ((modality && modality !== 'CT') || (sop && !isCtClass) || (!sop && !modality)) {
    return {
      severity: 'warning',
      code: 'not-ct',
      message: `skipped ${sopClassName(sop)}${modality ? ` (modality ${modality})` : ''}: not a CT image`,
    };
  }
  if (!h.layout || !hasPixels) {
    // dcmjs reads what a cut-short file holds without complaint; a CT image lacking its pixel
    // attributes or Pixel Data is almost always a truncated copy.
    return {
      severity: 'error',
      code: 'truncated',
      message: `${sopClassName(sop || CT_IMAGE)} without ${h.layout ? 'Pixel Data' : 'Rows/Columns/BitsAllocated'}: the file is truncated or incomplete`,
    };
  }
  if (h.imageType.includes('LOCALIZER')) {
    return {
      severity: 'warning',
      code: 'localizer',
      message: `skipped localizer/scout image (ImageType ${h.imageType.join('\\')})`,
    };
  }
  const pi = h.layout.photometricInterpretation;
  if ((pi !== 'MONOCHROME1' && pi !== 'MONOCHROME2') || h.layout.samplesPerPixel !== 1) {
    return {
      severity: 'error',
      code: 'unsupported',
      message: `skipped CT image with photometric interpretation ${pi} and ${h.layout.samplesPerPixel} sample(s) per pixel (greyscale expected)`,
    };
  }
  return null;
}

interface PendingSlice extends StackSlice {
  readonly groupKey: string;
  readonly stackKey: string;
  readonly order: number;
}

/**
 * Imports DICOM files one at a time (bytes in, nothing kept but each decoded slice in HU) and,
 * on {@link finish}, groups them into series and builds one {@link ImportedSeries} per stack.
 *
 * Grouping: by SeriesInstanceUID; when it is empty, by StudyInstanceUID + FrameOfReferenceUID +
 * orientation + rows/columns + AcquisitionNumber. Within a group, slices with another orientation,
 * image size or pixel spacing form their own stack: a single slice of another orientation is a
 * localizer (skipped, warning), larger stacks become separate series (`mixed-series` warning).
 * The same SOP instance (and frame) seen twice is imported once (`duplicate-instance` warning).
 *
 * Bad input never throws: each file's problem becomes an {@link ImportIssue} and the rest goes on.
 */
export class DicomImportSession {
  readonly #registry: PixelDecoderRegistry;
  readonly #paddingAtOrBelowHu: number;
  readonly #tolerances: StackTolerances;
  readonly #slices: PendingSlice[] = [];
  readonly #issues: ImportIssue[] = [];
  readonly #seen = new Map<string, string>();
  readonly #slabs: SliceSlabs;
  readonly #maxDecodedBytes: number;
  #decodedBytes = 0;
  #overBudget = false;
  readonly #expectedFiles: number;
  #order = 0;

  constructor(opts: DicomImportOptions) {
    this.#registry = opts.registry;
    this.#paddingAtOrBelowHu = opts.paddingAtOrBelowHu ?? -2000;
    this.#tolerances = { ...DEFAULT_STACK_TOLERANCES, ...opts.tolerances };
    this.#slabs = new SliceSlabs(opts.sliceHint ?? 0);
    this.#maxDecodedBytes = opts.maxDecodedBytes ?? MAX_DECODED_BYTES_PER_IMPORT;
    this.#expectedFiles = opts.sliceHint ?? 0;
  }

  /** Records a problem found outside the session (e.g. a file that could not be read). */
  addIssue(issue: ImportIssue): void {
    this.#issues.push(issue);
  }

  /**
   * Parses and decodes one file. `file` names it in issues and in {@link ImportedSeries.files}
   * (relative to the imported root). Never throws for bad input.
   */
  async addFile(file: string, bytes: Uint8Array): Promise<void> {
    const order = this.#order++;
    try {
      const parsed = parseDicom(bytes);
      const header = readInstanceHeader(parsed);
      if (header.sopClassUid === MEDIA_STORAGE_DIRECTORY) return;
      const skip = skipReason(header, parsed.pixelData !== null);
      if (skip) {
        this.#issues.push({ ...skip, file });
        return;
      }
      const layout = header.layout;
      if (!layout) return;
      const metadata = readSeriesMetadata(
        header.dataset,
        header.sopClassUid,
        header.transferSyntaxUid,
      );
      const frames = header.frames;
      const ori0 = frames[0]?.orientation;
      const groupKey = header.seriesInstanceUid
        ? `uid|${header.seriesInstanceUid}`
        : `fallback|${header.studyInstanceUid}|${header.frameOfReferenceUid}|${ori0 ? ori0.map(r3).join(',') : '-'}|${layout.rows}x${layout.columns}|${header.acquisitionNumber}`;
      // Same SOP instance seen before (e.g. the same series in two encodings): keep the first.
      if (header.sopInstanceUid) {
        const earlier = this.#seen.get(header.sopInstanceUid);
        if (earlier !== undefined) {
          this.#issues.push({
            severity: 'warning',
            code: 'duplicate-instance',
            message: `SOP instance ${header.sopInstanceUid} already imported from ${earlier}; this copy is ignored`,
            file,
          });
          return;
        }
      }
      // Decoded-size budget of the whole import, checked from the header before decoding.
      const huBytes = layout.rows * layout.columns * layout.numberOfFrames * 2;
      // A large file (≥ 16 MiB decoded, e.g. 2048² or more) among many: when the files still to
      // come, if alike, would exceed the budget, refuse now rather than decode gigabytes first.
      const filesLeft = Math.max(1, this.#expectedFiles - order);
      const projected = huBytes >= LARGE_FILE_DECODED_BYTES ? huBytes * filesLeft : huBytes;
      // (A file above the per-file limit is refused by decodeInstanceFrames itself.)
      const fileTooLarge = huBytes > MAX_DECODED_BYTES_PER_FILE;
      if (!fileTooLarge && (this.#overBudget || this.#decodedBytes + projected > this.#maxDecodedBytes)) {
        this.#overBudget = true;
        this.#issues.push({
          severity: 'error',
          code: 'too-large',
          message: `not decoded: ${layout.columns}×${layout.rows}×${layout.numberOfFrames} voxels${projected > huBytes ? ` (× ${filesLeft} files like it)` : ''} would take the import past its limit of ${this.#maxDecodedBytes} bytes of decoded voxels (${this.#decodedBytes} already)`,
          file,
        });
        return;
      }
      this.#decodedBytes += huBytes;
      const decoded: PendingSlice[] = [];
      await decodeInstanceFrames(parsed, header, this.#registry, (samples, f) => {
        const frame = frames[f];
        if (!frame) return;
        const hu = this.#slabs.allocate(layout.rows * layout.columns);
        storedToHu(samples, hu, {
          rescaleSlope: frame.rescaleSlope,
          rescaleIntercept: frame.rescaleIntercept,
          bitsStored: layout.bitsStored,
          pixelRepresentation: layout.pixelRepresentation,
          pixelPaddingValue: header.pixelPaddingValue,
          pixelPaddingRangeLimit: header.pixelPaddingRangeLimit,
          paddingAtOrBelowHu: this.#paddingAtOrBelowHu,
        });
        const ps = frame.pixelSpacingMm;
        const stackKey = `${frame.orientation ? frame.orientation.map(r3).join(',') : '-'}|${layout.rows}x${layout.columns}|${ps ? ps.map(r3).join(',') : '-'}`;
        decoded.push({
          file,
          sopInstanceUid: header.sopInstanceUid,
          frame,
          rows: layout.rows,
          columns: layout.columns,
          hu,
          metadata,
          spacingBetweenSlicesMm: header.spacingBetweenSlicesMm,
          groupKey,
          stackKey,
          order,
        });
      });
      if (header.sopInstanceUid) this.#seen.set(header.sopInstanceUid, file);
      for (const d of decoded) this.#slices.push(d);
    } catch (e) {
      if (e instanceof DicomError) {
        const severity = e.code === 'not-dicom' ? 'warning' : 'error';
        this.#issues.push({ severity, code: e.code, message: e.message, file });
      } else {
        this.#issues.push({
          severity: 'error',
          code: 'malformed',
          message: `unexpected failure reading the file: ${e instanceof Error ? e.message : String(e)}`,
          file,
        });
      }
    }
  }

  /** Groups, sorts and stacks everything added so far into series. Call once, at the end. */
  finish(): ImportResult {
    const issues = [...this.#issues];
    if (this.#overBudget) {
      this.#slices.length = 0;
      issues.push({
        severity: 'error',
        code: 'too-large',
        message: `the files hold more than ${this.#maxDecodedBytes} bytes of decoded voxels (the limit of one import): nothing imported`,
      });
      return { series: [], issues };
    }
    const series: ImportedSeries[] = [];
    const groups = new Map<string, PendingSlice[]>();
    for (const s of this.#slices) {
      let g = groups.get(s.groupKey);
      if (!g) groups.set(s.groupKey, (g = []));
      g.push(s);
    }
    this.#slices.length = 0;
    const sortedGroups = [...groups.values()].sort(
      (a, b) => (a[0] as PendingSlice).order - (b[0] as PendingSlice).order,
    );
    for (const group of sortedGroups) {
      const stacks = new Map<string, PendingSlice[]>();
      for (const s of group) {
        let st = stacks.get(s.stackKey);
        if (!st) stacks.set(s.stackKey, (st = []));
        st.push(s);
      }
      const ordered = [...stacks.values()].sort((a, b) => b.length - a.length);
      const main = ordered[0] as PendingSlice[];
      const mainOri = (main[0] as PendingSlice).stackKey.split('|')[0];
      const label =
        (main[0] as PendingSlice).metadata.seriesDescription ||
        (main[0] as PendingSlice).metadata.seriesInstanceUid ||
        'series without UID';
      const realStacks: PendingSlice[][] = [main];
      for (const st of ordered.slice(1)) {
        const s0 = st[0] as PendingSlice;
        if (st.length === 1 && s0.stackKey.split('|')[0] !== mainOri) {
          issues.push({
            severity: 'warning',
            code: 'localizer',
            message: `${label}: skipped a single slice with a different orientation (localizer/scout)`,
            file: s0.file,
          });
        } else {
          realStacks.push(st);
        }
      }
      for (const st of realStacks) {
        const res0 = assembleStack(st, this.#tolerances, this.#slabs.gather);
        issues.push(...res0.issues);
        if (!res0.series) continue;
        const res = { series: withInterceptIssue(res0.series, st) };
        if (realStacks.length > 1) {
          const s0 = st[0] as PendingSlice;
          series.push({
            ...res.series,
            issues: [
              ...res.series.issues,
              {
                severity: 'warning',
                code: 'mixed-series',
                message: `${label}: the series holds ${realStacks.length} stacks with different orientation, image size or pixel spacing; this one (${s0.columns}×${s0.rows}, ${st.length} slices) is imported on its own`,
              },
            ],
          });
        } else {
          series.push(res.series);
        }
      }
    }
    return { series, issues };
  }
}

/**
 * Adds a `rescale-intercept-missing` error to a series whose slices had no (or a non-finite)
 * RescaleIntercept: 0 was used, which on CT shifts every HU value (lung 23 mL instead of 1,319 mL
 * in the probe of issue 18). Recorded, never silent; the QC gate turns it into a flag.
 */
function withInterceptIssue(series: ImportedSeries, slices: readonly PendingSlice[]): ImportedSeries {
  const missing = slices.filter((s) => s.frame.rescaleInterceptMissing === true).length;
  if (missing === 0) return series;
  return {
    ...series,
    issues: [
      ...series.issues,
      {
        severity: 'error',
        code: 'rescale-intercept-missing',
        message: `RescaleIntercept missing or not a number on ${missing} of ${slices.length} slice(s); 0 was used, so HU values may be shifted (check air ≈ −1000 HU)`,
      },
    ],
  };
}
