import '@kitware/vtk.js/Rendering/Profiles/Geometry';
import vtkGenericRenderWindow from '@kitware/vtk.js/Rendering/Misc/GenericRenderWindow';
import vtkImageData from '@kitware/vtk.js/Common/DataModel/ImageData';
import vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData';
import vtkDataArray from '@kitware/vtk.js/Common/Core/DataArray';
import vtkImageMarchingCubes from '@kitware/vtk.js/Filters/General/ImageMarchingCubes';
import vtkMapper from '@kitware/vtk.js/Rendering/Core/Mapper';
import vtkActor from '@kitware/vtk.js/Rendering/Core/Actor';
import type { VolumeGeometry } from '../../shared/domain/volume.ts';
import { LESION_COLOURS } from '../../shared/domain/label-map.ts';
import type { EditPatch } from '../../shared/imaging/mask-tools/edit-patch.ts';
import { h } from '../ui/h.ts';
import { BlockGrid, fillGrids } from './block-grid.ts';
import type { OverlaySettings } from './viewer-state.ts';

/** Largest downsampled grid edge for the 3D surfaces (keeps SwiftShader and CPU time low). */
const MAX_GRID = 96;
/** Quiet time after the last edit before the lesion surfaces are rebuilt (ms). */
export const DEBOUNCE_MS = 50;

/**
 * The 3D view: vtk.js marching-cubes surfaces of the lungs (translucent) and of the two lesion
 * classes, on a grid downsampled to ≤ 96 blocks per axis, placed in patient LPS millimetres and
 * seen from the front (patient's right on the screen's left, superior up). Lesion surfaces are
 * rebuilt after edits, debounced, from block counts kept incrementally.
 */
export class SurfaceView {
  readonly element: HTMLElement;
  private readonly grw = vtkGenericRenderWindow.newInstance({ background: [0.06, 0.07, 0.09] });
  private readonly grids: { lung: BlockGrid | null; ggo: BlockGrid; high: BlockGrid };
  private readonly actors: Record<'lung' | 'ggo' | 'high', vtkActor>;
  private timer = 0;
  private readonly dirty = { ggo: false, high: false, lung: false };
  private pending = false;
  private disposed = false;
  private readonly resizer: ResizeObserver;
  private readonly container: HTMLElement;
  /** Milliseconds the last rebuild took (benchmarks read it). */
  lastRebuildMs = 0;
  /** Number of completed rebuilds. */
  rebuilds = 0;

  constructor(
    private readonly geometry: VolumeGeometry,
    lung: Uint8Array | null,
    lesion: Uint8Array,
  ) {
    const container = h('div', { class: 'surface-canvas', 'data-testid': 'view-3d-canvas' });
    this.element = h(
      'div',
      { class: 'view view-3d', 'data-testid': 'view-3d' },
      container,
      h('div', { class: 'view-label' }, '3D · seen from the front (patient right on the left) · drag to rotate, wheel to zoom'),
    );
    const size = geometry.size;
    const f = Math.max(1, Math.ceil(Math.max(size[0], size[1], size[2]) / MAX_GRID));
    this.grids = { lung: lung ? new BlockGrid(size, f) : null, ggo: new BlockGrid(size, f), high: new BlockGrid(size, f) };
    if (lung && this.grids.lung) fillGrids(lung, [null, this.grids.lung, this.grids.lung]); // 1 right, 2 left
    fillGrids(lesion, [null, this.grids.ggo, this.grids.high]);
    this.container = container;
    this.grw.setContainer(container);
    const renderer = this.grw.getRenderer();
    const mk = (rgb: readonly number[], opacity: number): vtkActor => {
      const actor = vtkActor.newInstance();
      actor.setMapper(vtkMapper.newInstance({ scalarVisibility: false }));
      actor.getProperty().setColor(rgb[0]! / 255, rgb[1]! / 255, rgb[2]! / 255);
      actor.getProperty().setOpacity(opacity);
      renderer.addActor(actor);
      return actor;
    };
    this.actors = { lung: mk([215, 190, 185], 0.22), ggo: mk(LESION_COLOURS.ggo, 1), high: mk(LESION_COLOURS.highOpacity, 1) };
    this.actors.lung.getProperty().setSpecular(0);
    if (this.grids.lung) this.build('lung');
    this.build('ggo');
    this.build('high');
    const cam = renderer.getActiveCamera();
    renderer.resetCamera();
    // Look from anterior (−y in LPS) with superior (+z) up.
    const fp = cam.getFocalPoint();
    const dist = cam.getDistance();
    cam.setPosition(fp[0], fp[1] - dist, fp[2]);
    cam.setViewUp(0, 0, 1);
    renderer.resetCamera();
    this.resizer = new ResizeObserver(() => {
      if (this.disposed || container.clientWidth === 0 || container.clientHeight === 0) return;
      this.grw.resize();
      this.render();
    });
    this.resizer.observe(container);
  }

  /** Applies an edit to the lesion block counts and schedules a debounced rebuild. */
  applyPatch(patch: EditPatch, direction: 'forward' | 'backward'): void {
    const from = direction === 'forward' ? patch.before : patch.after;
    const to = direction === 'forward' ? patch.after : patch.before;
    const { ggo, high } = this.grids;
    for (let m = 0; m < patch.indices.length; m++) {
      const a = from[m]!;
      const b = to[m]!;
      if (a !== 1 && a !== 2 && b !== 1 && b !== 2) continue;
      const blk = ggo.blockOf(patch.indices[m]!);
      if (a === 1) ggo.counts[blk]!--;
      else if (a === 2) high.counts[blk]!--;
      if (b === 1) ggo.counts[blk]!++;
      else if (b === 2) high.counts[blk]!++;
      if (a === 1 || b === 1) this.dirty.ggo = true;
      if (a === 2 || b === 2) this.dirty.high = true;
    }
    this.schedule();
  }

  /** Applies an edit of the lung mask (the reader correcting it) to the lung surface's block counts. */
  applyLungPatch(patch: EditPatch, direction: 'forward' | 'backward'): void {
    const grid = this.grids.lung;
    if (!grid) return;
    const from = direction === 'forward' ? patch.before : patch.after;
    const to = direction === 'forward' ? patch.after : patch.before;
    for (let m = 0; m < patch.indices.length; m++) {
      const a = from[m] === 1 || from[m] === 2;
      const b = to[m] === 1 || to[m] === 2;
      if (a === b) continue;
      grid.counts[grid.blockOf(patch.indices[m]!)]! += b ? 1 : -1;
      this.dirty.lung = true;
    }
    if (this.dirty.lung) this.schedule();
  }

  /** Replaces all lesion labels (a different version was loaded). */
  reset(lesion: Uint8Array): void {
    fillGrids(lesion, [null, this.grids.ggo, this.grids.high]);
    this.dirty.ggo = this.dirty.high = true;
    this.schedule();
  }

  /** Shows or hides each surface like the 2D overlays. */
  setOverlays(o: OverlaySettings): void {
    this.actors.ggo.setVisibility(o.ggo.visible);
    this.actors.high.setVisibility(o.highOpacity.visible);
    this.actors.lung.setVisibility(o.lung.visible && this.grids.lung !== null);
    this.render();
  }

  /** Resolves after the pending rebuild (if any) has rendered. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => (this.pending ? void setTimeout(check, 10) : resolve());
      check();
    });
  }

  private schedule(): void {
    this.pending = true;
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      const t0 = performance.now();
      if (this.dirty.ggo) this.build('ggo');
      if (this.dirty.high) this.build('high');
      if (this.dirty.lung && this.grids.lung) this.build('lung');
      this.dirty.ggo = this.dirty.high = this.dirty.lung = false;
      this.render();
      this.lastRebuildMs = performance.now() - t0;
      this.rebuilds++;
      this.pending = false;
    }, DEBOUNCE_MS);
  }

  private render(): void {
    if (!this.disposed && this.container.clientWidth > 0 && this.container.clientHeight > 0) this.grw.getRenderWindow().render();
  }

  /**
   * Marching cubes at 0.5 occupancy over the bounding box of occupied blocks (plus one empty
   * block of margin), then block-index points → LPS mm.
   */
  private build(which: 'lung' | 'ggo' | 'high'): void {
    const grid = this.grids[which];
    const actor = this.actors[which];
    if (!grid) return;
    const frac = grid.fractions();
    const [dI, dJ, dK] = grid.dims;
    const lo = [dI, dJ, dK];
    const hi = [-1, -1, -1];
    for (let k = 0, b = 0; k < dK; k++) {
      for (let j = 0; j < dJ; j++) {
        for (let i = 0; i < dI; i++, b++) {
          if (frac[b]! <= 0) continue;
          if (i < lo[0]!) lo[0] = i;
          if (i > hi[0]!) hi[0] = i;
          if (j < lo[1]!) lo[1] = j;
          if (j > hi[1]!) hi[1] = j;
          if (k < lo[2]!) lo[2] = k;
          if (k > hi[2]!) hi[2] = k;
        }
      }
    }
    if (hi[0]! < 0) {
      actor.getMapper()!.setInputData(vtkPolyData.newInstance());
      return;
    }
    // The grid has one empty block of padding on every side, so lo−1 and hi+1 stay inside.
    const i0 = lo[0]! - 1,
      j0 = lo[1]! - 1,
      k0 = lo[2]! - 1;
    const bw = hi[0]! - i0 + 2,
      bh = hi[1]! - j0 + 2,
      bd = hi[2]! - k0 + 2;
    const sub = new Float32Array(bw * bh * bd);
    for (let k = 0, q = 0; k < bd; k++) {
      for (let j = 0; j < bh; j++) {
        const row = i0 + (j0 + j) * dI + (k0 + k) * dI * dJ;
        sub.set(frac.subarray(row, row + bw), q);
        q += bw;
      }
    }
    const image = vtkImageData.newInstance();
    image.setDimensions(bw, bh, bd);
    image.setOrigin([i0, j0, k0]);
    image.getPointData().setScalars(vtkDataArray.newInstance({ numberOfComponents: 1, values: sub }));
    const mc = vtkImageMarchingCubes.newInstance({ contourValue: 0.5, computeNormals: true, mergePoints: true });
    mc.setInputData(image);
    const poly = mc.getOutputData();
    const pts = poly.getPoints().getData() as Float32Array;
    const { spacingMm: s, directionLps: d, originLps: o } = this.geometry;
    const f = grid.f;
    for (let p = 0; p < pts.length; p += 3) {
      // Block b covers voxels [f(b−1), f b − 1]; its centre is voxel f(b−1) + (f−1)/2.
      const i = (pts[p]! - 1) * f + (f - 1) / 2;
      const j = (pts[p + 1]! - 1) * f + (f - 1) / 2;
      const k = (pts[p + 2]! - 1) * f + (f - 1) / 2;
      const x = i * s[0];
      const y = j * s[1];
      const z = k * s[2];
      pts[p] = o[0] + d[0] * x + d[3] * y + d[6] * z;
      pts[p + 1] = o[1] + d[1] * x + d[4] * y + d[7] * z;
      pts[p + 2] = o[2] + d[2] * x + d[5] * y + d[8] * z;
    }
    const normals = poly.getPointData().getNormals();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- vtk.js returns null for polydata without normals although typed non-null
    if (normals) {
      const n = normals.getData() as Float32Array;
      for (let p = 0; p < n.length; p += 3) {
        const a = n[p]! / s[0];
        const b = n[p + 1]! / s[1];
        const c = n[p + 2]! / s[2];
        const x = d[0] * a + d[3] * b + d[6] * c;
        const y = d[1] * a + d[4] * b + d[7] * c;
        const z = d[2] * a + d[5] * b + d[8] * c;
        const len = Math.hypot(x, y, z) || 1;
        n[p] = x / len;
        n[p + 1] = y / len;
        n[p + 2] = z / len;
      }
    }
    poly.getPoints().modified();
    poly.modified();
    actor.getMapper()!.setInputData(poly);
  }

  /** Frees the WebGL context. */
  dispose(): void {
    this.disposed = true;
    this.resizer.disconnect();
    clearTimeout(this.timer);
    this.grw.delete();
  }
}
