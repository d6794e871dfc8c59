import type { VolumeGeometry } from '../../shared/domain/volume.ts';
import { LESION_COLOURS } from '../../shared/domain/label-map.ts';
import { h } from '../ui/h.ts';
import { viewAxes, type ViewAxes, type ViewName } from './view-axes.ts';
import type { ViewerState } from './viewer-state.ts';
import { greyLut, type WindowLevel } from './window-presets.ts';
import { WheelSteps, wheelDeltaPixels } from './wheel-steps.ts';

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

const LUNG_OUTLINE: readonly [number, number, number] = [110, 230, 150];
/** Tints of the right and left lung while the lung mask is edited (`--lung-right`, `--lung-left` in the CSS). */
const LUNG_RIGHT: readonly [number, number, number] = [60, 200, 210];
const LUNG_LEFT: readonly [number, number, number] = [200, 120, 235];
const GGO = LESION_COLOURS.ggo;
const HIGH = LESION_COLOURS.highOpacity;

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
  /** Wheel travel not yet turned into whole slices. */
  private readonly wheel = new WheelSteps();
  private drag: { mode: 'tool' | 'wl' | 'pan' | 'zoom'; x: number; y: number; wl: WindowLevel; zoom: number; pan: readonly [number, number] } | null = null;
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
    this.bindPointer();
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
    const { u, v, normal, flipU, flipV } = this.axes;
    const size = this.src.geometry.size;
    const strides = [1, size[0], size[0] * size[1]];
    const W = size[u];
    const H = size[v];
    const sU = strides[u]!;
    const sV = strides[v]!;
    const n = Math.min(size[normal] - 1, Math.max(0, this.sliceIndex));
    const hu = this.src.hu;
    const lesion = this.src.lesion();
    const lung = this.src.lung();
    const ov = this.state.overlays.get();
    const aG = ov.ggo.visible ? ov.ggo.opacity : 0;
    const aH = ov.highOpacity.visible ? ov.highOpacity.opacity : 0;
    const lut = this.lut;
    const px = this.image.data;
    const lungSlice = this.lungSlice;
    const stepU = flipU ? -sU : sU;
    for (let r = 0; r < H; r++) {
      const iv = flipV ? H - 1 - r : r;
      let idx = n * strides[normal]! + iv * sV + (flipU ? (W - 1) * sU : 0);
      let p = r * W * 4;
      let q = r * W;
      for (let c = 0; c < W; c++, idx += stepU, p += 4, q++) {
        const g = lut[hu[idx]! + 32768]!;
        const lab = lesion[idx]!;
        if (lab === 1 && aG > 0) {
          px[p] = g + (GGO[0] - g) * aG;
          px[p + 1] = g + (GGO[1] - g) * aG;
          px[p + 2] = g + (GGO[2] - g) * aG;
        } else if (lab === 2 && aH > 0) {
          px[p] = g + (HIGH[0] - g) * aH;
          px[p + 1] = g + (HIGH[1] - g) * aH;
          px[p + 2] = g + (HIGH[2] - g) * aH;
        } else {
          px[p] = g;
          px[p + 1] = g;
          px[p + 2] = g;
        }
        px[p + 3] = 255;
        if (lung) lungSlice[q] = lung[idx]!;
      }
    }
    if (lung && ov.lung.visible && ov.lung.opacity > 0 && this.src.lungFill?.()) this.tintLung(W, H, ov.lung.opacity * 0.35);
    if (lung && ov.lung.visible && ov.lung.opacity > 0) this.outlineLung(W, H, ov.lung.opacity);
  }

  /** Tints the right (label 1) and left (label 2) lung pixels, while the lung mask is edited. */
  private tintLung(W: number, H: number, a: number): void {
    const m = this.lungSlice;
    const px = this.image.data;
    for (let q = 0; q < W * H; q++) {
      const l = m[q]!;
      const rgb = l === 1 ? LUNG_RIGHT : l === 2 ? LUNG_LEFT : null;
      if (!rgb) continue;
      const p = q * 4;
      px[p] = px[p]! + (rgb[0] - px[p]!) * a;
      px[p + 1] = px[p + 1]! + (rgb[1] - px[p + 1]!) * a;
      px[p + 2] = px[p + 2]! + (rgb[2] - px[p + 2]!) * a;
    }
  }

  /** Tints lung pixels that touch a different lung label (4-neighbourhood) — the outline. */
  private outlineLung(W: number, H: number, a: number): void {
    const m = this.lungSlice;
    const px = this.image.data;
    for (let r = 0; r < H; r++) {
      for (let c = 0; c < W; c++) {
        const q = r * W + c;
        const l = m[q]!;
        if (!l) continue;
        const edge = c === 0 || c === W - 1 || r === 0 || r === H - 1 || m[q - 1] !== l || m[q + 1] !== l || m[q - W] !== l || m[q + W] !== l;
        if (!edge) continue;
        const p = q * 4;
        px[p] = px[p]! + (LUNG_OUTLINE[0] - px[p]!) * a;
        px[p + 1] = px[p + 1]! + (LUNG_OUTLINE[1] - px[p + 1]!) * a;
        px[p + 2] = px[p + 2]! + (LUNG_OUTLINE[2] - px[p + 2]!) * a;
      }
    }
  }

  /** Text with a dark halo so it stays legible over bright anatomy. */
  private text(s: string, x: number, y: number): void {
    const ctx = this.ctx;
    ctx.lineJoin = 'round';
    ctx.lineWidth = 2.5 * (window.devicePixelRatio || 1);
    ctx.strokeStyle = 'rgba(0, 0, 0, 0.7)';
    ctx.strokeText(s, x, y);
    ctx.fillText(s, x, y);
  }

  private drawAnnotations(t: ReturnType<SliceView['transform']>, dpr: number): void {
    const ctx = this.ctx;
    const cw = this.canvas.width;
    const ch = this.canvas.height;
    const cursor = this.state.cursor.get();
    const [cx, cy] = this.ijkToCanvas(cursor, t);
    const active = this.state.activeView.get() === this.name;
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
    const L = this.axes.labels;
    const m = 8 * dpr;
    ctx.textAlign = 'left';
    this.text(L.left, m, ch / 2);
    ctx.textAlign = 'right';
    this.text(L.right, cw - m, ch / 2);
    ctx.textAlign = 'center';
    this.text(L.top, cw / 2, m + font * 2);
    this.text(L.bottom, cw / 2, ch - m - font * 2);

    // Read-outs.
    ctx.fillStyle = 'rgba(220, 226, 235, 0.9)';
    ctx.textAlign = 'left';
    const thick = this.src.geometry.spacingMm[this.axes.normal];
    const title = `${this.name[0]!.toUpperCase()}${this.name.slice(1)}  ${this.sliceIndex + 1}/${this.sliceCount}  ${thick.toFixed(2)} mm${this.axes.oblique ? '  (oblique: labels approx.)' : ''}`;
    this.text(title, m, m + font / 2);
    const wl = this.state.window.get();
    this.text(`W ${Math.round(wl.widthHu)}  L ${Math.round(wl.levelHu)}`, m, ch - m - font / 2);
    if (this.hover) {
      const ijk = this.screenToIjk(this.hover.x, this.hover.y).map(Math.round) as [number, number, number];
      const size = this.src.geometry.size;
      if (ijk.every((x, a) => x >= 0 && x < size[a]!)) {
        const idx = ijk[0] + ijk[1] * size[0] + ijk[2] * size[0] * size[1];
        ctx.textAlign = 'right';
        this.text(`${this.src.hu[idx]} HU  [${ijk.join(', ')}]`, cw - m, m + font / 2);
      }
    }
    this.drawScaleBar(t, dpr, font);

    // Brush outline at the pointer.
    const r = this.tool().outlineRadiusMm();
    if (r !== null && this.hover) {
      ctx.strokeStyle = 'rgba(255, 255, 255, 0.8)';
      ctx.lineWidth = dpr;
      ctx.beginPath();
      ctx.arc(this.hover.x * dpr, this.hover.y * dpr, r * t.pxPerMm, 0, Math.PI * 2);
      ctx.stroke();
    }
    if (active) {
      ctx.strokeStyle = 'rgba(90, 150, 255, 0.6)';
      ctx.lineWidth = 2 * dpr;
      ctx.strokeRect(dpr, dpr, cw - 2 * dpr, ch - 2 * dpr);
    }
  }

  /** A bar of a round length (1, 2, 5 × 10ⁿ mm) about a fifth of the view wide. */
  private drawScaleBar(t: ReturnType<SliceView['transform']>, dpr: number, font: number): void {
    const ctx = this.ctx;
    const target = this.canvas.width / 5 / t.pxPerMm;
    const p = 10 ** Math.floor(Math.log10(target));
    const mm = [5, 2, 1].map((f) => f * p).find((x) => x <= target) ?? p;
    const len = mm * t.pxPerMm;
    const x1 = this.canvas.width - 12 * dpr;
    const x0 = x1 - len;
    const y = this.canvas.height - 14 * dpr;
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
    this.text(`${mm >= 10 ? mm.toFixed(0) : mm} mm`, (x0 + x1) / 2, y - 6 * dpr - font / 2);
  }

  private bindPointer(): void {
    const el = this.canvas;
    el.addEventListener('contextmenu', (e) => e.preventDefault());
    el.addEventListener('wheel', (e) => {
      e.preventDefault();
      this.state.activeView.set(this.name);
      if (e.ctrlKey || e.metaKey) {
        const cams = this.state.cameras.get();
        const cam = cams[this.name];
        const zoom = Math.min(40, Math.max(0.25, cam.zoom * Math.exp(-wheelDeltaPixels(e.deltaY, e.deltaMode, el.clientHeight) * 0.0015)));
        this.state.cameras.set({ ...cams, [this.name]: { ...cam, zoom } });
      } else {
        const steps = this.wheel.add(e.deltaY, e.deltaMode, el.clientHeight);
        if (steps !== 0) this.step(steps);
      }
    }, { passive: false });
    el.addEventListener('pointerdown', (e) => {
      el.focus();
      this.state.activeView.set(this.name);
      el.setPointerCapture(e.pointerId);
      const base = { x: e.clientX, y: e.clientY, wl: this.state.window.get(), zoom: this.state.cameras.get()[this.name].zoom, pan: this.state.cameras.get()[this.name].panPx };
      if (e.button === 2 && e.ctrlKey) this.drag = { mode: 'zoom', ...base };
      else if (e.button === 2) this.drag = { mode: 'wl', ...base };
      else if (e.button === 1 || (e.button === 0 && e.shiftKey)) this.drag = { mode: 'pan', ...base };
      else if (e.button === 0) {
        this.drag = { mode: 'tool', ...base };
        this.tool().down(this.pointer(e));
      }
    });
    el.addEventListener('pointermove', (e) => {
      const r = el.getBoundingClientRect();
      this.hover = { x: e.clientX - r.left, y: e.clientY - r.top };
      const d = this.drag;
      if (d?.mode === 'tool') this.tool().move(this.pointer(e));
      else if (d?.mode === 'wl') {
        const dx = e.clientX - d.x;
        const dy = e.clientY - d.y;
        this.state.window.set({ widthHu: Math.max(1, d.wl.widthHu + dx * 4), levelHu: d.wl.levelHu + dy * 2 });
      } else if (d?.mode === 'pan' || d?.mode === 'zoom') {
        const cams = this.state.cameras.get();
        const cam = cams[this.name];
        const next = d.mode === 'pan'
          ? { ...cam, panPx: [d.pan[0] + e.clientX - d.x, d.pan[1] + e.clientY - d.y] as const }
          : { ...cam, zoom: Math.min(40, Math.max(0.25, d.zoom * Math.exp(-(e.clientY - d.y) * 0.01))) };
        this.state.cameras.set({ ...cams, [this.name]: next });
      }
      this.invalidate();
    });
    const end = (e: PointerEvent): void => {
      if (this.drag?.mode === 'tool') this.tool().up(this.pointer(e));
      this.drag = null;
    };
    el.addEventListener('pointerup', end);
    el.addEventListener('pointercancel', end);
    el.addEventListener('pointerleave', () => {
      this.hover = null;
      this.invalidate();
    });
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
