/**
 * What the validation metrics of a model bundle (`metadata.json` → `metrics`, written by
 * `lungburden.evaluate.flat_metrics`) mean, for tables a reader can read. Every figure is measured
 * on the fixed validation split (`models/training/splits/validation.json`).
 */
export interface ModelMetricInfo {
  /** The validation set, as shown in table groups. */
  readonly set: string;
  readonly label: string;
  /** Dice and R² improve upwards; |bias| improves towards 0. */
  readonly better: 'higher' | 'closer-to-zero';
  /** `ratio` values (Dice, R²) are shown with 3 decimals, `ml` with 1 decimal and the unit. */
  readonly unit: 'ratio' | 'ml';
}

const MEDSEG = 'MedSeg validation (10 real slices, 3 classes)';
const MA20 = 'MA20 validation (100 real slices, lesion only)';
const MA20_PATIENTS = 'MA20 held-out patients (3 patients, 438 real slices, lesion only)';
const SYNTH = 'Synthetic validation (4D-Lung base, whole volumes)';

export const MODEL_METRICS: Readonly<Record<string, ModelMetricInfo>> = {
  medseg_val_dice_ggo: { set: MEDSEG, label: 'GGO Dice (mean per slice)', better: 'higher', unit: 'ratio' },
  medseg_val_dice_ho: { set: MEDSEG, label: 'High-opacity Dice (mean per slice)', better: 'higher', unit: 'ratio' },
  medseg_val_dice_lesion: { set: MEDSEG, label: 'All-lesion Dice (mean per slice)', better: 'higher', unit: 'ratio' },
  medseg_val_dice_ggo_pooled: { set: MEDSEG, label: 'GGO Dice (pooled pixels)', better: 'higher', unit: 'ratio' },
  medseg_val_dice_ho_pooled: { set: MEDSEG, label: 'High-opacity Dice (pooled pixels)', better: 'higher', unit: 'ratio' },
  medseg_val_area_r2: { set: MEDSEG, label: 'Lesion area R²', better: 'higher', unit: 'ratio' },
  medseg_val_mirror_dice_ggo: { set: MEDSEG, label: 'GGO Dice, mirror-averaged as for single images', better: 'higher', unit: 'ratio' },
  medseg_val_mirror_dice_ho: {
    set: MEDSEG,
    label: 'High-opacity Dice, mirror-averaged as for single images',
    better: 'higher',
    unit: 'ratio',
  },
  medseg_val_mirror_dice_lesion: {
    set: MEDSEG,
    label: 'All-lesion Dice, mirror-averaged as for single images',
    better: 'higher',
    unit: 'ratio',
  },
  ma20_val_dice_lesion: { set: MA20, label: 'Lesion Dice (mean per slice)', better: 'higher', unit: 'ratio' },
  ma20_patients_val_dice_lesion: { set: MA20_PATIENTS, label: 'Lesion Dice (mean per slice)', better: 'higher', unit: 'ratio' },
  synth_val_volume_dice_ggo: { set: SYNTH, label: 'GGO Dice (per volume)', better: 'higher', unit: 'ratio' },
  synth_val_volume_dice_ho: { set: SYNTH, label: 'High-opacity Dice (per volume)', better: 'higher', unit: 'ratio' },
  synth_val_volume_dice_lesion: { set: SYNTH, label: 'All-lesion Dice (per volume)', better: 'higher', unit: 'ratio' },
  synth_val_lesion_ml_r2: { set: SYNTH, label: 'Lesion volume R²', better: 'higher', unit: 'ratio' },
  synth_val_lesion_ml_ba_bias: { set: SYNTH, label: 'Lesion volume bias (Bland–Altman)', better: 'closer-to-zero', unit: 'ml' },
  synth_val_lesion_in_lung_ml_r2: { set: SYNTH, label: 'Lesion volume in lung R²', better: 'higher', unit: 'ratio' },
  synth_val_lesion_in_lung_ml_ba_bias: {
    set: SYNTH,
    label: 'Lesion volume in lung bias (Bland–Altman)',
    better: 'closer-to-zero',
    unit: 'ml',
  },
};

/** The metric's description, or a generic one for keys this version does not know. */
export function metricInfo(key: string): ModelMetricInfo {
  return MODEL_METRICS[key] ?? { set: 'Other', label: key, better: 'higher', unit: 'ratio' };
}

/** Did the metric improve from `before` to `after` (null when either is missing or they are equal)? */
export function metricImproved(key: string, before: number | null, after: number | null): boolean | null {
  if (before === null || after === null || before === after) return null;
  return metricInfo(key).better === 'higher' ? after > before : Math.abs(after) < Math.abs(before);
}
