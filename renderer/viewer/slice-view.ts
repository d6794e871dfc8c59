import type { VolumeGeometry } from '../../shared/domain/volume.ts';
import { h } from '../ui/h.ts';
import { bindSlicePointerInput } from './bind-slice-pointer-input.ts';
import { drawSliceAnnotations } from './draw-slice-annotations.ts';
import { fillSliceImage } from './fill-slice-image.ts';
import { viewAxes, type ViewAxes, type ViewName } from './view-axes.ts';
import type { ViewerState } from './viewer-state.ts';
import { greyLut, type WindowLevel } from './window-presets.ts';
/** Voxel data a slice view draws; label arrays are edited in place by the tools. */
export interface SliceSource {
  readonly geometry: VolumeGeometry;
  readonly hu: Int16Array;
  /** Lesion labels (0/1/2) on the volume grid. */
  readonly lesion: () => Uint8Array;
  /** Lung mask (0 outside, 1 right, 2 left) or null before the AI run. */
  readonly lung: () => Uint8Array | null;
  /** True while the reader edits the lung mask: the lungs are tinted (right / left), not only outlined. */
  readonly lungFill?: () => boolean;
}

/** What a pointer event means in voxel space. */
export interface SlicePointer {
  readonly view: SliceView;
  /** Continuous voxel coordinates [i, j, k] (integers at voxel centres). */
  readonly ijk: readonly [number, number, number];
  readonly event: PointerEvent;
}

/** The left-button tool; the view handles navigation (wheel, pan, zoom, W/L) itself. */
export interface SliceTool {
  readonly cursor: string;
  down(p: SlicePointer): void;
  move(p: SlicePointer): void;
  up(p: SlicePointer): void;
  /** Radius in mm of the brush outline to draw at the pointer, or null. */
  outlineRadiusMm(): number | null;
}

/**
 * One MPR view drawn on a 2D canvas: windowed HU, lesion fill and lung outline blended per
 * pixel, scaled to millimetres (so non-square pixels and thick slices keep their true shape),
 * with crosshair, orientation letters, scale bar and slice/W-L read-outs.
 *
 * Why a canvas and not a vtk.js reslice actor: the three views must stay exact voxel-for-voxel
 * under the brush, overlays are simple per-voxel blends, and headless Chromium renders WebGL
 * through SwiftShader, where one putImageData per slice is far cheaper than three GL contexts.
 * vtk.js is used for the 3D surface view (see surface-view.ts).
 */
export class SliceView {
  readonly axes: ViewAxes;
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly slice: HTMLCanvasElement;
  private readonly sliceCtx: CanvasRenderingContext2D;
  private readonly image: ImageData;
  private readonly lungSlice: Uint8Array;
  private lut = new Uint8Array(65536);
  private lutFor: WindowLevel | null = null;
  private dirty = true;
  private frame = 0;
  private hover: { x: number; y: number } | null = null;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly resize: ResizeObserver;
  /** Frames drawn (for the benchmark). */
  framesDrawn = 0;

  constructor(
    readonly name: ViewName,
    private readonly src: SliceSource,
    private readonly state: ViewerState,
    private readonly tool: () => SliceTool,
  ) {
    this.axes = viewAxes(src.geometry, name);
    const { u, v } = this.axes;
    const w = src.geometry.size[u];
    const hgt = src.geometry.size[v];
    this.canvas = h('canvas', { class: 'slice-canvas', 'data-view': name, tabindex: 0, 'aria-label': `${name} view` });
    this.ctx = this.canvas.getContext('2d')!;
    this.slice = h('canvas', { width: w, height: hgt });
    this.sliceCtx = this.slice.getContext('2d')!;
    this.image = this.sliceCtx.createImageData(w, hgt);
    this.lungSlice = new Uint8Array(w * hgt);
    this.element = h('div', { class: `view view-${name}`, 'data-testid': `view-${name}` }, this.canvas);
    this.resize = new ResizeObserver(() => this.invalidate());
    this.resize.observe(this.element);
    for (const s of [state.cursor, state.window, state.overlays, state.cameras, state.labelsRevision, state.activeView]) {
      this.unsubscribe.push(s.subscribe(() => this.invalidate()));
    }
    bindSlicePointerInput(this.canvas, {
      name,
      state,
      step: (delta) => this.step(delta),
      invalidate: () => this.invalidate(),
      setHover: (hover) => {
        this.hover = hover;
      },
      tool: (phase, e) => this.tool()[phase](this.pointer(e)),
    });
  }

  /** Slice index currently shown (along the view's normal axis). */
  get sliceIndex(): number {
    return this.state.cursor.get()[this.axes.normal];
  }

  get sliceCount(): number {
    return this.src.geometry.size[this.axes.normal];
  }

  /** Moves the view's slice by `delta` (clamped), keeping the other cursor coordinates. */
  step(delta: number): void {
    const c = [...this.state.cursor.get()] as [number, number, number];
    const n = this.axes.normal;
    c[n] = Math.min(this.sliceCount - 1, Math.max(0, c[n] + delta));
    this.state.cursor.set(c);
  }

  /** Schedules a redraw on the next animation frame. */
  invalidate(): void {
    this.dirty = true;
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  /** Draws now if anything changed (the benchmark calls this to time frames). */
  draw(): void {
    this.frame = 0;
    if (!this.dirty) return;
    this.dirty = false;
    const dpr = window.devicePixelRatio || 1;
    const cw = Math.max(1, Math.round(this.element.clientWidth * dpr));
    const ch = Math.max(1, Math.round(this.element.clientHeight * dpr));
    if (this.canvas.width !== cw || this.canvas.height !== ch) {
      this.canvas.width = cw;
      this.canvas.height = ch;
    }
    this.fillSlice();
    this.sliceCtx.putImageData(this.image, 0, 0);
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, cw, ch);
    const t = this.transform();
    ctx.imageSmoothingEnabled = t.pxPerMm * Math.min(t.sx, t.sy) < 3;
    ctx.drawImage(this.slice, t.ox, t.oy, this.slice.width * t.sx * t.pxPerMm, this.slice.height * t.sy * t.pxPerMm);
    this.drawAnnotations(t, dpr);
    this.framesDrawn++;
  }

  /** Screen (CSS px relative to the view) → continuous voxel coordinates. */
  screenToIjk(x: number, y: number): [number, number, number] {
    const dpr = window.devicePixelRatio || 1;
    const t = this.transform();
    const c = (x * dpr - t.ox) / (t.sx * t.pxPerMm) - 0.5;
    const r = (y * dpr - t.oy) / (t.sy * t.pxPerMm) - 0.5;
    const { u, v, flipU, flipV, normal } = this.axes;
    const size = this.src.geometry.size;
    const out = [...this.state.cursor.get()] as [number, number, number];
    out[u] = flipU ? size[u] - 1 - c : c;
    out[v] = flipV ? size[v] - 1 - r : r;
    out[normal] = this.sliceIndex;
    return out;
  }

  /** Voxel coordinates → CSS pixels relative to the view's top-left corner (tests, tools). */
  ijkToClient(ijk: readonly number[]): [number, number] {
    const dpr = window.devicePixelRatio || 1;
    const [x, y] = this.ijkToCanvas(ijk, this.transform());
    return [x / dpr, y / dpr];
  }

  /** Voxel coordinates → device pixels on the canvas. */
  private ijkToCanvas(ijk: readonly number[], t: ReturnType<SliceView['transform']>): [number, number] {
    const { u, v, flipU, flipV } = this.axes;
    const size = this.src.geometry.size;
    const c = flipU ? size[u] - 1 - ijk[u]! : ijk[u]!;
    const r = flipV ? size[v] - 1 - ijk[v]! : ijk[v]!;
    return [t.ox + (c + 0.5) * t.sx * t.pxPerMm, t.oy + (r + 0.5) * t.sy * t.pxPerMm];
  }

  /** Device px per mm, pixel size in mm along screen x/y, and the image's top-left corner. */
  private transform(): { pxPerMm: number; sx: number; sy: number; ox: number; oy: number } {
    const { u, v } = this.axes;
    const sx = this.src.geometry.spacingMm[u];
    const sy = this.src.geometry.spacingMm[v];
    const wMm = this.slice.width * sx;
    const hMm = this.slice.height * sy;
    const cam = this.state.cameras.get()[this.name];
    const dpr = window.devicePixelRatio || 1;
    const fitScale = Math.min(this.canvas.width / wMm, this.canvas.height / hMm) * 0.96;
    const pxPerMm = fitScale * cam.zoom;
    const ox = (this.canvas.width - wMm * pxPerMm) / 2 + cam.panPx[0] * dpr;
    const oy = (this.canvas.height - hMm * pxPerMm) / 2 + cam.panPx[1] * dpr;
    return { pxPerMm, sx, sy, ox, oy };
  }

  private fillSlice(): void {
    const wl = this.state.window.get();
    if (this.lutFor !== wl) {
      greyLut(wl, this.lut);
      this.lutFor = wl;
    }
    const src = this.src;
    fillSliceImage(
      {
        size: src.geometry.size,
        hu: src.hu,
        lesion: src.lesion(),
        lung: src.lung(),
        lungFill: src.lungFill,
        axes: this.axes,
        sliceIndex: this.sliceIndex,
        overlays: this.state.overlays.get(),
        lut: this.lut,
      },
      this.image,
      this.lungSlice,
    );
  }

  private drawAnnotations(t: ReturnType<SliceView['transform']>, dpr: number): void {
    const thick = this.src.geometry.spacingMm[this.axes.normal];
    const title = `${this.name[0]!.toUpperCase()}${this.name.slice(1)}  ${this.sliceIndex + 1}/${this.sliceCount}  ${thick.toFixed(2)} mm${this.axes.oblique ? '  (oblique: labels approx.)' : ''}`;
    const r = this.tool().outlineRadiusMm();
    drawSliceAnnotations(this.ctx, {
      title,
      axes: this.axes,
      window: this.state.window.get(),
      cursorPx: this.ijkToCanvas(this.state.cursor.get(), t),
      hoverReadout: this.hoverReadout(),
      brush: r !== null && this.hover ? { x: this.hover.x * dpr, y: this.hover.y * dpr, radiusPx: r * t.pxPerMm } : null,
      pxPerMm: t.pxPerMm,
      active: this.state.activeView.get() === this.name,
      dpr,
    });
  }

  /** `HU  [i, j, k]` of the voxel under the pointer, or null when the pointer is off the volume. */
  private hoverReadout(): string | null {
    if (!this.hover) return null;
    const ijk = this.screenToIjk(this.hover.x, this.hover.y).map(Math.round) as [number, number, number];
    const size = this.src.geometry.size;
    if (!ijk.every((x, a) => x >= 0 && x < size[a]!)) return null;
    const idx = ijk[0] + ijk[1] * size[0] + ijk[2] * size[0] * size[1];
    return `${this.src.hu[idx]} HU  [${ijk.join(', ')}]`;
  }

  private pointer(e: PointerEvent): SlicePointer {
    const r = this.canvas.getBoundingClientRect();
    return { view: this, ijk: this.screenToIjk(e.clientX - r.left, e.clientY - r.top), event: e };
  }

  /** Releases observers and listeners. */
  dispose(): void {
    this.resize.disconnect();
    for (const u of this.unsubscribe) u();
    if (this.frame) cancelAnimationFrame(this.frame);
  }
}
