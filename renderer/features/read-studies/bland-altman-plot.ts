import type { BlandAltman } from '../../../shared/imaging/agreement.ts';

const NS = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

const W = 420;
const H = 260;
const PAD = { l: 52, r: 70, t: 16, b: 38 };

/**
 * A Bland–Altman plot as SVG: each case at (mean of the two reads, read1 − read2), the mean
 * difference (bias) as a solid line and the 95 % limits of agreement (bias ± 1.96 SD) dashed,
 * each labelled with its value. `unit` labels the axes (e.g. "pp", "mL").
 */
export function blandAltmanPlot(
  points: readonly { mean: number; diff: number }[],
  ba: BlandAltman | null,
  unit: string,
  title: string,
): SVGSVGElement {
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'ba-plot', role: 'img', 'aria-label': title });
  const ys = [...points.map((p) => p.diff), 0, ...(ba ? [ba.bias, ba.loaLow ?? ba.bias, ba.loaHigh ?? ba.bias] : [])];
  const xs = points.map((p) => p.mean);
  const pad = (lo: number, hi: number): [number, number] =>
    hi - lo < 1e-9 ? [lo - 1, hi + 1] : [lo - (hi - lo) * 0.08, hi + (hi - lo) * 0.08];
  const [x0, x1] = pad(Math.min(...(xs.length ? xs : [0])), Math.max(...(xs.length ? xs : [1])));
  const [y0, y1] = pad(Math.min(...ys), Math.max(...ys));
  const X = (v: number): number => PAD.l + ((v - x0) / (x1 - x0)) * (W - PAD.l - PAD.r);
  const Y = (v: number): number => H - PAD.b - ((v - y0) / (y1 - y0)) * (H - PAD.t - PAD.b);
  root.append(svg('rect', { x: PAD.l, y: PAD.t, width: W - PAD.l - PAD.r, height: H - PAD.t - PAD.b, class: 'ba-frame' }));
  for (const v of [y0, (y0 + y1) / 2, y1])
    root.append(svg('text', { x: PAD.l - 4, y: Y(v) + 4, 'text-anchor': 'end', class: 'ba-tick' }, v.toFixed(2)));
  for (const v of [x0, (x0 + x1) / 2, x1])
    root.append(svg('text', { x: X(v), y: H - PAD.b + 14, 'text-anchor': 'middle', class: 'ba-tick' }, v.toFixed(1)));
  root.append(
    svg('text', { x: (PAD.l + W - PAD.r) / 2, y: H - 6, 'text-anchor': 'middle', class: 'ba-axis' }, `mean of read 1 and read 2 (${unit})`),
  );
  root.append(
    svg(
      'text',
      {
        x: 12,
        y: (PAD.t + H - PAD.b) / 2,
        'text-anchor': 'middle',
        class: 'ba-axis',
        transform: `rotate(-90 12 ${(PAD.t + H - PAD.b) / 2})`,
      },
      `read 1 − read 2 (${unit})`,
    ),
  );
  root.append(svg('line', { x1: PAD.l, x2: W - PAD.r, y1: Y(0), y2: Y(0), class: 'ba-zero' }));
  const line = (v: number | null, cls: string, label: string): void => {
    if (v === null) return;
    root.append(svg('line', { x1: PAD.l, x2: W - PAD.r, y1: Y(v), y2: Y(v), class: cls }));
    root.append(svg('text', { x: W - PAD.r + 4, y: Y(v) + 4, class: 'ba-label' }, `${label} ${v.toFixed(2)}`));
  };
  if (ba) {
    line(ba.bias, 'ba-bias', 'mean');
    line(ba.loaHigh, 'ba-loa', '+1.96 SD');
    line(ba.loaLow, 'ba-loa', '−1.96 SD');
  }
  for (const p of points) root.append(svg('circle', { cx: X(p.mean), cy: Y(p.diff), r: 4, class: 'ba-point' }));
  if (!points.length)
    root.append(svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'ba-axis' }, 'no case with two signed reads yet'));
  return root;
}

/** A Dice histogram (10 bins over 0–1) as SVG bars with their counts. */
export function diceHistogram(counts: readonly number[], title: string): SVGSVGElement {
  const w = 260;
  const hgt = 90;
  const root = svg('svg', { viewBox: `0 0 ${w} ${hgt}`, width: w, height: hgt, class: 'dice-hist', role: 'img', 'aria-label': title });
  const max = Math.max(1, ...counts);
  const bw = (w - 20) / counts.length;
  counts.forEach((c, i) => {
    const bh = (c / max) * (hgt - 30);
    root.append(svg('rect', { x: 10 + i * bw + 1, y: hgt - 16 - bh, width: bw - 2, height: bh, class: 'dice-bar' }));
    if (c) root.append(svg('text', { x: 10 + (i + 0.5) * bw, y: hgt - 19 - bh, 'text-anchor': 'middle', class: 'ba-tick' }, String(c)));
  });
  for (const v of [0, 0.5, 1])
    root.append(svg('text', { x: 10 + v * (w - 20), y: hgt - 3, 'text-anchor': 'middle', class: 'ba-tick' }, v.toFixed(1)));
  return root;
}
