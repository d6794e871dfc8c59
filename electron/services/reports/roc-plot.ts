import type { OperatingPoint, RocPoint } from '../../../shared/export/roc.ts';
import { encodePng } from './encode-png.ts';

/** 5 × 7 bitmap glyphs (rows top to bottom, bit 4 = left column) for the plot's few labels. */
const GLYPHS: Record<string, readonly number[]> = {
  '0': [14, 17, 19, 21, 25, 17, 14],
  '1': [4, 12, 4, 4, 4, 4, 14],
  '2': [14, 17, 1, 2, 4, 8, 31],
  '3': [31, 2, 4, 2, 1, 17, 14],
  '4': [2, 6, 10, 18, 31, 2, 2],
  '5': [31, 16, 30, 1, 1, 17, 14],
  '6': [6, 8, 16, 30, 17, 17, 14],
  '7': [31, 1, 2, 4, 8, 8, 8],
  '8': [14, 17, 17, 14, 17, 17, 14],
  '9': [14, 17, 17, 15, 1, 2, 12],
  '.': [0, 0, 0, 0, 0, 12, 12],
  '=': [0, 0, 31, 0, 31, 0, 0],
  '-': [0, 0, 0, 31, 0, 0, 0],
  ' ': [0, 0, 0, 0, 0, 0, 0],
  '%': [24, 25, 2, 4, 8, 19, 3],
  A: [14, 17, 17, 31, 17, 17, 17],
  C: [14, 17, 16, 16, 16, 17, 14],
  E: [31, 16, 16, 30, 16, 16, 31],
  F: [31, 16, 16, 30, 16, 16, 16],
  I: [14, 4, 4, 4, 4, 4, 14],
  N: [17, 25, 21, 19, 17, 17, 17],
  O: [14, 17, 17, 17, 17, 17, 14],
  P: [30, 17, 17, 30, 16, 16, 16],
  R: [30, 17, 17, 30, 20, 18, 17],
  S: [15, 16, 16, 14, 1, 1, 30],
  T: [31, 4, 4, 4, 4, 4, 4],
  U: [17, 17, 17, 17, 17, 17, 14],
  V: [17, 17, 17, 17, 17, 10, 4],
  Y: [17, 17, 10, 4, 4, 4, 4],
  H: [17, 17, 17, 31, 17, 17, 17],
  D: [28, 18, 17, 17, 17, 18, 28],
  L: [16, 16, 16, 16, 16, 16, 31],
  '>': [8, 4, 2, 1, 2, 4, 8],
};

type Rgb = readonly [number, number, number];

/**
 * Draws a ROC curve as a PNG (plain line drawing with pngjs, no fonts needed): unit square with
 * a 0.1 grid, the chance diagonal, the curve, the operating point at the target sensitivity
 * (red) and at a chosen threshold (green), axis labels and the AUROC.
 */
export function rocPlotPng(
  points: readonly RocPoint[],
  info: { auroc: number; atTarget?: OperatingPoint | null; atThreshold?: OperatingPoint | null; size?: number },
): Buffer {
  const S = info.size ?? 480;
  const W = S;
  const H = S;
  const data = new Uint8Array(W * H * 4).fill(255);
  const L = 56; // plot area left / bottom margin
  const T = 24;
  const P = S - L - T; // plot side in pixels
  const px = (fpr: number) => L + fpr * P;
  const py = (tpr: number) => T + (1 - tpr) * P;
  const set = (x: number, y: number, c: Rgb) => {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= W || yi >= H) return;
    const o = 4 * (xi + yi * W);
    data[o] = c[0];
    data[o + 1] = c[1];
    data[o + 2] = c[2];
  };
  const line = (x0: number, y0: number, x1: number, y1: number, c: Rgb, width = 1, dash = 0) => {
    const n = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0)));
    for (let s = 0; s <= n; s++) {
      if (dash && Math.floor(s / dash) % 2 === 1) continue;
      const x = x0 + ((x1 - x0) * s) / n;
      const y = y0 + ((y1 - y0) * s) / n;
      for (let a = -(width - 1) / 2; a <= (width - 1) / 2; a++)
        for (let b = -(width - 1) / 2; b <= (width - 1) / 2; b++) set(x + a, y + b, c);
    }
  };
  const text = (s: string, x: number, y: number, c: Rgb, scale = 2, vertical = false) => {
    let cx = 0;
    for (const ch of s.toUpperCase()) {
      const g = GLYPHS[ch] ?? GLYPHS[' ']!;
      for (let r = 0; r < 7; r++)
        for (let col = 0; col < 5; col++) {
          if (!((g[r]! >> (4 - col)) & 1)) continue;
          for (let a = 0; a < scale; a++)
            for (let b = 0; b < scale; b++) {
              if (vertical) set(x + r * scale + a, y - (cx + col * scale + b), c);
              else set(x + cx + col * scale + a, y + r * scale + b, c);
            }
        }
      cx += 6 * scale;
    }
  };
  const textWidth = (s: string, scale = 2) => s.length * 6 * scale - scale;

  for (let t = 0; t <= 10; t++) {
    const g: Rgb = t === 0 || t === 10 ? [60, 60, 60] : [225, 229, 235];
    line(px(t / 10), py(0), px(t / 10), py(1), g);
    line(px(0), py(t / 10), px(1), py(t / 10), g);
  }
  line(px(0), py(0), px(1), py(1), [150, 150, 150], 1, 6);
  for (const v of [0, 0.5, 1]) {
    const s = v === 0.5 ? '0.5' : String(v);
    text(s, px(v) - textWidth(s) / 2, py(0) + 6, [40, 40, 40]);
    text(s, px(0) - textWidth(s) - 9, py(v) - 7, [40, 40, 40]);
  }
  text('1-SPECIFICITY', px(0.5) - textWidth('1-SPECIFICITY') / 2, py(0) + 24, [20, 48, 79]);
  text('SENSITIVITY', px(0) - 48, py(0.5) + textWidth('SENSITIVITY') / 2, [20, 48, 79], 2, true);
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    line(px(a.fpr), py(a.tpr), px(b.fpr), py(b.tpr), [20, 48, 79], 3);
  }
  const marker = (p: OperatingPoint | null | undefined, c: Rgb) => {
    if (!p) return;
    const cx = px(1 - p.specificity);
    const cy = py(p.sensitivity);
    for (let a = 0; a < 360; a += 3) {
      const r = (a * Math.PI) / 180;
      for (const rad of [5, 6, 7]) set(cx + rad * Math.cos(r), cy + rad * Math.sin(r), c);
    }
  };
  marker(info.atTarget, [200, 30, 30]);
  marker(info.atThreshold, [30, 150, 60]);
  const label = `AUROC = ${info.auroc.toFixed(3)}`;
  text(label, px(1) - textWidth(label) - 8, py(0) - 24, [20, 48, 79]);
  return encodePng({ width: W, height: H, data });
}
