import type { Vec3, VolumeGeometry } from '../../domain/volume.ts';
import { lpsToIjk } from '../geometry.ts';
import { MaskToolError } from './mask-tool-error.ts';

/**
 * The path of one brush stroke: a polyline, painted as the union of the brush swept along every
 * segment (so a fast drag with far-apart pointer samples leaves no gaps). One point is a dab.
 * - `frame: 'ijk'`: continuous voxel indices (voxel centres at integers, axis order of
 *   `shared/domain/volume.ts`);
 * - `frame: 'lps'`: patient coordinates in millimetres (converted with the geometry's origin,
 *   direction and spacing).
 */
export interface BrushStroke {
  readonly frame: 'ijk' | 'lps';
  readonly points: readonly Vec3[];
}

/**
 * The stroke's points as continuous ijk indices, packed `[i0, j0, k0, i1, …]`. LPS points are
 * mapped with `lpsToIjk` of `shared/imaging/geometry.ts` (inverse of
 * `origin + direction · diag(spacing) · ijk`). Throws `invalid-argument` for no points,
 * non-finite coordinates or a singular direction matrix.
 */
export function strokeToIjk(stroke: BrushStroke, geometry: VolumeGeometry): Float64Array {
  const n = stroke.points.length;
  if (n === 0) throw new MaskToolError('invalid-argument', 'a brush stroke needs at least one point');
  const out = new Float64Array(3 * n);
  for (let m = 0; m < n; m++) {
    const p = stroke.points[m]!;
    if (!(Number.isFinite(p[0]) && Number.isFinite(p[1]) && Number.isFinite(p[2]))) {
      throw new MaskToolError('invalid-argument', `stroke point ${m} is not finite: ${p.join(', ')}`);
    }
  }
  if (stroke.frame === 'ijk') {
    for (let m = 0; m < n; m++) {
      const p = stroke.points[m]!;
      out[3 * m] = p[0];
      out[3 * m + 1] = p[1];
      out[3 * m + 2] = p[2];
    }
    return out;
  }
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- runtime guard: options come from callers outside the type system (IPC, tests of bad input)
  if (stroke.frame !== 'lps') {
    throw new MaskToolError('invalid-argument', `unknown stroke frame "${String(stroke.frame)}"`);
  }
  for (let m = 0; m < n; m++) {
    let ijk: Vec3;
    try {
      ijk = lpsToIjk(geometry, stroke.points[m]!);
    } catch (error) {
      throw new MaskToolError('invalid-argument', `cannot map stroke point to voxels: ${(error as Error).message}`);
    }
    out[3 * m] = ijk[0];
    out[3 * m + 1] = ijk[1];
    out[3 * m + 2] = ijk[2];
  }
  return out;
}
