/**
 * Thresholds of the scan QC gate, one named constant each (documented in the README's "Scan QC"
 * table). Units are in the names.
 */

/** Fewer slices than this: burden blocked (a handful of slices cannot sample two lungs). */
export const MIN_SLICES_FOR_BURDEN = 20;
/**
 * Slice spacing above this (mm): warning. The lesion model was trained on 2.5 mm and validated on 3 mm series; on
 * thicker reconstructions made from them (`python -m lungburden.thick_slices`, model 1.16.0) the burden of the
 * RICORD COVID-19 case rose from 5.39 % (2.5 mm) to 5.92 % (5 mm) and its high opacity halved (27 → 14 mL).
 */
export const MAX_SLICE_SPACING_MM = 3;
/**
 * Slice spacing above this (mm): blocking. Measured as above: synthetic-lesion Dice −0.07 [−0.11, −0.04] at 9 mm
 * (none beyond noise at 6 mm), RICORD burden 6.56 % at 7.5 mm and 7.13 % at 10 mm (+22 %, +32 % relative).
 */
export const MAX_SLICE_SPACING_BLOCKING_MM = 6;
/** Stacking direction this far (degrees) off the image normal, or a GantryDetectorTilt tag above it: warning. */
export const GANTRY_TILT_WARNING_DEG = 0.5;
/** Physiological adult lung volume at CT (mL): lower bound; below it the mask or the scan is incomplete. */
export const MIN_LUNG_VOLUME_ML = 1500;
/** Physiological adult lung volume at CT (mL): upper bound; above it the mask leaked (e.g. into air). */
export const MAX_LUNG_VOLUME_ML = 9000;
/** Below this lung volume (mL) no lung was found at all. */
export const NO_LUNG_ML = 100;
/** Right/left lung volume ratio outside [1/x, x]: warning (one lung missed or leaked). Normal ≈ 1.1. */
export const MAX_LUNG_SIDE_RATIO = 2;
/**
 * Lung area on the first (or last) slice as a fraction of the largest lung slice area: above this
 * the lung continues past the scan (apex or base cut): warning.
 */
export const COVERAGE_WARNING_FRACTION = 0.1;
/** Same fraction above which the coverage flag blocks (e.g. a slab through the mid chest). */
export const COVERAGE_BLOCKING_FRACTION = 0.3;
/** Lung touching the image border on more than this fraction of the lung's slices: field-of-view cut (warning). */
export const FOV_CUT_WARNING_FRACTION = 0.05;
/** Same, blocking: the field of view cuts away part of the lung on many slices. */
export const FOV_CUT_BLOCKING_FRACTION = 0.25;
/** Lesion voxels outside the lung as a fraction of all lesion voxels above which: warning. */
export const LESION_OUTSIDE_WARNING_FRACTION = 0.25;
/** …and at least this volume outside the lung (mL), so a few voxels do not raise it. */
export const LESION_OUTSIDE_MIN_ML = 20;
/** Slices dropped on import above this fraction of the series: blocking (else warning). */
export const DROPPED_SLICES_BLOCKING_FRACTION = 0.25;
/**
 * Expected air landmark (HU): the mode of the darkest fifth of voxels (air around the body, lung)
 * must lie in this range. The upper bound leaves room for dense lungs in a tight field of view
 * (−600 HU); a missing intercept moves air to about 0 HU, far outside.
 */
export const AIR_LANDMARK_RANGE_HU: readonly [number, number] = [-1150, -500];
/** Expected soft-tissue landmark (HU): the mode of the brightest half of voxels (fat −100 to muscle and blood +60, enhanced up to ~+200). */
export const SOFT_TISSUE_LANDMARK_RANGE_HU: readonly [number, number] = [-250, 200];
/** BodyPartExamined values that are (or include) the chest. */
export const CHEST_BODY_PARTS: readonly string[] = [
  'CHEST',
  'THORAX',
  'LUNG',
  'LUNGS',
  'CHEST_ABDOMEN',
  'CHESTABDOMEN',
  'CHEST_ABD_PELVIS',
  'CHESTABDPELVIS',
  'TORSO',
  'WHOLEBODY',
  'WHOLE BODY',
  'BODY',
  'TRUNK',
  'THORAX_ABDOMEN',
  'HEART',
  'CARDIAC',
  'NECK_CHEST',
];
/**
 * Learned vs classical lung volume, |learned − classical| / the larger of the two, above which:
 * warning / blocking (`lung-mask-disagreement`). Fixed before measuring on the held-out series.
 */
export const LUNG_MASK_DISAGREEMENT_WARNING_FRACTION = 0.15;
export const LUNG_MASK_DISAGREEMENT_BLOCKING_FRACTION = 0.3;
/** Dense lung the learned mask added to the classical one, as a fraction of the classical volume, above which: warning. */
export const LUNG_MASK_ADDED_WARNING_FRACTION = 0.05;
