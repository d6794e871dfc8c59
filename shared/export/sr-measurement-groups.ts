import type { BurdenResult, RegionBurden } from '../imaging/burden.ts';

/** What a measurement group's findings are: the lung itself, a lesion class, or all lesions. */
export type SrFinding = 'lung' | 'ggo' | 'highOpacity' | 'lesion';

/** A lung region of the burden record, as the SR names it. */
export interface SrRegion {
  /** Tracking identifier prefix and key of the burden record: `both`, `right`, `left_upper`, `zone_middle`, … */
  readonly key: string;
  readonly side: 'right' | 'left' | 'both';
  readonly zone: 'upper' | 'middle' | 'lower' | null;
  readonly figures: RegionBurden;
}

/** One measurement group of the report: a finding in a region with its volume (and burden). */
export interface SrMeasurementGroup {
  readonly trackingId: string;
  readonly region: SrRegion;
  readonly finding: SrFinding;
  readonly volumeMl: number;
  /** Lesion findings: percent of the region's lung volume; null for the lung itself. */
  readonly percentOfLung: number | null;
  /** SEG segment number this group measures, when one segment is exactly its ROI (TID 1411). */
  readonly segmentNumber: number | null;
}

/** Segment numbers of the companion DICOM SEG (as `buildDicomSegDataset` writes them). */
export interface SrSegReference {
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly ggoSegment: number;
  readonly highOpacitySegment: number;
  /** Absent when the SEG has no lung segments. */
  readonly rightLungSegment: number | null;
  readonly leftLungSegment: number | null;
}

const ZONES = ['upper', 'middle', 'lower'] as const;

/**
 * The regions of a burden record in report order: both lungs, right lung, left lung, each lung's
 * upper/middle/lower third (`right_upper` …), and the thirds of both lungs (`zone_upper` …).
 */
export function srRegionsOf(record: BurdenResult): SrRegion[] {
  const out: SrRegion[] = [{ key: 'both', side: 'both', zone: null, figures: record }];
  for (const side of ['right', 'left'] as const) out.push({ key: side, side, zone: null, figures: record[side] });
  for (const side of ['right', 'left'] as const)
    for (const z of ZONES) out.push({ key: `${side}_${z}`, side, zone: z, figures: record.zonesByLung[side][z] });
  for (const z of ZONES) out.push({ key: `zone_${z}`, side: 'both', zone: z, figures: record.zones[z] });
  return out;
}

/** The measurement groups of a report: per region, the lung, GGO, high opacity and all lesions. */
export function srMeasurementGroups(regions: readonly SrRegion[], seg: SrSegReference): SrMeasurementGroup[] {
  const groups: SrMeasurementGroup[] = [];
  for (const r of regions) {
    const f = r.figures;
    const lungSegment = r.side === 'right' ? seg.rightLungSegment : r.side === 'left' ? seg.leftLungSegment : null;
    groups.push(
      {
        trackingId: `${r.key}/lung`,
        region: r,
        finding: 'lung',
        volumeMl: f.lungVolumeMl,
        percentOfLung: null,
        segmentNumber: lungSegment,
      },
      {
        trackingId: `${r.key}/ggo`,
        region: r,
        finding: 'ggo',
        volumeMl: f.ggoVolumeMl,
        percentOfLung: f.ggoBurdenPercent,
        segmentNumber: seg.ggoSegment,
      },
      {
        trackingId: `${r.key}/high-opacity`,
        region: r,
        finding: 'highOpacity',
        volumeMl: f.highOpacityVolumeMl,
        percentOfLung: f.highOpacityBurdenPercent,
        segmentNumber: seg.highOpacitySegment,
      },
      {
        trackingId: `${r.key}/lesion`,
        region: r,
        finding: 'lesion',
        volumeMl: f.lesionVolumeMl,
        percentOfLung: f.burdenPercent,
        segmentNumber: null,
      },
    );
  }
  return groups;
}
