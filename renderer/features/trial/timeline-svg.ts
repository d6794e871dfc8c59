import type { SubjectTimeline } from '../../../shared/trial/change-from-baseline.ts';
import { timelinePlot } from '../../../shared/trial/timeline-plot.ts';

const NS = 'http://www.w3.org/2000/svg';

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * A small SVG plot of a subject's burden (%) per visit, the same geometry as the report's page
 * (`shared/trial/timeline-plot.ts`): filled dots are signed/adjudicated results, hollow red dots
 * unsigned drafts; the current case is ringed.
 */
export function timelineSvg(t: SubjectTimeline, currentCaseId: number, width = 300, height = 170): SVGSVGElement {
  const p = timelinePlot(t, width, height);
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    class: 'trial-plot',
    role: 'img',
    'aria-label': `Burden per visit of subject ${t.subjectId}`,
    'data-testid': 'trial-plot',
  }) as SVGSVGElement;
  for (const tick of p.yTicks) {
    svg.append(el('line', { x1: p.area.left, x2: p.area.right, y1: tick.y, y2: tick.y, class: 'grid' }));
    svg.append(el('text', { x: p.area.left - 4, y: tick.y + 3, 'text-anchor': 'end', class: 'tick' }, `${tick.value}`));
  }
  svg.append(
    el('polyline', {
      points: `${p.area.left},${p.area.top} ${p.area.left},${p.area.bottom} ${p.area.right},${p.area.bottom}`,
      class: 'axis',
    }),
  );
  for (const l of p.xLabels)
    svg.append(
      el(
        'text',
        { x: l.x, y: p.area.bottom + 13, 'text-anchor': 'middle', class: 'tick' },
        l.label.length > 14 ? `${l.label.slice(0, 13)}…` : l.label,
      ),
    );
  svg.append(el('text', { x: 4, y: 10, class: 'tick' }, '%'));
  if (p.points.length > 1) svg.append(el('polyline', { points: p.points.map((q) => `${q.x},${q.y}`).join(' '), class: 'line' }));
  for (const q of p.points) {
    if (q.caseId === currentCaseId) svg.append(el('circle', { cx: q.x, cy: q.y, r: 7, class: 'current' }));
    const dot = el('circle', {
      cx: q.x,
      cy: q.y,
      r: 4,
      class: q.provisional ? 'dot provisional' : 'dot',
      'data-case-id': q.caseId,
      'data-testid': 'trial-plot-point',
    });
    dot.append(el('title', {}, `${q.label}: ${q.burdenPercent.toFixed(2)} %${q.provisional ? ' (unsigned)' : ''}`));
    svg.append(dot);
    svg.append(el('text', { x: q.x, y: q.y - 8, 'text-anchor': 'middle', class: 'value' }, q.burdenPercent.toFixed(1)));
  }
  return svg;
}
