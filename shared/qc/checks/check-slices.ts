import type { QcFlag, ScanQcInput } from '../qc-flag.ts';
import { MAX_SLICE_SPACING_BLOCKING_MM, MAX_SLICE_SPACING_MM, MIN_SLICES_FOR_BURDEN } from '../qc-thresholds.ts';

const mm = (x: number): string => String(Number(x.toFixed(2)));

/** Slice count and spacing: too few slices, thick or uneven slices, missing positions. */
export function checkSlices(input: ScanQcInput): QcFlag[] {
  const flags: QcFlag[] = [];
  const nK = input.geometry.size[2];
  const dz = input.geometry.spacingMm[2];
  if (nK < MIN_SLICES_FOR_BURDEN) {
    flags.push({
      code: 'too-few-slices',
      severity: 'blocking',
      message: `The series has only ${nK} slice${nK === 1 ? '' : 's'} (at least ${MIN_SLICES_FOR_BURDEN} needed): a burden from so few slices does not represent the lungs.`,
    });
  }
  if (dz > MAX_SLICE_SPACING_BLOCKING_MM) {
    flags.push({
      code: 'slice-spacing',
      severity: 'blocking',
      message: `Slices are ${mm(dz)} mm apart (more than ${MAX_SLICE_SPACING_BLOCKING_MM} mm): lung and lesion volumes are too coarse to sign.`,
    });
  } else if (dz > MAX_SLICE_SPACING_MM) {
    flags.push({
      code: 'slice-spacing',
      severity: 'warning',
      message: `Slices are ${mm(dz)} mm apart (more than ${MAX_SLICE_SPACING_MM} mm): thin ground-glass opacities may be missed or averaged away.`,
    });
  }
  const uneven = input.importIssues.find((i) => i.code === 'uneven-spacing');
  if (uneven) {
    flags.push({
      code: 'uneven-spacing',
      severity: 'warning',
      message: `Slice gaps in the files were uneven; only the largest evenly spaced run was kept (${uneven.message.replace(/^[^:]*: /, '')}).`,
    });
  }
  if (input.importIssues.some((i) => i.code === 'missing-position')) {
    flags.push({
      code: 'missing-position',
      severity: 'warning',
      message:
        'Slice positions were missing: slices were ordered by instance number and the spacing was taken from the slice thickness, so volumes may be off.',
    });
  }
  return flags;
}
