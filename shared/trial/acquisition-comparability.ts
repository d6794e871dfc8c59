/**
 * Whether a follow-up was reconstructed like its baseline. The lesion model's burden depends on how a series was
 * reconstructed (measured on the HU path, README "Scan QC"): a softer or sharper kernel moved a COVID-19 case's burden
 * from 5.39 % to 6.32 % / 4.25 % (`lungburden.volume_stress`), 5 mm instead of 2.5 mm slices to 5.92 %
 * (`lungburden.thick_slices`). A change from baseline across such a difference is partly the reconstruction's, so the
 * timeline says so next to the figure (it does not hide it: the reader decides).
 */

/** How a timepoint's series was reconstructed. */
export interface TimepointAcquisition {
  /** DICOM ConvolutionKernel as stored ('' when not recorded, e.g. a NIfTI import). */
  readonly kernel: string;
  /** Distance between slices, mm. */
  readonly sliceSpacingMm: number;
}

/** Slice spacings further apart than this (mm) are called different. */
export const SLICE_SPACING_DIFFERENCE_MM = 0.5;

const normalised = (k: string): string => k.trim().replace(/\s+/g, ' ').toUpperCase();
const mm = (x: number): string => String(Number(x.toFixed(2)));

/** One short sentence per difference between a follow-up's reconstruction and its baseline's (none when alike). */
export function acquisitionNotes(followUp: TimepointAcquisition, baseline: TimepointAcquisition): string[] {
  const notes: string[] = [];
  const a = normalised(followUp.kernel);
  const b = normalised(baseline.kernel);
  if (a !== '' && b !== '' && a !== b)
    notes.push(
      `reconstruction kernel ${followUp.kernel.trim()} differs from the baseline's ${baseline.kernel.trim()}: the kernel alone moved a measured burden by about ±20 % of itself`,
    );
  if (Math.abs(followUp.sliceSpacingMm - baseline.sliceSpacingMm) > SLICE_SPACING_DIFFERENCE_MM)
    notes.push(
      `slices ${mm(followUp.sliceSpacingMm)} mm apart, the baseline's ${mm(baseline.sliceSpacingMm)} mm: thicker slices read higher (5 mm instead of 2.5 mm: about +10 % of the burden, measured)`,
    );
  return notes;
}
