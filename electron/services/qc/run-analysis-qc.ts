import type { CaseId } from '../../../shared/domain/ids.ts';
import type { LabelMap } from '../../../shared/domain/label-map.ts';
import type { Volume } from '../../../shared/domain/volume.ts';
import type { BurdenResult } from '../../../shared/imaging/burden.ts';
import type { QcFlag } from '../../../shared/qc/qc-flag.ts';
import { scanQc, scanQcInput } from '../../../shared/qc/scan-qc.ts';
import type { CaseStore } from '../cases/case-store.ts';
import { recordQcFlags } from './record-qc-flags.ts';
import { caseLungMaskComparison } from '../lung-net/case-lung-mask-comparison.ts';

/**
 * Runs the scan QC gate on an analysed case (scan facts stored on import + its lung mask + the
 * burden's lesion figures) and stores the flags in place of the earlier ones. Returns the flags.
 */
export function runAnalysisQc(store: CaseStore, caseId: CaseId, volume: Volume, lung: LabelMap, burden: BurdenResult | null): QcFlag[] {
  const detail = store.getCase(caseId);
  const flags = scanQc(
    scanQcInput({ metadata: store.seriesMetadata(caseId), sourceKind: detail.sourceKind, issues: detail.issues }, volume, {
      lung,
      burden,
      lungMasks: caseLungMaskComparison(store, caseId),
    }),
  );
  recordQcFlags(store.db, caseId, 'analysis', flags);
  return flags;
}
