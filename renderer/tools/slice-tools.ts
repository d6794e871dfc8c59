import type { Volume } from '../../shared/domain/volume.ts';
import { eraseStroke, paintStroke } from '../../shared/imaging/mask-tools/brush.ts';
import { composePatches, type EditPatch } from '../../shared/imaging/mask-tools/edit-patch.ts';
import { floodFill } from '../../shared/imaging/mask-tools/flood-fill.ts';
import { paintThresholdStroke } from '../../shared/imaging/mask-tools/threshold-brush.ts';
import type { SlicePointer, SliceTool } from '../viewer/slice-view.ts';
import type { ViewerState } from '../viewer/viewer-state.ts';
import type { EditSession } from './edit-session.ts';
import { toolSettings, type ToolSettings } from './tool-settings.ts';
import { errorMessage, toast } from '../ui/toast.ts';

/** Everything a tool needs: the session being edited, the CT, the lung mask, the viewer. */
export interface ToolContext {
  readonly session: () => EditSession;
  readonly volume: Volume;
  readonly lung: () => Uint8Array | null;
  readonly viewer: ViewerState;
}

const CLASS_NAME = { 1: 'GGO', 2: 'high opacity' } as const;

/** Durations (ms) of the latest brush pieces (one per pointer move), newest last; at most 1000. */
export const brushPieceMs: number[] = [];

/** Crosshair tool: click or drag moves the linked cursor (the other views follow). */
function navigateTool(ctx: ToolContext): SliceTool {
  const set = (p: SlicePointer): void => {
    const size = ctx.volume.size;
    ctx.viewer.cursor.set(
      p.ijk.map((x, a) => Math.min(size[a as 0 | 1 | 2] - 1, Math.max(0, Math.round(x)))) as unknown as readonly [number, number, number],
    );
  };
  return { cursor: 'crosshair', down: set, move: set, up: () => undefined, outlineRadiusMm: () => null };
}

/** W/L tool: left drag changes width (horizontal) and level (vertical). */
function windowTool(ctx: ToolContext): SliceTool {
  let start: { x: number; y: number; w: number; l: number } | null = null;
  return {
    cursor: 'ns-resize',
    down: (p) => {
      const wl = ctx.viewer.window.get();
      start = { x: p.event.clientX, y: p.event.clientY, w: wl.widthHu, l: wl.levelHu };
    },
    move: (p) => {
      if (start)
        ctx.viewer.window.set({
          widthHu: Math.max(1, start.w + (p.event.clientX - start.x) * 4),
          levelHu: start.l + (p.event.clientY - start.y) * 2,
        });
    },
    up: () => {
      start = null;
    },
    outlineRadiusMm: () => null,
  };
}

/**
 * Brush, eraser and HU-range brush: each pointer-move adds one stroke segment, painted at once
 * (so the overlay and the burden follow the pointer), and the pieces are composed into a
 * single undo step when the button is released.
 */
function strokeTool(ctx: ToolContext, kind: 'brush' | 'eraser' | 'threshold'): SliceTool {
  let last: readonly [number, number, number] | null = null;
  let pieces: EditPatch[] = [];
  let settings: ToolSettings | null = null;
  let plane: SlicePointer['view']['name'] = 'axial';
  let strokeSlice = 0;
  const apply = (from: readonly [number, number, number], to: readonly [number, number, number]): void => {
    const s = settings!;
    const session = ctx.session();
    const lung = ctx.lung();
    const base = {
      radiusMm: s.radiusMm,
      shape: s.shape,
      plane,
      overwrite: s.overwrite,
      ...(s.insideLungOnly && lung ? { editableMask: lung } : {}),
    };
    const stroke = { frame: 'ijk' as const, points: from === to ? [from] : [from, to] };
    const t0 = performance.now();
    const patch =
      kind === 'eraser'
        ? eraseStroke(session.labels, stroke, base)
        : kind === 'threshold'
          ? paintThresholdStroke(session.labels, ctx.volume, stroke, {
              ...base,
              value: s.paintClass,
              huRange: { minHu: s.minHu, maxHu: s.maxHu },
            })
          : paintStroke(session.labels, stroke, { ...base, value: s.paintClass });
    pieces.push(patch);
    session.preview(patch);
    brushPieceMs.push(performance.now() - t0);
    if (brushPieceMs.length > 1000) brushPieceMs.shift();
  };
  return {
    cursor: 'none',
    down: (p) => {
      if (!ctx.session().state.get().editable) {
        toast('This version is signed off. Use “Amend” to edit a copy.', 'error');
        return;
      }
      settings = toolSettings.get();
      plane = p.view.name;
      strokeSlice = p.ijk[p.view.axes.normal];
      pieces = [];
      last = [p.ijk[0], p.ijk[1], p.ijk[2]];
      try {
        apply(last, last);
      } catch (e) {
        toast(errorMessage(e), 'error');
        last = null;
      }
    },
    move: (p) => {
      if (!last) return;
      const next: [number, number, number] = [p.ijk[0], p.ijk[1], p.ijk[2]];
      // Circles stay in the slice where the stroke started.
      next[p.view.axes.normal] = last[p.view.axes.normal];
      try {
        apply(last, next);
      } catch (e) {
        toast(errorMessage(e), 'error');
      }
      last = next;
    },
    up: () => {
      if (!last || !settings) return;
      last = null;
      const s = settings;
      const keySlice = s.shape === 'circle' ? { plane, slice: Math.round(strokeSlice) } : undefined;
      const label =
        kind === 'eraser'
          ? `Erase ${s.radiusMm} mm`
          : `${kind === 'threshold' ? `HU brush ${s.minHu}…${s.maxHu}` : 'Brush'} ${CLASS_NAME[s.paintClass]} ${s.radiusMm} mm`;
      ctx.session().commit(label, composePatches(pieces), true, keySlice);
      pieces = [];
    },
    outlineRadiusMm: () => toolSettings.get().radiusMm,
  };
}

/** Flood fill: click fills the connected region (2-D in the view's slice) within the HU window. */
function fillTool(ctx: ToolContext): SliceTool {
  return {
    cursor: 'cell',
    down: (p) => {
      const session = ctx.session();
      if (!session.state.get().editable) {
        toast('This version is signed off. Use “Amend” to edit a copy.', 'error');
        return;
      }
      const s = toolSettings.get();
      const lung = ctx.lung();
      try {
        const r = floodFill(session.labels, [p.ijk[0], p.ijk[1], p.ijk[2]], {
          value: s.paintClass,
          plane: p.view.name,
          huRange: { minHu: s.minHu, maxHu: s.maxHu },
          volume: ctx.volume,
          overwrite: s.overwrite,
          ...(s.insideLungOnly && lung ? { editableMask: lung } : {}),
        });
        if (r.status === 'seed-rejected') toast(`Fill: the clicked voxel is outside ${s.minHu}…${s.maxHu} HU`, 'error');
        else if (r.status === 'limit-reached')
          toast(`Fill stopped: the region leaks past ${r.regionVoxels} voxels; narrow the HU window or tick “inside lungs”`, 'error');
        else {
          session.commit(`Fill ${CLASS_NAME[s.paintClass]} (${r.patch.indices.length} vox)`, r.patch, false, {
            plane: p.view.name,
            slice: Math.round(p.ijk[p.view.axes.normal]),
          });
        }
      } catch (e) {
        toast(errorMessage(e), 'error');
      }
    },
    move: () => undefined,
    up: () => undefined,
    outlineRadiusMm: () => null,
  };
}

/** The left-button tool for the current settings (islands is a button, not a pointer tool). */
export function createSliceTool(ctx: ToolContext, tool: ToolSettings['tool']): SliceTool {
  switch (tool) {
    case 'window':
      return windowTool(ctx);
    case 'brush':
    case 'eraser':
    case 'threshold':
      return strokeTool(ctx, tool);
    case 'fill':
      return fillTool(ctx);
    default:
      return navigateTool(ctx);
  }
}
