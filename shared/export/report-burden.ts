import type { RegionBurden } from '../imaging/burden.ts';

/**
 * The burden figures a report prints, read from a stored burden record (the JSON object that
 * `computeBurden` of shared/imaging/burden.ts returned and the case store saved). Reading the
 * stored JSON (not the live type) keeps old records printable after the burden type grows.
 *
 * Units: volumes in millilitres (mL), burdens in percent of the lung volume of the same region
 * (lesion volume / lung volume × 100 %). Lesion voxels outside the lung mask are not counted.
 */
export interface ReportBurden extends RegionBurden {
  /** Percent of lesion voxels with HU ≥ −200 (dense component), or null when not recorded. */
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

/** Thrown when a stored burden record lacks the required figures. */
export class ReportDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportDataError';
  }
}

const num = (o: Record<string, unknown>, k: string): number | null => {
  const v = o[k];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};
const obj = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const pct = (part: number, whole: number): number => (whole > 0 ? (part / whole) * 100 : 0);

/**
 * Reads the report figures from a stored burden record. Requires `lungVolumeMl`, `ggoVolumeMl`,
 * `highOpacityVolumeMl`; derived figures missing from old records are recomputed. Per-lung zones
 * are read from `zonesByLung.{right,left}.{upper,middle,lower}` (what `computeBurden` stores),
 * else from `right`/`left`.zones or `zones.{upper,middle,lower}.{right,left}`; whole-lung thirds
 * from `zones.{upper,middle,lower}` holding figures directly — whichever the record has.
 */
export function readReportBurden(record: Readonly<Record<string, unknown>>): ReportBurden {
  const lung = num(record, 'lungVolumeMl');
  const ggo = num(record, 'ggoVolumeMl');
  const high = num(record, 'highOpacityVolumeMl');
  if (lung === null || ggo === null || high === null) {
    throw new ReportDataError('the burden record lacks lungVolumeMl, ggoVolumeMl or highOpacityVolumeMl');
  }
  const lesion = num(record, 'lesionVolumeMl') ?? ggo + high;
  const fraction = num(record, 'highOpacityHuFraction') ?? num(record, 'highOpacityHuFractionPercent');
  return {
    lungVolumeMl: lung,
    ggoVolumeMl: ggo,
    highOpacityVolumeMl: high,
    lesionVolumeMl: lesion,
    burdenPercent: num(record, 'burdenPercent') ?? pct(lesion, lung),
    ggoBurdenPercent: num(record, 'ggoBurdenPercent') ?? pct(ggo, lung),
    highOpacityBurdenPercent: num(record, 'highOpacityBurdenPercent') ?? pct(high, lung),
    highOpacityHuFractionPercent: fraction,
    regions: readRegions(record),
  };
}

const SIDES = [
  ['right', 'Right'],
  ['left', 'Left'],
] as const;
const ZONES = ['upper', 'middle', 'lower'] as const;

function region(key: string, name: string, v: unknown): ReportRegion | null {
  const o = obj(v);
  if (!o) return null;
  const lung = num(o, 'lungVolumeMl');
  const ggo = num(o, 'ggoVolumeMl');
  const high = num(o, 'highOpacityVolumeMl');
  if (lung === null || ggo === null || high === null) return null;
  return { key, name, lungVolumeMl: lung, ggoVolumeMl: ggo, highOpacityVolumeMl: high, burdenPercent: num(o, 'burdenPercent') ?? pct(ggo + high, lung) };
}

function readRegions(record: Readonly<Record<string, unknown>>): ReportRegion[] {
  const out: ReportRegion[] = [];
  const zonesTop = obj(record['zones']);
  const zonesByLung = obj(record['zonesByLung']);
  for (const [side, Side] of SIDES) {
    const s = region(side, `${Side} lung`, record[side]);
    if (s) out.push(s);
    const sideZones = obj(obj(record[side])?.['zones']);
    const byLung = obj(zonesByLung?.[side]);
    for (const z of ZONES) {
      const r =
        region(`${side}_${z}`, `${Side} ${z} zone`, byLung?.[z]) ??
        region(`${side}_${z}`, `${Side} ${z} zone`, sideZones?.[z]) ??
        region(`${side}_${z}`, `${Side} ${z} zone`, obj(zonesTop?.[z])?.[side]);
      if (r) out.push(r);
    }
  }
  // Whole-lung thirds (both lungs together), when the record has them in that form.
  for (const z of ZONES) {
    const r = region(z, `${z[0]!.toUpperCase()}${z.slice(1)} zone (both lungs)`, zonesTop?.[z]);
    if (r) out.push(r);
  }
  return out;
}
