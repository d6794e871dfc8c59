import type { Vec3 } from '../domain/volume.ts';
import { componentsBySize, labelComponents } from './connected-components.ts';

// Which air components are lungs (see segmentLungs in lung-mask.ts).

/** The mask without its 6-connected components that touch the in-plane border of the grid. */
export function dropBorderComponents(mask: Uint8Array, size: Vec3): Uint8Array {
  const [nx, ny, nz] = size;
  const c = labelComponents(mask, size);
  const touches = new Uint8Array(c.count + 1);
  const slice = nx * ny;
  for (let k = 0; k < nz; k++) {
    const b = k * slice;
    for (let i = 0; i < nx; i++) {
      touches[c.labels[b + i] as number] = 1;
      touches[c.labels[b + (ny - 1) * nx + i] as number] = 1;
    }
    for (let j = 0; j < ny; j++) {
      touches[c.labels[b + j * nx] as number] = 1;
      touches[c.labels[b + j * nx + nx - 1] as number] = 1;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let p = 0; p < out.length; p++) {
    const l = c.labels[p] as number;
    if (l !== 0 && touches[l] === 0) out[p] = 1;
  }
  return out;
}

/**
 * Keeps the lung-like 3-D components of an air mask: at least `minFraction` of the largest, and
 * overlapping the largest's slice range by at least half of their own extent (bowel gas under
 * the diaphragm is smaller and lower). Returns a 0/1 mask, or null when the mask is empty.
 */
export function selectLungComponents(air: Uint8Array, size: Vec3, minFraction: number): Uint8Array | null {
  const [nx, ny, nz] = size;
  const c = labelComponents(air, size);
  const zMin = new Int32Array(c.count + 1).fill(nz);
  const zMax = new Int32Array(c.count + 1).fill(-1);
  const slice = nx * ny;
  for (let k = 0; k < nz; k++) {
    for (let p = k * slice, e = p + slice; p < e; p++) {
      const l = c.labels[p] as number;
      if (l === 0) continue;
      if (k < (zMin[l] as number)) zMin[l] = k;
      if (k > (zMax[l] as number)) zMax[l] = k;
    }
  }
  const order = componentsBySize(c);
  const first = order[0];
  if (first === undefined) return null;
  const keep = new Uint8Array(c.count + 1);
  const big = c.sizes[first] as number;
  for (const l of order) {
    if ((c.sizes[l] as number) < minFraction * big) break;
    const overlap = Math.min(zMax[l] as number, zMax[first] as number) - Math.max(zMin[l] as number, zMin[first] as number) + 1;
    const extent = (zMax[l] as number) - (zMin[l] as number) + 1;
    if (overlap >= 0.5 * extent) keep[l] = 1;
  }
  const out = new Uint8Array(air.length);
  const lab = c.labels;
  for (let q = 0; q < out.length; q++) if (lab[q] !== 0 && keep[lab[q] as number] === 1) out[q] = 1;
  return out;
}
