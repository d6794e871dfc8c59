import type { BurdenResult, RegionBurden } from '../imaging/burden.ts';

export type { BurdenResult } from '../imaging/burden.ts';

/**
 * The burden figures a report prints, taken from the stored burden record: the typed
 * `BurdenResult` that `computeBurden` of shared/imaging/burden.ts returned and the case store
 * validated on read (one type from store to report; nothing is re-read from loose JSON).
 *
 * Units: volumes in millilitres (mL), burdens in percent of the lung volume of the same region
 * (lesion volume / lung volume × 100 %). Lesion voxels outside the lung mask are not counted.
 */
export interface ReportBurden extends RegionBurden {
  /** Percent of lesion voxels with HU ≥ −200 (dense component), or null without lesions. */
  readonly highOpacityHuFractionPercent: number | null;
  /** Per-lung and per-zone figures in print order (right lung, its zones, left lung, its zones). */
  readonly regions: readonly ReportRegion[];
}

/** Burden of one lung region (a lung, or a craniocaudal third of one lung). */
export interface ReportRegion {
  /** Stable key used in CSV column names: `right`, `left`, `right_upper`, … */
  readonly key: string;
  /** Printed name: "Right lung", "Right upper zone", … */
  readonly name: string;
  readonly lungVolumeMl: number;
  readonly ggoVolumeMl: number;
  readonly highOpacityVolumeMl: number;
  readonly burdenPercent: number;
}

/** Thrown when the report data is inconsistent (e.g. a burden record of another case's version). */
export class ReportDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportDataError';
  }
}

const SIDES = [
  ['right', 'Right'],
  ['left', 'Left'],
] as const;
const ZONES = ['upper', 'middle', 'lower'] as const;

const region = (key: string, name: string, r: RegionBurden): ReportRegion => ({
  key,
  name,
  lungVolumeMl: r.lungVolumeMl,
  ggoVolumeMl: r.ggoVolumeMl,
  highOpacityVolumeMl: r.highOpacityVolumeMl,
  burdenPercent: r.burdenPercent,
});

/**
 * The report figures of a stored burden record: the whole lungs, then in print order each lung and
 * its upper/middle/lower third (`zonesByLung`), then the thirds of both lungs (`zones`).
 */
export function readReportBurden(record: BurdenResult): ReportBurden {
  const regions: ReportRegion[] = [];
  for (const [side, Side] of SIDES) {
    regions.push(region(side, `${Side} lung`, record[side]));
    for (const z of ZONES) regions.push(region(`${side}_${z}`, `${Side} ${z} zone`, record.zonesByLung[side][z]));
  }
  for (const z of ZONES) regions.push(region(z, `${z[0]!.toUpperCase()}${z.slice(1)} zone (both lungs)`, record.zones[z]));
  return {
    lungVolumeMl: record.lungVolumeMl,
    ggoVolumeMl: record.ggoVolumeMl,
    highOpacityVolumeMl: record.highOpacityVolumeMl,
    lesionVolumeMl: record.lesionVolumeMl,
    burdenPercent: record.burdenPercent,
    ggoBurdenPercent: record.ggoBurdenPercent,
    highOpacityBurdenPercent: record.highOpacityBurdenPercent,
    highOpacityHuFractionPercent: record.highOpacityHuFraction,
    regions,
  };
}
