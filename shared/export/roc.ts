/**
 * Receiver operating characteristic of a continuous score (e.g. burden %) against a known binary
 * label (e.g. COVID-19 positive), as the per-patient diagnostic summary of Killekar et al. 2022
 * (Table 8: AUROC and specificity at 95 % sensitivity).
 *
 * Convention: a case is called positive when `score ≥ threshold`. Curve points are made at every
 * distinct score, from the highest (fewest positives) down, starting at (0, 0) with threshold
 * +∞ and ending at (1, 1). Tied scores move the curve diagonally in one step, so the trapezoid
 * AUROC equals the Mann–Whitney probability P(score₊ > score₋) + ½ P(score₊ = score₋).
 */
export interface RocPoint {
  /** Calls positive when score ≥ threshold (+Infinity for the first point). */
  readonly threshold: number;
  /** False positive rate = 1 − specificity. */
  readonly fpr: number;
  /** True positive rate = sensitivity. */
  readonly tpr: number;
}

export interface OperatingPoint {
  readonly threshold: number;
  readonly sensitivity: number;
  readonly specificity: number;
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
}

export interface RocSummary {
  readonly positives: number;
  readonly negatives: number;
  readonly points: readonly RocPoint[];
  readonly auroc: number;
  /** The highest threshold reaching the target sensitivity (it has the best specificity there). */
  readonly atTargetSensitivity: OperatingPoint & { readonly targetSensitivity: number };
  /** The operating point at the threshold asked for, when one was. */
  readonly atThreshold: OperatingPoint | null;
}

/** Thrown for inputs without both classes, of unequal lengths or with non-finite scores. */
export class RocError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RocError';
  }
}

function check(scores: readonly number[], labels: readonly boolean[]): { p: number; n: number } {
  if (scores.length !== labels.length) throw new RocError(`${scores.length} scores but ${labels.length} labels`);
  scores.forEach((s, i) => {
    if (!Number.isFinite(s)) throw new RocError(`score ${i} is not a finite number (${s})`);
  });
  const p = labels.filter(Boolean).length;
  const n = labels.length - p;
  if (p === 0 || n === 0) throw new RocError(`ROC needs positive and negative cases (got ${p} positive, ${n} negative)`);
  return { p, n };
}

/** ROC curve points (see the module comment for the convention). */
export function rocCurve(scores: readonly number[], labels: readonly boolean[]): RocPoint[] {
  const { p, n } = check(scores, labels);
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const points: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < order.length;) {
    const t = scores[order[r]!]!;
    while (r < order.length && scores[order[r]!] === t) {
      if (labels[order[r]!]) tp++;
      else fp++;
      r++;
    }
    points.push({ threshold: t, fpr: fp / n, tpr: tp / p });
  }
  return points;
}

/** Area under the ROC curve by the trapezoid rule over {@link rocCurve} points. */
export function auroc(points: readonly RocPoint[]): number {
  let a = 0;
  for (let i = 1; i < points.length; i++) {
    const p0 = points[i - 1]!;
    const p1 = points[i]!;
    a += ((p1.fpr - p0.fpr) * (p1.tpr + p0.tpr)) / 2;
  }
  return a;
}

/** Sensitivity and specificity when calling `score ≥ threshold` positive. */
export function operatingPoint(scores: readonly number[], labels: readonly boolean[], threshold: number): OperatingPoint {
  check(scores, labels);
  let tp = 0,
    fp = 0,
    tn = 0,
    fn = 0;
  scores.forEach((s, i) => {
    const call = s >= threshold;
    if (labels[i]) {
      if (call) tp++;
      else fn++;
    } else if (call) fp++;
    else tn++;
  });
  return { threshold, sensitivity: tp / (tp + fn), specificity: tn / (tn + fp), tp, fp, tn, fn };
}

/** The highest threshold whose sensitivity is ≥ `target` (0–1), with its operating point. */
export function thresholdForSensitivity(scores: readonly number[], labels: readonly boolean[], target = 0.95): OperatingPoint {
  if (!(target > 0 && target <= 1)) throw new RocError(`target sensitivity must be in (0, 1], got ${target}`);
  const pts = rocCurve(scores, labels);
  const hit = pts.find((q) => q.tpr >= target - 1e-12 && Number.isFinite(q.threshold));
  return operatingPoint(scores, labels, hit!.threshold);
}

/** Curve, AUROC, the point at ≥ `targetSensitivity` and (optionally) at a given threshold. */
export function rocSummary(
  scores: readonly number[],
  labels: readonly boolean[],
  opts: { threshold?: number; targetSensitivity?: number } = {},
): RocSummary {
  const { p, n } = check(scores, labels);
  const points = rocCurve(scores, labels);
  const target = opts.targetSensitivity ?? 0.95;
  return {
    positives: p,
    negatives: n,
    points,
    auroc: auroc(points),
    atTargetSensitivity: { ...thresholdForSensitivity(scores, labels, target), targetSensitivity: target },
    atThreshold: opts.threshold === undefined ? null : operatingPoint(scores, labels, opts.threshold),
  };
}
