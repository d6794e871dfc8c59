import type { ImportIssue, SeriesMetadata } from '../dicom/types.ts';
import type { BurdenResult } from '../imaging/burden.ts';
import type { LabelMap } from '../domain/label-map.ts';
import type { Volume, VolumeGeometry } from '../domain/volume.ts';
import { checkBodyPart } from './checks/check-body-part.ts';
import { checkContrast } from './checks/check-contrast.ts';
import { checkDroppedFiles } from './checks/check-dropped-files.ts';
import { checkGantryTilt } from './checks/check-gantry-tilt.ts';
import { checkHuScale } from './checks/check-hu-scale.ts';
import { checkLesionOutsideLung } from './checks/check-lesion-outside.ts';
import { checkLungMaskAgreement } from './checks/check-lung-mask-agreement.ts';
import { checkFieldOfView, checkLungCoverage, checkLungVolume } from './checks/check-lungs.ts';
import { checkSlices } from './checks/check-slices.ts';
import { checkUidQuirks } from './checks/check-uid-quirks.ts';
import { huLandmarks } from './hu-landmarks.ts';
import { lungQcStats } from './lung-qc-stats.ts';
import type { LungMaskComparison } from '../imaging/combine-lung-masks.ts';
import { outsideFieldOfView } from '../imaging/field-of-view.ts';
import { QC_SEVERITIES, type QcCheck, type QcFlag, type ScanQcInput } from './qc-flag.ts';

/** The named checks of the gate, in report order. */
export const QC_CHECKS: Readonly<Record<string, QcCheck>> = {
  bodyPart: checkBodyPart,
  lungVolume: checkLungVolume,
  lungCoverage: checkLungCoverage,
  slices: checkSlices,
  gantryTilt: checkGantryTilt,
  fieldOfView: checkFieldOfView,
  huScale: checkHuScale,
  contrast: checkContrast,
  droppedFiles: checkDroppedFiles,
  lesionOutsideLung: checkLesionOutsideLung,
  uidQuirks: checkUidQuirks,
  lungMaskAgreement: checkLungMaskAgreement,
};

/**
 * The scan QC gate: runs every named check and returns the flags, most serious first. Pure; run on
 * every import (scan only) and every analysis (scan + lung mask + lesions). A `blocking` flag stops
 * sign-off until a reader acknowledges it with a reason.
 */
export function scanQc(input: ScanQcInput): QcFlag[] {
  const flags = Object.values(QC_CHECKS).flatMap((check) => check(input));
  return flags.sort((a, b) => QC_SEVERITIES.indexOf(a.severity) - QC_SEVERITIES.indexOf(b.severity));
}

/** What a stored case offers the gate. */
export interface CaseQcSource {
  readonly metadata: SeriesMetadata;
  readonly sourceKind: 'dicom' | 'nifti';
  readonly issues: readonly Pick<ImportIssue, 'code' | 'severity' | 'message'>[];
}

/**
 * The gate's input for a series: its scan facts and HU landmarks, plus, after an analysis, the
 * lung mask statistics and the lesion figures of the burden.
 */
export function scanQcInput(
  src: CaseQcSource,
  volume: Volume | VolumeGeometry,
  analysis?: {
    readonly lung: LabelMap;
    readonly burden?: Pick<BurdenResult, 'ggoVolumeMl' | 'highOpacityVolumeMl' | 'lesionOutsideLungMl'> | null;
    readonly lungMasks?: LungMaskComparison | null;
  },
): ScanQcInput {
  const geometry: VolumeGeometry = {
    size: volume.size,
    spacingMm: volume.spacingMm,
    originLps: volume.originLps,
    directionLps: volume.directionLps,
  };
  const b = analysis?.burden;
  return {
    geometry,
    modality: src.metadata.modality,
    sourceKind: src.sourceKind,
    acquisition: src.metadata.acquisition,
    importIssues: src.issues,
    huLandmarks: 'data' in volume ? huLandmarks(volume) : null,
    frameOfReferenceMissing: src.sourceKind === 'dicom' && src.metadata.frameOfReferenceUid === '',
    lung: analysis ? lungQcStats(analysis.lung, 'data' in volume ? outsideFieldOfView(volume.data, volume.size) : null) : null,
    lesion: b ? { insideLungMl: b.ggoVolumeMl + b.highOpacityVolumeMl, outsideLungMl: b.lesionOutsideLungMl } : null,
    lungMasks: analysis?.lungMasks ?? null,
  };
}
