import type { QcFlag, ScanQcInput } from '../qc-flag.ts';
import {
  LUNG_MASK_ADDED_WARNING_FRACTION,
  LUNG_MASK_DISAGREEMENT_BLOCKING_FRACTION,
  LUNG_MASK_DISAGREEMENT_WARNING_FRACTION,
} from '../qc-thresholds.ts';

const litres = (ml: number): string => (ml / 1000).toFixed(2);

/**
 * Classical vs learned lung mask (present when the combined mask made the case's lung version):
 * `lung-mask-disagreement` when their volumes differ a lot (one of them lost or leaked lung: an
 * open field of view, an unusual anatomy), `lung-dense-added` when the learned mask added much dense
 * lung the threshold mask missed (dense dependent bases, effusion): both ask the reader to look.
 */
export function checkLungMaskAgreement(input: ScanQcInput): QcFlag[] {
  const c = input.lungMasks;
  if (!c) return [];
  const flags: QcFlag[] = [];
  const larger = Math.max(c.classicalMl, c.learnedMl);
  const d = larger > 0 ? Math.abs(c.learnedMl - c.classicalMl) / larger : 0;
  if (d > LUNG_MASK_DISAGREEMENT_WARNING_FRACTION) {
    flags.push({
      code: 'lung-mask-disagreement',
      severity: d > LUNG_MASK_DISAGREEMENT_BLOCKING_FRACTION ? 'blocking' : 'warning',
      message: `The two lung masks disagree by ${Math.round(d * 100)} % (classical ${litres(c.classicalMl)} L, learned ${litres(c.learnedMl)} L): one lost or leaked lung (an open field of view, dense lung, unusual anatomy). Check the lung outline before using the burden.`,
    });
  }
  if (c.classicalMl > 0 && c.addedMl / c.classicalMl > LUNG_MASK_ADDED_WARNING_FRACTION) {
    flags.push({
      code: 'lung-dense-added',
      severity: 'warning',
      message: `The learned lung mask added ${litres(c.addedMl)} L (${Math.round((100 * c.addedMl) / c.classicalMl)} %) of dense lung that the threshold mask missed (dense bases, effusion or consolidation): check the lung bases; the burden uses the combined mask.`,
    });
  }
  return flags;
}
