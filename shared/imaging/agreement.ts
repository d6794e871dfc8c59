import { toCsv } from '../export/csv-table.ts';

/** Per-class numbers: GGO (label 1), high opacity (label 2) and all lesion (1 ∪ 2). */
export interface ClassValues<T> {
  readonly ggo: T;
  readonly highOpacity: T;
  readonly lesion: T;
}

/** Agreement of two lesion label maps (reader A vs reader B) of one case. */
export interface PairAgreement {
  /** Dice 2|A∩B|/(|A|+|B|) per class; null when both are empty. */
  readonly dice: ClassValues<number | null>;
  readonly volumeMlA: ClassValues<number>;
  readonly volumeMlB: ClassValues<number>;
  /** A − B in millilitres. */
  readonly volumeDiffMl: ClassValues<number>;
  /**
   * Burden in % of lung volume (lesion voxels inside the lung / lung voxels × 100) of A, B and
   * A − B; null without a lung mask or with an empty one.
   */
  readonly burdenPercent: { readonly a: ClassValues<number>; readonly b: ClassValues<number>; readonly diff: ClassValues<number> } | null;
}

/**
 * Compares two lesion label maps on the same grid (values 0 background, 1 GGO, 2 high opacity;
 * others ignored). `voxelMl` is the volume of one voxel in millilitres; `lung` (non-zero = lung)
 * enables the burden difference.
 */
export function pairAgreement(a: Uint8Array, b: Uint8Array, voxelMl: number, lung?: Uint8Array | null): PairAgreement {
  if (a.length !== b.length || (lung && lung.length !== a.length)) throw new RangeError('label maps of different sizes cannot be compared');
  const ca = [0, 0, 0];
  const cb = [0, 0, 0];
  const inter = [0, 0, 0];
  let lesionInter = 0;
  const la = [0, 0, 0];
  const lb = [0, 0, 0];
  let lungN = 0;
  for (let p = 0; p < a.length; p++) {
    const x = a[p] as number;
    const y = b[p] as number;
    const xa = x === 1 || x === 2 ? x : 0;
    const yb = y === 1 || y === 2 ? y : 0;
    if (xa) ca[xa]!++;
    if (yb) cb[yb]!++;
    if (xa && xa === yb) inter[xa]!++;
    if (xa && yb) lesionInter++;
    if (lung && lung[p] !== 0) {
      lungN++;
      if (xa) la[xa]!++;
      if (yb) lb[yb]!++;
    }
  }
  const dice = (i: number, s: number): number | null => (s === 0 ? null : (2 * i) / s);
  const cls = (c: number[]): ClassValues<number> => ({ ggo: c[1]!, highOpacity: c[2]!, lesion: c[1]! + c[2]! });
  const scale = (v: ClassValues<number>, f: number): ClassValues<number> => ({
    ggo: v.ggo * f,
    highOpacity: v.highOpacity * f,
    lesion: v.lesion * f,
  });
  const minus = (x: ClassValues<number>, y: ClassValues<number>): ClassValues<number> => ({
    ggo: x.ggo - y.ggo,
    highOpacity: x.highOpacity - y.highOpacity,
    lesion: x.lesion - y.lesion,
  });
  const va = scale(cls(ca), voxelMl);
  const vb = scale(cls(cb), voxelMl);
  let burden: PairAgreement['burdenPercent'] = null;
  if (lung && lungN > 0) {
    const ba = scale(cls(la), 100 / lungN);
    const bb = scale(cls(lb), 100 / lungN);
    burden = { a: ba, b: bb, diff: minus(ba, bb) };
  }
  return {
    dice: {
      ggo: dice(inter[1]!, ca[1]! + cb[1]!),
      highOpacity: dice(inter[2]!, ca[2]! + cb[2]!),
      lesion: dice(lesionInter, ca[1]! + ca[2]! + cb[1]! + cb[2]!),
    },
    volumeMlA: va,
    volumeMlB: vb,
    volumeDiffMl: minus(va, vb),
    burdenPercent: burden,
  };
}

/** Bland–Altman statistics of paired differences: bias (mean), SD (n − 1) and 95 % limits. */
export interface BlandAltman {
  readonly n: number;
  readonly bias: number;
  /** Null for n < 2. */
  readonly sd: number | null;
  /** bias ± 1.96 SD; null for n < 2. */
  readonly loaLow: number | null;
  readonly loaHigh: number | null;
}

/** Bland–Altman bias and 95 % limits of agreement of `diffs`; null when empty. */
export function blandAltman(diffs: readonly number[]): BlandAltman | null {
  const d = diffs.filter(Number.isFinite);
  const n = d.length;
  if (n === 0) return null;
  const bias = d.reduce((s, x) => s + x, 0) / n;
  if (n < 2) return { n, bias, sd: null, loaLow: null, loaHigh: null };
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - bias) ** 2, 0) / (n - 1));
  return { n, bias, sd, loaLow: bias - 1.96 * sd, loaHigh: bias + 1.96 * sd };
}

/** One case of a cohort agreement study. */
export interface CaseAgreement {
  readonly caseName: string;
  readonly readerA: string;
  readonly readerB: string;
  readonly agreement: PairAgreement;
}

const CLASSES = ['ggo', 'highOpacity', 'lesion'] as const;

/** Per-class cohort summary: mean Dice and Bland–Altman of volume (mL) and burden (%) differences. */
export interface CohortClassAgreement {
  readonly cls: (typeof CLASSES)[number];
  readonly meanDice: number | null;
  readonly volumeMl: BlandAltman | null;
  readonly burdenPercent: BlandAltman | null;
}

export function cohortAgreement(cases: readonly CaseAgreement[]): CohortClassAgreement[] {
  return CLASSES.map((cls) => {
    const dices = cases.map((c) => c.agreement.dice[cls]).filter((x): x is number => x !== null);
    return {
      cls,
      meanDice: dices.length ? dices.reduce((s, x) => s + x, 0) / dices.length : null,
      volumeMl: blandAltman(cases.map((c) => c.agreement.volumeDiffMl[cls])),
      burdenPercent: blandAltman(cases.flatMap((c) => (c.agreement.burdenPercent ? [c.agreement.burdenPercent.diff[cls]] : []))),
    };
  });
}

/** Per-case CSV: one row per case with Dice, volumes (mL) and burdens (%) of A and B per class. */
export function caseAgreementCsv(cases: readonly CaseAgreement[]): string {
  const cols = ['case', 'reader_a', 'reader_b'];
  for (const c of CLASSES)
    cols.push(
      `${c}_dice`,
      `${c}_volume_a_ml`,
      `${c}_volume_b_ml`,
      `${c}_volume_diff_ml`,
      `${c}_burden_a_pct`,
      `${c}_burden_b_pct`,
      `${c}_burden_diff_pct`,
    );
  const rows = cases.map((k) => {
    const r: Record<string, string | number | null> = { case: k.caseName, reader_a: k.readerA, reader_b: k.readerB };
    const a = k.agreement;
    for (const c of CLASSES) {
      r[`${c}_dice`] = a.dice[c];
      r[`${c}_volume_a_ml`] = a.volumeMlA[c];
      r[`${c}_volume_b_ml`] = a.volumeMlB[c];
      r[`${c}_volume_diff_ml`] = a.volumeDiffMl[c];
      r[`${c}_burden_a_pct`] = a.burdenPercent?.a[c] ?? null;
      r[`${c}_burden_b_pct`] = a.burdenPercent?.b[c] ?? null;
      r[`${c}_burden_diff_pct`] = a.burdenPercent?.diff[c] ?? null;
    }
    return r;
  });
  return toCsv(cols, rows);
}

/** Cohort CSV: one row per class and measure (volume_ml, burden_pct) with n, bias, SD, 95 % limits, mean Dice. */
export function cohortAgreementCsv(cases: readonly CaseAgreement[]): string {
  const rows = cohortAgreement(cases).flatMap((c) =>
    (['volume_ml', 'burden_pct'] as const).map((measure) => {
      const ba = measure === 'volume_ml' ? c.volumeMl : c.burdenPercent;
      return {
        class: c.cls,
        measure,
        n: ba?.n ?? 0,
        mean_dice: c.meanDice,
        bias: ba?.bias ?? null,
        sd: ba?.sd ?? null,
        loa_low: ba?.loaLow ?? null,
        loa_high: ba?.loaHigh ?? null,
      };
    }),
  );
  return toCsv(['class', 'measure', 'n', 'mean_dice', 'bias', 'sd', 'loa_low', 'loa_high'], rows);
}
