import type { SubjectTimeline } from './change-from-baseline.ts';

/** One plotted timepoint, in the plot's own units (points or pixels, origin top-left). */
export interface TimelinePlotPoint {
  readonly caseId: number;
  readonly x: number;
  readonly y: number;
  readonly burdenPercent: number;
  readonly label: string;
  /** Drawn hollow: not a signed/adjudicated result. */
  readonly provisional: boolean;
  readonly isBaseline: boolean;
}

/** Plot geometry shared by the UI's SVG and the report's pdfkit page (so both show the same). */
export interface TimelinePlot {
  readonly width: number;
  readonly height: number;
  /** The plotting area inside the axes. */
  readonly area: { readonly left: number; readonly top: number; readonly right: number; readonly bottom: number };
  readonly points: readonly TimelinePlotPoint[];
  /** y-axis ticks (burden %), with their y. */
  readonly yTicks: readonly { readonly value: number; readonly y: number }[];
  /** One x position and label per timepoint (also those without burden). */
  readonly xLabels: readonly { readonly x: number; readonly label: string }[];
}

const niceStep = (max: number): number => {
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
};

/**
 * Burden (%) per timepoint in visit order: timepoints equally spaced along x (visits, not days:
 * schedules are what readers compare), y from 0 to a rounded maximum (at least 1 %). Timepoints
 * without a burden get an x label but no point.
 */
export function timelinePlot(t: SubjectTimeline, width: number, height: number): TimelinePlot {
  const area = { left: 44, top: 12, right: width - 12, bottom: height - 34 };
  const values = t.timepoints.map((p) => p.burdenPercent).filter((v): v is number => v !== null);
  const step = niceStep(Math.max(1, ...values));
  const yMax = Math.ceil(Math.max(1, ...values) / step) * step;
  const y = (v: number): number => area.bottom - (v / yMax) * (area.bottom - area.top);
  const n = t.timepoints.length;
  const x = (i: number): number => (n <= 1 ? (area.left + area.right) / 2 : area.left + 16 + (i * (area.right - area.left - 32)) / (n - 1));
  const yTicks = Array.from({ length: Math.round(yMax / step) + 1 }, (_, i) => ({
    value: Number((i * step).toPrecision(6)),
    y: y(i * step),
  }));
  const xLabels = t.timepoints.map((p, i) => ({ x: x(i), label: p.visitLabel || (p.visitDate ? p.visitDate : `case ${p.caseId}`) }));
  const points = t.timepoints.flatMap((p, i) =>
    p.burdenPercent === null
      ? []
      : [
          {
            caseId: p.caseId,
            x: x(i),
            y: y(p.burdenPercent),
            burdenPercent: p.burdenPercent,
            label: xLabels[i]?.label ?? '',
            provisional: p.provisional,
            isBaseline: p.isBaseline,
          },
        ],
  );
  return { width, height, area, points, yTicks, xLabels };
}
