import type { ViewAxes } from './view-axes.ts';
import type { WindowLevel } from './window-presets.ts';

/** What one slice view writes over its image, in device pixels of its canvas. */
export interface SliceAnnotations {
  /** The view's title, e.g. `Axial  64/128  1.25 mm`. */
  readonly title: string;
  readonly axes: ViewAxes;
  readonly window: WindowLevel;
  /** The crosshair centre (the cursor voxel) on the canvas. */
  readonly cursorPx: readonly [number, number];
  /** The HU read-out under the pointer, or null when the pointer is off the volume. */
  readonly hoverReadout: string | null;
  /** The pointer on the canvas and the tool's outline radius there (device px), or null. */
  readonly brush: { readonly x: number; readonly y: number; readonly radiusPx: number } | null;
  /** Device pixels per millimetre (for the scale bar). */
  readonly pxPerMm: number;
  /** The view the keyboard steps (outlined). */
  readonly active: boolean;
  readonly dpr: number;
}

/**
 * Draws the crosshair, the orientation letters, the title, W/L and HU read-outs, the scale bar, the
 * brush outline and the active-view frame over a slice image already on `ctx`'s canvas.
 */
export function drawSliceAnnotations(ctx: CanvasRenderingContext2D, a: SliceAnnotations): void {
  const { dpr } = a;
  const cw = ctx.canvas.width;
  const ch = ctx.canvas.height;
  const [cx, cy] = a.cursorPx;
  // Crosshair with a gap around the centre so the voxel under it stays visible.
  const gap = 10 * dpr;
  ctx.lineWidth = dpr;
  ctx.strokeStyle = 'rgba(255, 80, 80, 0.55)';
  ctx.beginPath();
  ctx.moveTo(0, cy + 0.5);
  ctx.lineTo(cx - gap, cy + 0.5);
  ctx.moveTo(cx + gap, cy + 0.5);
  ctx.lineTo(cw, cy + 0.5);
  ctx.moveTo(cx + 0.5, 0);
  ctx.lineTo(cx + 0.5, cy - gap);
  ctx.moveTo(cx + 0.5, cy + gap);
  ctx.lineTo(cx + 0.5, ch);
  ctx.stroke();

  const font = Math.round(12 * dpr);
  ctx.font = `${font}px ui-monospace, 'DejaVu Sans Mono', monospace`;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = 'rgba(235, 200, 90, 0.95)';
  const L = a.axes.labels;
  const m = 8 * dpr;
  ctx.textAlign = 'left';
  haloText(ctx, L.left, m, ch / 2);
  ctx.textAlign = 'right';
  haloText(ctx, L.right, cw - m, ch / 2);
  ctx.textAlign = 'center';
  haloText(ctx, L.top, cw / 2, m + font * 2);
  haloText(ctx, L.bottom, cw / 2, ch - m - font * 2);

  // Read-outs.
  ctx.fillStyle = 'rgba(220, 226, 235, 0.9)';
  ctx.textAlign = 'left';
  haloText(ctx, a.title, m, m + font / 2);
  haloText(ctx, `W ${Math.round(a.window.widthHu)}  L ${Math.round(a.window.levelHu)}`, m, ch - m - font / 2);
  if (a.hoverReadout !== null) {
    ctx.textAlign = 'right';
    haloText(ctx, a.hoverReadout, cw - m, m + font / 2);
  }
  drawScaleBar(ctx, a.pxPerMm, dpr, font);

  // Brush outline at the pointer.
  if (a.brush) {
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.8)';
    ctx.lineWidth = dpr;
    ctx.beginPath();
    ctx.arc(a.brush.x, a.brush.y, a.brush.radiusPx, 0, Math.PI * 2);
    ctx.stroke();
  }
  if (a.active) {
    ctx.strokeStyle = 'rgba(90, 150, 255, 0.6)';
    ctx.lineWidth = 2 * dpr;
    ctx.strokeRect(dpr, dpr, cw - 2 * dpr, ch - 2 * dpr);
  }
}

/** Text with a dark halo so it stays legible over bright anatomy. */
function haloText(ctx: CanvasRenderingContext2D, s: string, x: number, y: number): void {
  ctx.lineJoin = 'round';
  ctx.lineWidth = 2.5 * (window.devicePixelRatio || 1);
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.7)';
  ctx.strokeText(s, x, y);
  ctx.fillText(s, x, y);
}

/** A bar of a round length (1, 2, 5 × 10ⁿ mm) about a fifth of the view wide. */
function drawScaleBar(ctx: CanvasRenderingContext2D, pxPerMm: number, dpr: number, font: number): void {
  const target = ctx.canvas.width / 5 / pxPerMm;
  const p = 10 ** Math.floor(Math.log10(target));
  const mm = [5, 2, 1].map((f) => f * p).find((x) => x <= target) ?? p;
  const len = mm * pxPerMm;
  const x1 = ctx.canvas.width - 12 * dpr;
  const x0 = x1 - len;
  const y = ctx.canvas.height - 14 * dpr;
  ctx.strokeStyle = 'rgba(220, 226, 235, 0.9)';
  ctx.lineWidth = 2 * dpr;
  ctx.beginPath();
  ctx.moveTo(x0, y - 4 * dpr);
  ctx.lineTo(x0, y);
  ctx.lineTo(x1, y);
  ctx.lineTo(x1, y - 4 * dpr);
  ctx.stroke();
  ctx.textAlign = 'center';
  ctx.fillStyle = 'rgba(220, 226, 235, 0.9)';
  haloText(ctx, `${mm >= 10 ? mm.toFixed(0) : mm} mm`, (x0 + x1) / 2, y - 6 * dpr - font / 2);
}
