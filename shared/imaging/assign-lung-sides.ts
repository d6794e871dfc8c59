import { LungLabel } from '../domain/label-map.ts';
import type { Vec3 } from '../domain/volume.ts';
import { componentsBySize, labelComponents } from './connected-components.ts';
import { type Box, boundingBox, closeBox, erodeBox, fillHolesSlices } from './morphology.ts';

// The left/right assignment of the lung mask (see segmentLungs in lung-mask.ts).

/** Side of each lung component (1 right = low i, 2 left), splitting a component that spans both. */
export function assignSides(lung: Uint8Array, size: Vec3, midX: number, warnings: string[]): Uint8Array {
  const [nx] = size;
  const c = labelComponents(lung, size);
  const rightCount = new Float64Array(c.count + 1);
  const iMid = Math.ceil(midX); // i < midX ⇔ i < iMid
  for (let p = 0; p < lung.length; p += nx) {
    for (let i = 0; i < iMid && i < nx; i++) {
      const l = c.labels[p + i] as number;
      if (l !== 0) rightCount[l] = (rightCount[l] as number) + 1;
    }
  }
  const sides = new Uint8Array(lung.length);
  const label = new Uint8Array(c.count + 1);
  const toSplit: number[] = [];
  for (let l = 1; l <= c.count; l++) {
    const total = c.sizes[l] as number;
    const r = (rightCount[l] as number) / total;
    if (r > 0.15 && r < 0.85 && total > 0) toSplit.push(l);
    else label[l] = r >= 0.5 ? LungLabel.right : LungLabel.left;
  }
  for (let p = 0; p < lung.length; p++) sides[p] = label[c.labels[p] as number] as number;
  for (const l of toSplit) splitComponent(c.labels, l, size, midX, sides, warnings);
  return sides;
}

/**
 * Splits one component spanning both sides: in-plane 3×3 erosions (at most 20) until its two
 * largest parts lie on opposite sides of the mid-line with the smaller ≥ 10 % of the larger,
 * then grows both parts back through the component (breadth-first, 6-connected).
 * Falls back to the mid-line with a warning.
 */
function splitComponent(labels: Int32Array, id: number, size: Vec3, midX: number, sides: Uint8Array, warnings: string[]): void {
  const [nx, ny] = size;
  const slice = nx * ny;
  let mask: Uint8Array = new Uint8Array(labels.length);
  for (let p = 0; p < labels.length; p++) if (labels[p] === id) mask[p] = 1;
  const comp = mask.slice();
  const box = boundingBox(comp, size, [1, 1, 0]);
  if (!box) return;
  let seeds: Uint8Array | null = null;
  for (let iter = 0; iter < 20 && !seeds; iter++) {
    mask = erodeBox(mask, size, [1, 1, 0], box);
    for (let p = 0; p < mask.length; p++) if (comp[p] === 0) mask[p] = 0;
    const c = labelComponents(mask, size);
    const order = componentsBySize(c);
    const a = order[0];
    const b = order[1];
    if (a === undefined || b === undefined) continue;
    if ((c.sizes[b] as number) < 0.1 * (c.sizes[a] as number)) continue;
    let xa = 0;
    let xb = 0;
    for (let p = 0; p < mask.length; p++) {
      const l = c.labels[p];
      if (l === a) xa += p % nx;
      else if (l === b) xb += p % nx;
    }
    xa /= c.sizes[a] as number;
    xb /= c.sizes[b] as number;
    if ((xa - midX) * (xb - midX) >= 0) continue;
    seeds = new Uint8Array(mask.length);
    const la = xa < midX ? LungLabel.right : LungLabel.left;
    const lb = la === LungLabel.right ? LungLabel.left : LungLabel.right;
    for (let p = 0; p < mask.length; p++) {
      const l = c.labels[p];
      if (l === a) seeds[p] = la;
      else if (l === b) seeds[p] = lb;
    }
  }
  if (!seeds) {
    warnings.push('lungs touching at the mid-line could not be separated by erosion: split at the mid-line');
    for (let p = 0; p < comp.length; p++) if (comp[p] !== 0) sides[p] = p % nx < midX ? LungLabel.right : LungLabel.left;
    return;
  }
  // breadth-first growth from both seeds inside the component
  const queue = new Int32Array(comp.length);
  let head = 0;
  let tail = 0;
  for (let p = 0; p < comp.length; p++) {
    if (seeds[p] !== 0) {
      sides[p] = seeds[p] as number;
      queue[tail++] = p;
    } else if (comp[p] !== 0) {
      sides[p] = 0;
    }
  }
  const nz = size[2];
  while (head < tail) {
    const p = queue[head++] as number;
    const l = sides[p] as number;
    const i = p % nx;
    const j = ((p - i) / nx) % ny;
    const k = Math.floor(p / slice);
    // 6 neighbours, inlined (no closure in this hot loop)
    let q = p - 1;
    if (i > 0 && comp[q] !== 0 && sides[q] === 0) {
      sides[q] = l;
      queue[tail++] = q;
    }
    q = p + 1;
    if (i < nx - 1 && comp[q] !== 0 && sides[q] === 0) {
      sides[q] = l;
      queue[tail++] = q;
    }
    q = p - nx;
    if (j > 0 && comp[q] !== 0 && sides[q] === 0) {
      sides[q] = l;
      queue[tail++] = q;
    }
    q = p + nx;
    if (j < ny - 1 && comp[q] !== 0 && sides[q] === 0) {
      sides[q] = l;
      queue[tail++] = q;
    }
    q = p - slice;
    if (k > 0 && comp[q] !== 0 && sides[q] === 0) {
      sides[q] = l;
      queue[tail++] = q;
    }
    q = p + slice;
    if (k < nz - 1 && comp[q] !== 0 && sides[q] === 0) {
      sides[q] = l;
      queue[tail++] = q;
    }
  }
}

/** Fills holes slice by slice, separately for each side (the space between the lungs stays empty). */
export function fillSidesHoles(sides: Uint8Array, size: Vec3): void {
  for (const s of [LungLabel.right, LungLabel.left]) {
    const m = new Uint8Array(sides.length);
    for (let p = 0; p < m.length; p++) if (sides[p] === s) m[p] = 1;
    const box = boundingBox(m, size);
    if (!box) continue;
    fillHolesSlices(m, size, 2, box);
    forEachInBox(box, size, (p) => {
      if (m[p] === 2 && sides[p] === 0) sides[p] = s;
    });
  }
}

/** Calls `fn` with the linear index of every voxel in the box (row by row). */
function forEachInBox(box: Box, size: Vec3, fn: (p: number) => void): void {
  const [nx, ny] = size;
  for (let k = box.k0; k < box.k1; k++) {
    for (let j = box.j0; j < box.j1; j++) {
      const row = j * nx + k * nx * ny;
      for (let p = row + box.i0, e = row + box.i1; p < e; p++) fn(p);
    }
  }
}

/** Per-slice box closing of each side, kept inside the body, off bone and off the other side. */
export function closeSides(sides: Uint8Array, size: Vec3, sp: Vec3, closingMm: number, body: Uint8Array, hu: Int16Array): void {
  if (closingMm <= 0) return;
  const r: Vec3 = [Math.max(1, Math.round(closingMm / sp[0])), Math.max(1, Math.round(closingMm / sp[1])), 0];
  for (const s of [LungLabel.right, LungLabel.left]) {
    const m = new Uint8Array(sides.length);
    for (let p = 0; p < m.length; p++) if (sides[p] === s) m[p] = 1;
    const box = boundingBox(m, size, [r[0] + 1, r[1] + 1, 0]);
    if (!box) continue;
    const closed = closeBox(m, size, r, box);
    forEachInBox(box, size, (p) => {
      if (closed[p] !== 0 && sides[p] === 0 && body[p] !== 0 && (hu[p] as number) < 200) sides[p] = s;
    });
  }
}
