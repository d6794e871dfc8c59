import type { Vec3 } from '../domain/volume.ts';
import { labelComponents, largestComponent } from './connected-components.ts';
import { dilateBox, erodeBox, fillHolesSlices } from './morphology.ts';
import { fieldOfViewContact } from './field-of-view.ts';

// The patient's body in a CT series (see segmentLungs in lung-mask.ts).

/** Share of a component's outline along the field-of-view edge above which it is air around the patient. */
const OUTSIDE_AIR_EDGE_FRACTION = 0.25;

/**
 * The body when the series has a field of view (`outsideFieldOfView`, field-of-view.ts): the outside of the
 * field counts as dense while the body is eroded, grown back and hole-filled (so a chest wall
 * cut by the field, or a lung opened by the cut, stays enclosed); then the 3-D components of
 * non-dense voxels in that enclosure are taken out again when more than
 * {@link OUTSIDE_AIR_EDGE_FRACTION} of their outline runs along the field's edge
 * ({@link fieldOfViewContact}: the air around the patient), or when most of them lies outside
 * the row/column span of the plain body mask (air in a table or mattress cut by the field, air
 * under a blanket: it lies beside, above or below the body, a lung lies within it).
 */
export function bodyInFieldOfView(hu: Int16Array, bodyHu: number, size: Vec3, sp: Vec3, fov: Uint8Array): Uint8Array {
  const n = hu.length;
  const slice = size[0] * size[1];
  const withFov = new Int16Array(n);
  for (let p = 0, q = 0; p < n; p++, q = q + 1 === slice ? 0 : q + 1) withFov[p] = fov[q] !== 0 ? 1000 : (hu[p] as number);
  const enclosure = bodyMask(withFov, bodyHu, size, sp);
  const low = new Uint8Array(n);
  for (let p = 0, q = 0; p < n; p++, q = q + 1 === slice ? 0 : q + 1) {
    if (fov[q] !== 0) enclosure[p] = 0;
    else if (enclosure[p] !== 0 && (hu[p] as number) < bodyHu) low[p] = 1;
  }
  const c = labelComponents(low, size);
  const contact = fieldOfViewContact(c, fov, size);
  const span = rowColumnSpan(bodyMask(hu, bodyHu, size, sp), size);
  const inSpan = new Float64Array(c.count + 1);
  for (let p = 0; p < n; p++) {
    const l = c.labels[p] as number;
    if (l !== 0 && span[p] !== 0) inSpan[l] = (inSpan[l] as number) + 1;
  }
  for (let p = 0; p < n; p++) {
    const l = c.labels[p] as number;
    if (l === 0) continue;
    if ((contact[l] as number) > OUTSIDE_AIR_EDGE_FRACTION || (inSpan[l] as number) < 0.5 * (c.sizes[l] as number)) enclosure[p] = 0;
  }
  return enclosure;
}

/**
 * Per slice, the voxels that have mask voxels on both sides in their row and in their column
 * (an orthogonal hull of the mask, cheap and enough to tell "within the body" from "beside it").
 */
function rowColumnSpan(mask: Uint8Array, size: Vec3): Uint8Array {
  const [nx, ny, nz] = size;
  const slice = nx * ny;
  const out = new Uint8Array(mask.length);
  const rowMin = new Int32Array(ny);
  const rowMax = new Int32Array(ny);
  const colMin = new Int32Array(nx);
  const colMax = new Int32Array(nx);
  for (let k = 0; k < nz; k++) {
    const base = k * slice;
    rowMin.fill(nx);
    rowMax.fill(-1);
    colMin.fill(ny);
    colMax.fill(-1);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        if (mask[base + i + j * nx] === 0) continue;
        if (i < (rowMin[j] as number)) rowMin[j] = i;
        rowMax[j] = i;
        if (j < (colMin[i] as number)) colMin[i] = j;
        colMax[i] = j;
      }
    }
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        if (i >= (rowMin[j] as number) && i <= (rowMax[j] as number) && j >= (colMin[i] as number) && j <= (colMax[i] as number))
          out[base + i + j * nx] = 1;
      }
    }
  }
  return out;
}

/**
 * The patient's body: voxels ≥ `bodyHu`, eroded in-plane by ±4 mm so that thin structures
 * touching the patient (the CT table's shell, a blanket, cables) come off, largest 3-D component
 * of that core, grown back by 4 mm + 1 voxel inside the dense voxels, holes filled per slice.
 */
export function bodyMask(hu: Int16Array, bodyHu: number, size: Vec3, sp: Vec3): Uint8Array {
  const n = hu.length;
  const dense = new Uint8Array(n);
  for (let p = 0; p < n; p++) if ((hu[p] as number) >= bodyHu) dense[p] = 1;
  const r: Vec3 = [Math.max(1, Math.round(4 / sp[0])), Math.max(1, Math.round(4 / sp[1])), 0];
  const core = largestComponent(erodeBox(dense, size, r), size);
  const grown = dilateBox(core, size, [r[0] + 1, r[1] + 1, 0]);
  for (let p = 0; p < n; p++) grown[p] = grown[p] !== 0 && dense[p] !== 0 ? 1 : 0;
  return fillHolesSlices(grown, size);
}
