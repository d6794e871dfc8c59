import type { BatchInput } from './find-batch-cases.ts';

/**
 * Working-set estimate of one case in bytes, from its input size: voxels ≈ decoded bytes / 2
 * (Int16), decoded bytes ≈ file bytes for DICOM and .nii, ≈ 5 × for .nii.gz (typical CT
 * deflate ratio); per voxel the pipeline holds the HU volume (2 B), lung and lesion labels
 * (1 + 1 B), lung-mask work buffers (≈ 12 B) and copies for burden, reports and the store
 * (≈ 8 B): 24 B per voxel, plus 64 MiB fixed.
 */
export function estimateCaseBytes(input: Pick<BatchInput, 'bytes' | 'kind' | 'path'> & { readonly decodedVoxels?: number | null }): number {
  // From the headers when known (a 2 MB RLE file can decode to 128 MiB), else from the file size.
  if (input.decodedVoxels != null && input.decodedVoxels > 0) return Math.ceil(input.decodedVoxels * 24) + 64 * 1024 ** 2;
  const decoded = input.kind === 'nifti' && /\.gz$/i.test(input.path) ? input.bytes * 5 : input.bytes;
  return Math.ceil((decoded / 2) * 24) + 64 * 1024 ** 2;
}

/** Parallelism bounded by memory: ≤ wanted, ≤ free / per case, ≥ 1. */
export function boundedJobs(wanted: number, freeBytes: number, bytesPerCase: number): number {
  const byMemory = Math.floor(freeBytes / Math.max(1, bytesPerCase));
  return Math.max(1, Math.min(Math.floor(wanted) || 1, byMemory));
}
