import type { QcFlag, ScanQcInput } from '../qc-flag.ts';
import { AIR_LANDMARK_RANGE_HU, SOFT_TISSUE_LANDMARK_RANGE_HU } from '../qc-thresholds.ts';

const inRange = (x: number, [lo, hi]: readonly [number, number]): boolean => x >= lo && x <= hi;

/** Missing RescaleIntercept on CT, and an implausible HU scale found from air/soft-tissue landmarks. */
export function checkHuScale(input: ScanQcInput): QcFlag[] {
  const flags: QcFlag[] = [];
  const missing = input.acquisition?.interceptMissingSlices ?? 0;
  const lm = input.huLandmarks;
  const implausible = lm ? !inRange(lm.airHu, AIR_LANDMARK_RANGE_HU) || !inRange(lm.softTissueHu, SOFT_TISSUE_LANDMARK_RANGE_HU) : false;
  if (lm && implausible) {
    flags.push({
      code: 'hu-scale',
      severity: 'blocking',
      message: `The HU scale looks wrong: air reads ${lm.airHu} HU (expected ${AIR_LANDMARK_RANGE_HU[0]} to ${AIR_LANDMARK_RANGE_HU[1]}) and soft tissue ${lm.softTissueHu} HU (expected ${SOFT_TISSUE_LANDMARK_RANGE_HU[0]} to ${SOFT_TISSUE_LANDMARK_RANGE_HU[1]})${missing > 0 ? '; RescaleIntercept is missing' : ''}: lung and lesion thresholds do not apply, do not use the numbers.`,
    });
  }
  if (missing > 0 && input.sourceKind === 'dicom') {
    flags.push({
      code: 'rescale-intercept-missing',
      severity: implausible ? 'blocking' : 'warning',
      message: `RescaleIntercept is missing or not a number on ${missing} slice(s) and was taken as 0${implausible ? '' : '; air and soft tissue still read at plausible HU, but check the values'}.`,
    });
  }
  return flags;
}
