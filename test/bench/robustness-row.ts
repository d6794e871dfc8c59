/**
 * One row of the robustness bench (`robustness.bench.ts`): a series (clean or with an artifact)
 * through the classical and the combined lung mask, the burden of a fixed lesion map over each, and
 * the scan QC flags each analysis would raise.
 */
import type { Volume } from '../../shared/domain/volume.ts';
import { computeBurden } from '../../shared/imaging/burden.ts';
import { combineLungMasks, type LungMaskComparison } from '../../shared/imaging/combine-lung-masks.ts';
import { outsideFieldOfView } from '../../shared/imaging/field-of-view.ts';
import { segmentLungs } from '../../shared/imaging/lung-mask.ts';
import { huLandmarks } from '../../shared/qc/hu-landmarks.ts';
import { lungQcStats } from '../../shared/qc/lung-qc-stats.ts';
import type { QcFlag } from '../../shared/qc/qc-flag.ts';
import { scanQc } from '../../shared/qc/scan-qc.ts';
import type { ModelBundle } from '../../electron/services/inference/model-registry.ts';
import { runLungNet } from '../../electron/services/lung-net/run-lung-net.ts';

/** The figures of one mask on one variant. */
export interface MaskFigures {
  readonly lungMl: number;
  readonly rightMl: number;
  readonly leftMl: number;
  /** Burden (%) of the lesion map over this mask, or null without one. */
  readonly burdenPercent: number | null;
  /** `code:severity` of every QC flag (tag-based and lesion-outside checks left out: no DICOM header, unrestricted lesion map). */
  readonly qc: readonly string[];
  readonly ms: number;
}

/** Classical and (with a bundle) combined figures of one volume. */
export interface RowFigures {
  readonly classical: MaskFigures;
  readonly combined: (MaskFigures & { readonly comparison: LungMaskComparison }) | null;
  /** The classical labels (the clean row's become the variants' reference). */
  readonly classicalLabels: Uint8Array;
}

const flagsOf = (flags: readonly QcFlag[]): string[] => flags.map((f) => `${f.code}:${f.severity}`);

function qcOf(
  volume: Volume,
  labels: Uint8Array,
  lesion: Uint8Array | null,
  lungMasks: LungMaskComparison | null,
): { flags: string[]; burden: number | null } {
  const lung = { ...volume, data: labels };
  const b = lesion ? computeBurden(volume, lung, lesion) : null;
  const flags = scanQc({
    geometry: { size: volume.size, spacingMm: volume.spacingMm, originLps: volume.originLps, directionLps: volume.directionLps },
    modality: 'CT',
    sourceKind: 'nifti',
    importIssues: [],
    huLandmarks: huLandmarks(volume),
    lung: lungQcStats(lung, outsideFieldOfView(volume.data, volume.size)),
    // no `lesion` input: the bench's lesion map is not restricted to a lung mask (the app's is), so the
    // lesion-outside-lung check would fire on every series here
    lungMasks,
  });
  return { flags: flagsOf(flags), burden: b ? +b.burdenPercent.toFixed(2) : null };
}

/** Runs both masks on an LPS-aligned volume; `lesion`: a fixed lesion map (0/1/2) or null. */
export async function robustnessRow(volume: Volume, lesion: Uint8Array | null, bundle: ModelBundle | null): Promise<RowFigures> {
  const t0 = performance.now();
  const c = segmentLungs(volume);
  const msC = performance.now() - t0;
  const qcC = qcOf(volume, c.labels.data, lesion, null);
  const classical: MaskFigures = {
    lungMl: Math.round(c.rightVolumeMl + c.leftVolumeMl),
    rightMl: Math.round(c.rightVolumeMl),
    leftMl: Math.round(c.leftVolumeMl),
    burdenPercent: qcC.burden,
    qc: qcC.flags,
    ms: Math.round(msC),
  };
  if (!bundle) return { classical, combined: null, classicalLabels: c.labels.data };
  const t1 = performance.now();
  const learned = await runLungNet(volume, bundle, { threads: 2 });
  const m = combineLungMasks(volume.data, volume.size, volume.spacingMm, c.labels.data, learned);
  const msL = performance.now() - t1;
  let r = 0,
    l = 0;
  for (const v of m.labels)
    if (v === 1) r++;
    else if (v === 2) l++;
  const ml = (volume.spacingMm[0] * volume.spacingMm[1] * volume.spacingMm[2]) / 1000;
  const qcM = qcOf(volume, m.labels, lesion, m.comparison);
  return {
    classical,
    combined: {
      lungMl: Math.round((r + l) * ml),
      rightMl: Math.round(r * ml),
      leftMl: Math.round(l * ml),
      burdenPercent: qcM.burden,
      qc: qcM.flags,
      ms: Math.round(msL),
      comparison: m.comparison,
    },
    classicalLabels: c.labels.data,
  };
}
