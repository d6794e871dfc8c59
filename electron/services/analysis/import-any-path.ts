import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ImportIssue, ImportProgress, SeriesMetadata } from '../../../shared/dicom/types.ts';
import type { Volume } from '../../../shared/domain/volume.ts';
import { readNifti } from '../../../shared/nifti/read-nifti.ts';
import { isIdentityReorientation, lpsReorientation, reorientToLps } from '../../../shared/imaging/geometry.ts';
import { importDicomFolder } from '../imports/import-dicom-folder.ts';
import type { SeriesToStore } from '../cases/case-store.ts';
import { UserError } from '../../../shared/errors/user-error.ts';

/** Error for input the workstation cannot import (missing path, nothing importable, …). */
export class ImportPathError extends UserError {
  constructor(
    message: string,
    readonly issues: readonly ImportIssue[] = [],
  ) {
    super('not-importable', 'refused', message);
    this.name = 'ImportPathError';
  }
}

export const isNiftiPath = (p: string): boolean => /\.nii(\.gz)?$/i.test(p);

/** Largest NIfTI file accepted (compressed size); the reader also bounds the decompressed size. */
const MAX_NIFTI_BYTES = 2 * 1024 ** 3;
/**
 * Largest volume accepted: 512 × 512 × 2000 voxels (1 GiB of Int16), far above any chest CT,
 * so a small gzip claiming gigabytes is refused before it is inflated.
 */
export const MAX_IMPORT_VOXELS = 512 * 512 * 2000;
/**
 * Largest raw NIfTI voxel data accepted (before conversion to Int16 HU): 2 GiB, i.e. the voxel
 * limit in float32. Checked from the header before anything is allocated or inflated.
 */
export const MAX_NIFTI_DECODED_BYTES = 2 * 1024 ** 3;

/**
 * Imports a DICOM folder (recursively) or a NIfTI file into series ready to store. Every problem
 * found is returned as an issue; if nothing importable is found the call fails with all issues.
 */
export async function importAnyPath(
  path: string,
  opts: { onProgress?: ImportProgress; signal?: AbortSignal } = {},
): Promise<{ series: SeriesToStore[]; issues: readonly ImportIssue[] }> {
  const abs = resolve(path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new ImportPathError(`no such file or folder: ${path}`);
  }
  if (st.isFile() && isNiftiPath(abs)) {
    if (st.size > MAX_NIFTI_BYTES) throw new ImportPathError(`NIfTI file too large (${st.size} bytes)`);
    const read: Volume = readNifti(new Uint8Array(readFileSync(abs)), {
      maxVoxels: MAX_IMPORT_VOXELS,
      maxDecodedBytes: MAX_NIFTI_DECODED_BYTES,
    });
    const { volume, issues } = canonical(read);
    opts.onProgress?.(1, 1, basename(abs));
    return { series: [{ metadata: niftiMetadata(abs, volume), volume, sourcePath: abs, sourceKind: 'nifti', issues }], issues: [] };
  }
  if (!st.isDirectory()) {
    throw new ImportPathError(`${path} is neither a DICOM folder nor a NIfTI file (.nii, .nii.gz)`);
  }
  const result = await importDicomFolder(abs, opts);
  if (result.series.length === 0) {
    const reasons = result.issues.slice(0, 5).map((i) => `${i.file ? `${i.file}: ` : ''}${i.message}`);
    throw new ImportPathError(`no importable CT series in ${path}${reasons.length ? ` (${reasons.join('; ')})` : ''}`, result.issues);
  }
  return {
    series: result.series.map((s) => {
      const { volume, issues, kReversed, kMoved } = canonical(s.volume);
      // SOP instances are listed in slice order: keep that true after reorientation.
      const sopInstanceUids = kMoved ? [] : kReversed ? [...s.metadata.sopInstanceUids].reverse() : s.metadata.sopInstanceUids;
      const orig = s.metadata.originalSopInstanceUids;
      const originalSopInstanceUids =
        orig === undefined ? {} : { originalSopInstanceUids: kMoved ? [] : kReversed ? [...orig].reverse() : orig };
      return {
        metadata: { ...s.metadata, sopInstanceUids, ...originalSopInstanceUids },
        volume,
        sourcePath: abs,
        sourceKind: 'dicom' as const,
        issues: [...s.issues, ...issues],
      };
    }),
    issues: result.issues,
  };
}

/**
 * Every stored volume is on its nearest LPS-aligned grid (i → left, j → posterior, k → superior),
 * obtained by exact axis permutation/flips (no resampling). Axial DICOM series already are; NIfTI
 * files (usually RAS-stored) and coronal/sagittal acquisitions are relabelled, with a note.
 */
function canonical(v: Volume): { volume: Volume; issues: ImportIssue[]; kReversed: boolean; kMoved: boolean } {
  const r = lpsReorientation(v);
  if (isIdentityReorientation(r)) return { volume: v, issues: [], kReversed: false, kMoved: false };
  const axes = r.axes.map((a, n) => `${'ijk'[n]}=${r.flip[n] ? '-' : '+'}${'ijk'[a]}`).join(' ');
  return {
    volume: reorientToLps(v),
    issues: [
      {
        severity: 'warning',
        code: 'reoriented',
        message: `voxel axes relabelled to the nearest LPS orientation (${axes}); positions unchanged`,
      },
    ],
    kReversed: r.axes[2] === 2 && r.flip[2],
    kMoved: r.axes[2] !== 2,
  };
}

/** NIfTI carries no patient metadata: the file name stands in for the series description. */
function niftiMetadata(file: string, volume: Volume): SeriesMetadata {
  const stem = basename(file).replace(/\.nii(\.gz)?$/i, '');
  return {
    patientId: stem,
    patientName: '',
    patientBirthDate: '',
    patientSex: '',
    studyInstanceUid: '',
    studyDate: '',
    studyDescription: 'NIfTI import',
    accessionNumber: '',
    seriesInstanceUid: '',
    seriesNumber: '',
    seriesDescription: stem,
    modality: 'CT',
    manufacturer: '',
    convolutionKernel: '',
    sliceThicknessMm: volume.spacingMm[2],
    frameOfReferenceUid: '',
    sopInstanceUids: [],
    sopClassUid: '',
    transferSyntaxUid: '',
  };
}
