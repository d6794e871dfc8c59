// Summaries and the Markdown tables of the segmentation stress test (scripts/segment-stress.ts).
import { bootstrapMean, pairedDifference, type MeanCi, type ScoreName } from './stress-scores.ts';

/** Per-slice Dice of one set under one variant, by score, both ways (ours and Inf-Net style), in slice order. */
export type SetValues = Partial<Record<ScoreName, { ours: number[]; infnet: number[] }>>;

/** One score of one set under one variant: mean and paired difference to the unaltered slices, both ways. */
export interface ScoreSummary {
  readonly ours: MeanCi;
  readonly infnet: MeanCi;
  readonly diffOurs: MeanCi;
  readonly diffInfnet: MeanCi;
}

/** Bootstrap seed of every interval (fixed: the same values give the same intervals). */
export const BOOTSTRAP_SEED = 20261203;

/** Summaries of one set under one variant against the same set unaltered. */
export function summarise(values: SetValues, reference: SetValues): Partial<Record<ScoreName, ScoreSummary>> {
  const out: Partial<Record<ScoreName, ScoreSummary>> = {};
  for (const [k, v] of Object.entries(values) as [ScoreName, { ours: number[]; infnet: number[] }][]) {
    const r = reference[k];
    if (!r) continue;
    out[k] = {
      ours: bootstrapMean(v.ours, BOOTSTRAP_SEED),
      infnet: bootstrapMean(v.infnet, BOOTSTRAP_SEED),
      diffOurs: pairedDifference(v.ours, r.ours, BOOTSTRAP_SEED),
      diffInfnet: pairedDifference(v.infnet, r.infnet, BOOTSTRAP_SEED),
    };
  }
  return out;
}

/** A row of the report: a variant, its summaries per set, and how often segment's orientation was right. */
export interface VariantReport {
  readonly variant: string;
  readonly sets: Record<string, Partial<Record<ScoreName, ScoreSummary>>>;
  /** Slices whose stored orientation segment decided right (transpose and upside down; left–right is mirror-averaged), of all. */
  readonly orientationRight: number;
  /** Per set: fraction of the true lesion pixels the alteration left in the labels (outside a circle or the body box they are blanked). */
  readonly truthKept: Record<string, number>;
  readonly slices: number;
  readonly msPerSlice: number;
}

const f2 = (v: number): string => v.toFixed(2);
const signed = (v: number): string => (v >= 0 ? '+' : '−') + Math.abs(v).toFixed(2);
const cell = (m: MeanCi, d: MeanCi, first: boolean): string =>
  first
    ? `${f2(m.mean)} [${f2(m.lo)}, ${f2(m.hi)}]`
    : `${f2(m.mean)} [${f2(m.lo)}, ${f2(m.hi)}]; Δ ${signed(d.mean)} [${signed(d.lo)}, ${signed(d.hi)}]`;

/**
 * One Markdown table per Dice style: a row per variant, a column per (set, score): mean [95 % CI];
 * Δ paired difference to the first row [95 % CI]. `columns`: set name and score, in order.
 */
export function markdownTable(
  reports: readonly VariantReport[],
  columns: readonly [string, ScoreName][],
  style: 'ours' | 'infnet',
): string {
  const label: Record<ScoreName, string> = { ggo: 'GGO', highOpacity: 'high opacity', lesion: 'lesion' };
  const head = [
    'variant',
    ...columns.map(([s, k]) => `${s.split(' ')[0]!} ${label[k]}`),
    `true lesion kept (${Object.keys(reports[0]?.truthKept ?? {})
      .map((n) => n.split(' ')[0]!)
      .join(' / ')})`,
    'orientation right',
    'ms/slice',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  reports.forEach((r, i) => {
    const cells = columns.map(([s, k]) => {
      const x = r.sets[s]?.[k];
      if (!x) return 'n/a';
      return style === 'ours' ? cell(x.ours, x.diffOurs, i === 0) : cell(x.infnet, x.diffInfnet, i === 0);
    });
    lines.push(
      `| ${r.variant} | ${cells.join(' | ')} | ${Object.values(r.truthKept)
        .map((v) => `${(100 * v).toFixed(1)} %`)
        .join(' / ')} | ${r.orientationRight}/${r.slices} | ${r.msPerSlice.toFixed(0)} |`,
    );
  });
  return lines.join('\n');
}
