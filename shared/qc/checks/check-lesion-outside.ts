import type { QcFlag, ScanQcInput } from '../qc-flag.ts';
import { LESION_OUTSIDE_MIN_ML, LESION_OUTSIDE_WARNING_FRACTION } from '../qc-thresholds.ts';

/** Lesion found outside the lung mask (not counted): a large share means the mask missed lung. */
export function checkLesionOutsideLung(input: ScanQcInput): QcFlag[] {
  const l = input.lesion;
  if (!l) return [];
  const all = l.insideLungMl + l.outsideLungMl;
  if (all <= 0 || l.outsideLungMl < LESION_OUTSIDE_MIN_ML) return [];
  const f = l.outsideLungMl / all;
  if (f <= LESION_OUTSIDE_WARNING_FRACTION) return [];
  return [
    {
      code: 'lesion-outside-lung',
      severity: 'warning',
      message: `${Math.round(f * 100)} % of the segmented lesion (${l.outsideLungMl.toFixed(0)} mL) lies outside the lung mask and is not counted: the lung mask may have missed dense lung; check its outline.`,
    },
  ];
}
