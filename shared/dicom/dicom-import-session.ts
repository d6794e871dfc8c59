import { assembleStack } from './assemble-stack.ts';
import { DEFAULT_STACK_TOLERANCES, type StackSlice, type StackTolerances } from './stack-slice.ts';
import { decodeInstanceFrames, MAX_DECODED_BYTES_PER_FILE } from './decode-instance-frames.ts';
import { DicomError } from './dicom-error.ts';
import { readInstanceHeader, type InstanceHeader } from './instance-header.ts';
import type { PixelDecoderRegistry } from './pixel-decoder.ts';
import { parseDicom } from './parse-dicom.ts';
import { readSeriesMetadata } from './series-metadata.ts';
import { CT_IMAGE_SOP_CLASSES, MEDIA_STORAGE_DIRECTORY, sopClassName } from './sop-classes.ts';
import { SliceSlabs } from './slice-slab.ts';
import { storedToHu } from './stored-to-hu.ts';
import { pixelHash } from './pixel-hash.ts';
import { stabilizeInstanceUids } from './stable-instance-uids.ts';
import {
  MAX_LISTED_FILES,
  type AcquisitionFacts,
  type DroppedFile,
  type ImportIssue,
  type ImportResult,
  type ImportedSeries,
} from './types.ts';

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

/** A slice seen under a SOP Instance UID (and frame): where it lies and what its pixels hash to. */
interface SeenSlice {
  readonly file: string;
  readonly position: string;
  readonly hash: string;
}

/** Issue codes of files that gave no slice (listed on every series as skipped files). */
const NOT_LOST = new Set(['duplicate-instance']);

/**
 * Imports DICOM files one at a time (bytes in, nothing kept but each decoded slice in HU) and,
 * on {@link finish}, groups them into series and builds one {@link ImportedSeries} per stack.
 *
 * Grouping: by SeriesInstanceUID; when it is empty, by StudyInstanceUID + FrameOfReferenceUID +
 * orientation + rows/columns + AcquisitionNumber. Within a group, slices with another orientation,
 * image size or pixel spacing form their own stack: a single slice of another orientation is a
 * localizer (skipped, warning), larger stacks become separate series (`mixed-series` warning); so
 * do slices of another patient or study under one Series Instance UID (not of another frame of
 * reference: some anonymisers give every slice its own).
 *
 * SOP Instance UIDs are not trusted to be unique: a file is a duplicate (`duplicate-instance`
 * warning, imported once) only when an earlier one has the same UID and frame, the same position
 * and the same pixels. Different slices that share a UID (some exporters write one UID on every
 * file) or have none are all kept, and stored with derived stable UIDs
 * ({@link stabilizeInstanceUids}, `non-unique-sop-uid` warning). Each series carries the
 * {@link AcquisitionFacts} the scan QC gate reads: tags, slices dropped from it, files of the import
 * that gave no slice.
 *
 * Bad input never throws: each file's problem becomes an {@link ImportIssue} and the rest goes on.
 */
export class DicomImportSession {
  readonly #registry: PixelDecoderRegistry;
  readonly #paddingAtOrBelowHu: number;
  readonly #tolerances: StackTolerances;
  readonly #slices: PendingSlice[] = [];
  readonly #issues: ImportIssue[] = [];
  readonly #seen = new Map<string, SeenSlice[]>();
  readonly #seenFile = new Map<string, string>();
  readonly #duplicates = new Map<string, number>();
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
      const metadata = readSeriesMetadata(header.dataset, header.sopClassUid, header.transferSyntaxUid);
      const frames = header.frames;
      const ori0 = frames[0]?.orientation;
      const groupKey = header.seriesInstanceUid
        ? `uid|${header.seriesInstanceUid}`
        : `fallback|${header.studyInstanceUid}|${header.frameOfReferenceUid}|${ori0 ? ori0.map(r3).join(',') : '-'}|${layout.rows}x${layout.columns}|${header.acquisitionNumber}`;
      const uid = header.sopInstanceUid;
      const earlier = uid ? this.#seenFile.get(uid) : undefined;
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
      const dup: { of: string | null } = { of: null };
      const decoding = decodeInstanceFrames(parsed, header, this.#registry, (samples, f) => {
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
        // The same UID, frame, position and pixels as a slice already kept: the same instance again.
        const position = frame.positionLps ? frame.positionLps.map(r3).join(',') : '-';
        const hash = pixelHash(hu);
        if (uid) {
          const key = `${uid}#${f}`;
          const seen = this.#seen.get(key);
          const same = seen?.find((x) => x.position === position && x.hash === hash);
          if (same) {
            dup.of = same.file;
            return;
          }
          if (seen) seen.push({ file, position, hash });
          else this.#seen.set(key, [{ file, position, hash }]);
        }
        const ps = frame.pixelSpacingMm;
        const stackKey = `${frame.orientation ? frame.orientation.map(r3).join(',') : '-'}|${layout.rows}x${layout.columns}|${ps ? ps.map(r3).join(',') : '-'}|${header.studyInstanceUid}|${metadata.patientId}`;
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
      try {
        await decoding;
      } catch (e) {
        // A cut or broken copy of an instance already imported: a duplicate, nothing is lost.
        if (earlier === undefined) throw e;
        this.#issues.push({
          severity: 'warning',
          code: 'duplicate-instance',
          message: `SOP instance ${uid} already imported from ${earlier}; this copy (unreadable: ${e instanceof Error ? e.message : String(e)}) is ignored`,
          file,
        });
        return;
      }
      if (dup.of !== null && decoded.length === 0) {
        this.#duplicates.set(groupKey, (this.#duplicates.get(groupKey) ?? 0) + 1);
        this.#issues.push({
          severity: 'warning',
          code: 'duplicate-instance',
          message: `SOP instance ${uid} (same position and pixels) already imported from ${dup.of}; this copy is ignored`,
          file,
        });
        return;
      }
      if (uid && !this.#seenFile.has(uid)) this.#seenFile.set(uid, file);
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
    const series: { series: ImportedSeries; slices: readonly PendingSlice[] }[] = [];
    const refused: DroppedFile[] = [];
    const groups = new Map<string, PendingSlice[]>();
    for (const s of this.#slices) {
      let g = groups.get(s.groupKey);
      if (!g) groups.set(s.groupKey, (g = []));
      g.push(s);
    }
    this.#slices.length = 0;
    const sortedGroups = [...groups.values()].sort((a, b) => (a[0] as PendingSlice).order - (b[0] as PendingSlice).order);
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
        if (!res0.series) {
          const why = res0.issues.find((i) => i.severity === 'error');
          for (const x of st) refused.push({ file: x.file, code: why?.code ?? 'refused', severity: 'error' });
          continue;
        }
        const res = { series: withInterceptIssue(res0.series, st) };
        if (realStacks.length > 1) {
          const s0 = st[0] as PendingSlice;
          series.push({
            slices: st,
            series: {
              ...res.series,
              issues: [
                ...res.series.issues,
                {
                  severity: 'warning',
                  code: 'mixed-series',
                  message: `${label}: the series holds ${realStacks.length} stacks with different orientation, image size, pixel spacing, patient or study; this one (${s0.columns}×${s0.rows}, ${st.length} slices) is imported on its own`,
                },
              ],
            },
          });
        } else {
          series.push({ slices: st, series: res.series });
        }
      }
    }
    // Files of this import that gave no slice to any series: every series lists them (QC input).
    const skipped: DroppedFile[] = [
      ...issues
        .filter((i): i is ImportIssue & { file: string } => i.file !== undefined && !NOT_LOST.has(i.code))
        .map((i) => ({ file: i.file, code: i.code, severity: i.severity })),
      ...refused,
    ];
    const out: ImportedSeries[] = [];
    for (const { series: s, slices } of series) {
      const stabilized = stabilizeInstanceUids(withAcquisitionFacts(s, slices, skipped, this.#duplicates));
      out.push(stabilized.series);
    }
    return { series: out, issues };
  }
}

/**
 * The series with its {@link AcquisitionFacts} (tags of its first slice, slices of its stack left
 * out of the volume, files of the import that gave no slice) and without the per-instance `tags`.
 */
function withAcquisitionFacts(
  s: ImportedSeries,
  stack: readonly PendingSlice[],
  skipped: readonly DroppedFile[],
  duplicates: ReadonlyMap<string, number>,
): ImportedSeries {
  const { tags, ...metadata } = s.metadata as ImportedSeries['metadata'] & {
    readonly tags?: { bodyPartExamined: string; gantryDetectorTiltDeg: number | null; contrastBolusAgent: string };
  };
  const kept = new Set(s.files);
  const posKey = (x: PendingSlice): string => (x.frame.positionLps ? x.frame.positionLps.map(r3).join(',') : '-');
  const keptPositions = new Set(stack.filter((x) => kept.has(x.file)).map(posKey));
  const dropped = new Map<string, DroppedFile>();
  for (const x of stack) {
    if (kept.has(x.file) || dropped.has(x.file)) continue;
    const why = keptPositions.has(posKey(x)) ? 'duplicate-position' : 'uneven-spacing';
    dropped.set(x.file, { file: x.file, code: why, severity: 'warning' });
  }
  const uids = s.metadata.sopInstanceUids;
  const frames = s.metadata.frameNumbers;
  const counts = new Map<string, number>();
  uids.forEach((u, k) => counts.set(`${u}#${frames?.[k] ?? 1}`, (counts.get(`${u}#${frames?.[k] ?? 1}`) ?? 0) + 1));
  const acquisition: AcquisitionFacts = {
    bodyPartExamined: tags?.bodyPartExamined ?? '',
    gantryDetectorTiltDeg: tags?.gantryDetectorTiltDeg ?? null,
    contrastBolusAgent: tags?.contrastBolusAgent ?? '',
    interceptMissingSlices: stack.filter((x) => !x.frame.rescaleInterceptPresent).length,
    droppedSlices: [...dropped.values()].slice(0, MAX_LISTED_FILES),
    skippedFiles: skipped.slice(0, MAX_LISTED_FILES),
    skippedFileCount: skipped.length,
    duplicateFiles: duplicates.get((stack[0] as PendingSlice).groupKey) ?? 0,
    nonUniqueUidSlices: uids.filter((u, k) => u !== '' && (counts.get(`${u}#${frames?.[k] ?? 1}`) ?? 0) > 1).length,
    emptyUidSlices: uids.filter((u) => u === '').length,
  };
  return { ...s, metadata: { ...metadata, acquisition } };
}

/**
 * Adds a `rescale-intercept-missing` error to a series whose slices had no (or a non-finite)
 * RescaleIntercept: 0 was used, which on CT shifts every HU value (lung 23 mL instead of 1,319 mL
 * in the probe of issue 18). Recorded, never silent; the QC gate turns it into a flag.
 */
function withInterceptIssue(series: ImportedSeries, slices: readonly PendingSlice[]): ImportedSeries {
  const missing = slices.filter((s) => !s.frame.rescaleInterceptPresent).length;
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
