import type { CaseAgreementView } from '../domain/read-study.ts';
import { toCsv } from '../export/csv-table.ts';
import { blandAltman, type BlandAltman } from './agreement.ts';

const CLASSES = ['ggo', 'highOpacity', 'lesion'] as const;
/** Histogram bins of Dice: ten bins of width 0.1 over [0, 1] (the last one closed). */
export const DICE_BINS = 10;

/** One case of a study's Bland–Altman plot (read1 vs read2). */
export interface AgreementPoint {
  readonly caseId: number;
  /** Mean and difference (read1 − read2) of the lesion burden, percentage points; null without burden. */
  readonly burdenMean: number | null;
  readonly burdenDiff: number | null;
  /** Mean and difference (read1 − read2) of the lesion volume, mL. */
  readonly volumeMean: number;
  readonly volumeDiff: number;
  readonly withinThresholds: boolean;
}

/** Distribution of one class's Dice over the study's pairs (cases where both reads are empty in it are left out). */
export interface DiceDistribution {
  readonly cls: (typeof CLASSES)[number];
  readonly n: number;
  readonly median: number | null;
  /** First and third quartile (linear interpolation between order statistics). */
  readonly q1: number | null;
  readonly q3: number | null;
  /** Counts per bin of {@link DICE_BINS}. */
  readonly histogram: readonly number[];
}

/** Agreement statistics of a read study: Bland–Altman of burden (pp) and lesion volume (mL), Dice distribution per class. */
export interface StudyAgreementStats {
  readonly protocolId: string;
  /** Cases with two signed reads. */
  readonly n: number;
  readonly points: readonly AgreementPoint[];
  readonly burden: BlandAltman | null;
  readonly lesionVolume: BlandAltman | null;
  readonly dice: readonly DiceDistribution[];
}

/** The q-quantile (0…1) of ascending `sorted` values by linear interpolation (Hyndman–Fan type 7); null when empty. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** Dice distribution of one class: n, median, IQR and a 10-bin histogram. */
export function diceDistribution(cls: (typeof CLASSES)[number], values: readonly (number | null)[]): DiceDistribution {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  const histogram = new Array<number>(DICE_BINS).fill(0);
  for (const x of v) {
    const bin = Math.min(DICE_BINS - 1, Math.max(0, Math.floor(x * DICE_BINS)));
    histogram[bin] = (histogram[bin] ?? 0) + 1;
  }
  return { cls, n: v.length, median: quantile(v, 0.5), q1: quantile(v, 0.25), q3: quantile(v, 0.75), histogram };
}

/** The statistics of a study from its cases' stored agreements. */
export function studyAgreementStats(protocolId: string, cases: readonly CaseAgreementView[]): StudyAgreementStats {
  const points: AgreementPoint[] = cases.map((c) => {
    const b1 = c.read1.burdenPercent;
    const b2 = c.read2.burdenPercent;
    const burden = b1 !== null && b2 !== null;
    return {
      caseId: c.caseId,
      burdenMean: burden ? (b1 + b2) / 2 : null,
      burdenDiff: burden ? b1 - b2 : null,
      volumeMean: (c.read1.volumeMl.lesion + c.read2.volumeMl.lesion) / 2,
      volumeDiff: c.volumeDiffMl.lesion,
      withinThresholds: c.withinThresholds,
    };
  });
  return {
    protocolId,
    n: cases.length,
    points,
    burden: blandAltman(points.flatMap((p) => (p.burdenDiff === null ? [] : [p.burdenDiff]))),
    lesionVolume: blandAltman(points.map((p) => p.volumeDiff)),
    dice: CLASSES.map((cls) =>
      diceDistribution(
        cls,
        cases.map((c) => c.dice[cls]),
      ),
    ),
  };
}

/**
 * The CSV of a study's agreement: one `case` row per case (Dice per class, burden and lesion
 * volume of each read and their difference), then one `summary` row per measure (Bland–Altman:
 * n, mean difference, SD, 95 % limits) and per class (Dice: n, median, IQR).
 */
export function studyAgreementCsv(stats: StudyAgreementStats, cases: readonly CaseAgreementView[]): string {
  const cols = [
    'row',
    'protocol_id',
    'case',
    'measure',
    'read1',
    'read2',
    'read1_value',
    'read2_value',
    'diff',
    'within_thresholds',
    'n',
    'mean_diff',
    'sd',
    'loa_low',
    'loa_high',
    'median',
    'q1',
    'q3',
  ];
  const rows: Record<string, string | number | null>[] = [];
  const base = { row: 'case', protocol_id: stats.protocolId };
  for (const c of cases) {
    const who = { case: c.caseId, read1: c.read1.readerLogin, read2: c.read2.readerLogin, within_thresholds: c.withinThresholds ? 1 : 0 };
    rows.push({
      ...base,
      ...who,
      measure: 'burden_pct',
      read1_value: c.read1.burdenPercent,
      read2_value: c.read2.burdenPercent,
      diff: c.burdenDiffPp,
    });
    rows.push({
      ...base,
      ...who,
      measure: 'lesion_volume_ml',
      read1_value: c.read1.volumeMl.lesion,
      read2_value: c.read2.volumeMl.lesion,
      diff: c.volumeDiffMl.lesion,
    });
    for (const cls of CLASSES) rows.push({ ...base, ...who, measure: `${cls}_dice`, diff: c.dice[cls] });
  }
  const ba = (measure: string, b: BlandAltman | null): Record<string, string | number | null> => ({
    row: 'summary',
    protocol_id: stats.protocolId,
    measure,
    n: b?.n ?? 0,
    mean_diff: b?.bias ?? null,
    sd: b?.sd ?? null,
    loa_low: b?.loaLow ?? null,
    loa_high: b?.loaHigh ?? null,
  });
  rows.push(ba('burden_pct', stats.burden), ba('lesion_volume_ml', stats.lesionVolume));
  for (const d of stats.dice)
    rows.push({ row: 'summary', protocol_id: stats.protocolId, measure: `${d.cls}_dice`, n: d.n, median: d.median, q1: d.q1, q3: d.q3 });
  return toCsv(cols, rows);
}
