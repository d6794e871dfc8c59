import type { VolumeGeometry } from '../../shared/domain/volume.ts';

/** The three MPR orientations. */
export type ViewName = 'axial' | 'coronal' | 'sagittal';
export const VIEW_NAMES: readonly ViewName[] = ['axial', 'coronal', 'sagittal'];

/** Index axis 0 (i), 1 (j) or 2 (k) of the volume. */
export type Axis = 0 | 1 | 2;

/**
 * How one MPR view maps the volume's index grid onto the screen, in radiological convention:
 * axial and coronal show the patient's right on the screen's left; axial has anterior up,
 * coronal and sagittal have superior up, sagittal has anterior on the left.
 *
 * Screen column c of the slice image is index `u = flipU ? size[u]-1-c : c`, row r likewise
 * with `v`. `normal` is the index axis the view scrolls through. Pixel sizes in mm are
 * `spacingMm[u]` × `spacingMm[v]` (non-square pixels and thick slices stay to scale).
 */
export interface ViewAxes {
  readonly view: ViewName;
  readonly u: Axis;
  readonly v: Axis;
  readonly normal: Axis;
  readonly flipU: boolean;
  readonly flipV: boolean;
  /** Orientation letters at the left, right, top and bottom edges. */
  readonly labels: { readonly left: string; readonly right: string; readonly top: string; readonly bottom: string };
  /** True when the volume's axes are not aligned to LPS (labels then are approximate). */
  readonly oblique: boolean;
}

/** LPS component (0 = x/L, 1 = y/P, 2 = z/S) each index axis mostly points along, with its sign. */
function dominantAxes(g: VolumeGeometry): { lps: number[]; sign: number[]; oblique: boolean } {
  const lps: number[] = [];
  const sign: number[] = [];
  let oblique = false;
  for (let a = 0; a < 3; a++) {
    const col = [g.directionLps[3 * a]!, g.directionLps[3 * a + 1]!, g.directionLps[3 * a + 2]!];
    let best = 0;
    for (let d = 1; d < 3; d++) if (Math.abs(col[d]!) > Math.abs(col[best]!)) best = d;
    if (Math.abs(col[best]!) < 0.999) oblique = true;
    lps.push(best);
    sign.push(col[best]! >= 0 ? 1 : -1);
  }
  if (new Set(lps).size !== 3) return { lps: [0, 1, 2], sign: [1, 1, 1], oblique: true };
  return { lps, sign, oblique };
}

// Screen right and screen down, as an LPS component and sign, for each view.
const SCREEN: Record<ViewName, { right: [number, number]; down: [number, number]; normal: number; labels: ViewAxes['labels'] }> = {
  axial: { right: [0, 1], down: [1, 1], normal: 2, labels: { left: 'R', right: 'L', top: 'A', bottom: 'P' } },
  coronal: { right: [0, 1], down: [2, -1], normal: 1, labels: { left: 'R', right: 'L', top: 'S', bottom: 'I' } },
  sagittal: { right: [1, 1], down: [2, -1], normal: 0, labels: { left: 'A', right: 'P', top: 'S', bottom: 'I' } },
};

/** The screen mapping of `view` for a volume geometry. */
export function viewAxes(g: VolumeGeometry, view: ViewName): ViewAxes {
  const { lps, sign, oblique } = dominantAxes(g);
  const s = SCREEN[view];
  const axisOf = (component: number): Axis => lps.indexOf(component) as Axis;
  const u = axisOf(s.right[0]);
  const v = axisOf(s.down[0]);
  return {
    view,
    u,
    v,
    normal: axisOf(s.normal),
    flipU: sign[u] !== s.right[1],
    flipV: sign[v] !== s.down[1],
    labels: s.labels,
    oblique,
  };
}
