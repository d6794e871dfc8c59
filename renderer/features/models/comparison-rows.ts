import type { MetricComparison, RetrainRunView } from '../../../shared/contracts/workstation.ts';
import { metricImproved, metricInfo } from '../../../shared/inference/model-metrics.ts';

/** One row of the old/new comparison table, ready to render. */
export interface ComparisonRow {
  readonly key: string;
  readonly set: string;
  readonly label: string;
  readonly old: string;
  readonly new: string;
  /** Signed difference new − old, formatted (`+0.014`), or an em dash. */
  readonly delta: string;
  readonly verdict: 'better' | 'worse' | 'same';
  /** This metric decides acceptance. */
  readonly gate: boolean;
}

/** A metric value: Dice/R² with 3 decimals, volumes with 1 decimal and the unit. */
export function fmtMetric(key: string, v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  return metricInfo(key).unit === 'ml' ? `${v.toFixed(1)} mL` : v.toFixed(3);
}

function fmtDelta(key: string, a: number | null, b: number | null): string {
  if (a === null || b === null) return '—';
  const d = b - a;
  const digits = metricInfo(key).unit === 'ml' ? 1 : 3;
  const s = d.toFixed(digits);
  return Number(s) === 0 ? s.replace('-', '') : d > 0 ? `+${s}` : s;
}

/** Rows grouped by validation set (stable order: the known metrics first, then the others). */
export function comparisonRows(metrics: readonly MetricComparison[], gateMetric: string | null): ComparisonRow[] {
  return metrics
    .map((m) => {
      const info = metricInfo(m.key);
      const imp = metricImproved(m.key, m.old, m.new);
      return {
        key: m.key,
        set: info.set,
        label: info.label,
        old: fmtMetric(m.key, m.old),
        new: fmtMetric(m.key, m.new),
        delta: fmtDelta(m.key, m.old, m.new),
        verdict: imp === null ? 'same' : imp ? 'better' : 'worse',
        gate: m.key === gateMetric,
      } satisfies ComparisonRow;
    })
    .sort((a, b) => (a.set === b.set ? 0 : a.set < b.set ? -1 : 1));
}

/** One sentence a reader understands: what decided, with the numbers. */
export function gateSentence(run: RetrainRunView): string {
  if (!run.gate) return run.error ?? (run.state === 'running' ? 'Running…' : 'No comparison was recorded.');
  const g = run.gate;
  const name = metricInfo(g.metric).label;
  const floor = g.old === null ? null : g.old - g.minDelta;
  const verdict = run.state === 'registered' ? 'passed: the new model was registered' : run.state === 'refused' ? 'failed: the new model was not registered' : run.state;
  return `${metricInfo(g.metric).set}, ${name}: old ${fmtMetric(g.metric, g.old)}, new ${fmtMetric(g.metric, g.new)}; required ≥ ${floor === null ? '—' : floor.toFixed(3)} (old − ${g.minDelta}); ${verdict}.`;
}

export const RUN_STATE_LABEL: Record<RetrainRunView['state'], string> = {
  running: 'Running',
  registered: 'Registered',
  refused: 'Refused',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
