import type { Volume } from '../../shared/domain/volume.ts';
import { bodyRadii, clampHu, copyVolume, sliceBody } from './artifact-volume.ts';
import { mulberry32 as prng } from '../../shared/util/mulberry32.ts';

// Structures around the patient painted by the artifact generator (lung-artifacts.ts): blanket
// folds, tubing, ECG electrodes and leads, mattress and table, arms.

/**
 * Blanket and gown folds: `layers` wavy sheets over the front and sides (|φ| ≤ 115° from
 * anterior), each at a gap from the skin that swings between 0 (touching) and `maxGapMm`.
 */
export function blanket(
  clean: Volume,
  seed: number,
  layers: number,
  maxGapMm: number,
  thickMm: readonly [number, number] = [1.5, 3],
  phiMax = 2.0,
): Volume {
  const { v, d } = copyVolume(clean);
  const [nx, ny, nz] = v.size;
  const sp = v.spacingMm[0];
  const rnd = prng(seed);
  const nAng = 720;
  const params = Array.from({ length: layers }, (_, L) => ({
    freq: 5 + Math.floor(rnd() * 6),
    phase: rnd() * 2 * Math.PI,
    zRate: 0.02 + rnd() * 0.05,
    offMm: L * (maxGapMm * 0.6),
    thickMm: thickMm[0] + rnd() * (thickMm[1] - thickMm[0]),
    hu: -100 + rnd() * 150,
  }));
  for (let k = 0; k < nz; k++) {
    const b = sliceBody(v, k);
    if (!b) continue;
    const radii = bodyRadii(b, nx, ny, nAng);
    const base = k * nx * ny;
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const p = base + i + j * nx;
        if ((d[p] as number) > -500) continue;
        const di = i - b.ci;
        const dj = j - b.cj;
        const phi = Math.atan2(di, -dj);
        if (Math.abs(phi) > phiMax) continue;
        const a = Math.min(nAng - 1, Math.max(0, Math.round(((phi + Math.PI) / (2 * Math.PI)) * nAng)));
        const rb = radii[a] as number;
        const r = Math.hypot(di, dj) * sp;
        for (const q of params) {
          const wave = Math.sin(q.freq * phi + q.phase + q.zRate * k * v.spacingMm[2]);
          const gap = Math.max(0, q.offMm + maxGapMm * (0.5 + 0.5 * wave) - 0.25 * maxGapMm);
          const rs = rb * sp + gap;
          if (Math.abs(r - rs - q.thickMm / 2) <= q.thickMm / 2) {
            d[p] = clampHu(q.hu + 20 * Math.sin(i * 0.7 + j * 1.3));
            break;
          }
        }
      }
    }
  }
  return v;
}

/** Paints a filled disc (in-plane) of radius `rMm` at (ci, cj, k) where `where(p)` holds. */
export function disc(
  v: Volume,
  d: Int16Array,
  ci: number,
  cj: number,
  k: number,
  rMm: number,
  hu: (p: number, r: number) => number,
  where: (p: number) => boolean = () => true,
): void {
  const [nx, ny, nz] = v.size;
  if (k < 0 || k >= nz) return;
  const sp = v.spacingMm[0];
  const rv = rMm / sp;
  for (let j = Math.max(0, Math.floor(cj - rv)); j <= Math.min(ny - 1, Math.ceil(cj + rv)); j++) {
    for (let i = Math.max(0, Math.floor(ci - rv)); i <= Math.min(nx - 1, Math.ceil(ci + rv)); i++) {
      const r = Math.hypot(i - ci, j - cj) * sp;
      if (r > rMm) continue;
      const p = i + j * nx + k * nx * ny;
      if (where(p)) d[p] = clampHu(hu(p, r));
    }
  }
}

export const tube =
  (outer: number, wall: number) =>
  (_p: number, r: number): number =>
    r >= outer - wall ? 80 : -1000;

/** Oxygen tubing: one tube lying along the anterior chest wall, one in the air, one looping in-plane. */
export function tubing(clean: Volume, seed: number): Volume {
  const { v, d } = copyVolume(clean);
  const [nx, ny, nz] = v.size;
  const sp = v.spacingMm[0];
  const rnd = prng(seed);
  const air = (p: number): boolean => (clean.data[p] as number) < -500;
  const mid = sliceBody(clean, Math.floor(nz / 2));
  if (!mid) return v;
  const ph = rnd() * 6;
  for (let k = 0; k < nz; k++) {
    const b = sliceBody(clean, k);
    if (!b) continue;
    // tube 1: on the skin, anterior, wandering left-right
    const i1 = b.ci + (b.iMax - b.iMin) * 0.25 * Math.sin(ph + k * 0.05);
    let j1 = b.jMin;
    for (let j = 0; j < ny; j++) {
      if (b.mask[Math.round(i1) + j * nx] !== 0) {
        j1 = j;
        break;
      }
    }
    disc(v, d, i1, j1 - 3 / sp, k, 3, tube(3, 1), air);
    // tube 2: free in the air in front of the body, 15–40 mm off the skin
    const i2 = b.ci - (b.iMax - b.iMin) * 0.3;
    disc(v, d, i2, b.jMin - (15 + 12 * (1 + Math.sin(ph + k * 0.08))) / sp, k, 3, tube(3, 1), air);
  }
  // tube 3: a loop in the axial plane around the upper chest (one slab of slices)
  const kLoop = Math.floor(nz * 0.7);
  const bl = sliceBody(clean, kLoop);
  if (bl) {
    const R = ((bl.iMax - bl.iMin) / 2) * sp + 25;
    for (let dk = -1; dk <= 1; dk++) {
      for (let t = 0; t < 2 * Math.PI; t += 0.4 / R) {
        const ci = bl.ci + (Math.cos(t) * R) / sp;
        const cj = bl.cj + (Math.sin(t) * R * 0.8) / sp;
        if (ci < 0 || cj < 0 || ci >= nx || cj >= ny) continue;
        disc(v, d, ci, cj, kLoop + dk, dk === 0 ? 3 : 2, tube(dk === 0 ? 3 : 2, 1), air);
      }
    }
  }
  return v;
}

/** ECG electrodes on the anterior/lateral chest wall and metal lead wires running out of the field. */
export function ecg(clean: Volume, seed: number): Volume {
  const { v, d } = copyVolume(clean);
  const [nx, ny, nz] = v.size;
  const sp = v.spacingMm[0];
  const rnd = prng(seed);
  const air = (p: number): boolean => (clean.data[p] as number) < -500;
  const electrodes = Array.from({ length: 5 }, () => ({
    k: Math.floor(nz * (0.3 + 0.5 * rnd())),
    phi: -1.4 + 2.8 * rnd(),
  }));
  for (const e of electrodes) {
    const b = sliceBody(clean, e.k);
    if (!b) continue;
    const radii = bodyRadii(b, nx, ny, 720);
    const a = Math.round(((e.phi + Math.PI) / (2 * Math.PI)) * 720);
    const rb = radii[a] as number;
    const di = Math.sin(e.phi);
    const dj = -Math.cos(e.phi);
    // electrode: foam disc 2 mm thick (slab of ±8 mm along z), metal snap at its centre
    const slabs = Math.max(1, Math.round(8 / v.spacingMm[2]));
    for (let dk = -slabs; dk <= slabs; dk++) {
      for (let t = 0; t <= 2 / sp; t += 0.5) {
        disc(v, d, b.ci + di * (rb + 1 + t), b.cj + dj * (rb + 1 + t), e.k + dk, 3, () => 100, air);
      }
    }
    disc(v, d, b.ci + di * (rb + 3 / sp), b.cj + dj * (rb + 3 / sp), e.k, 2.5, () => 3000, air);
    // lead wire: from the snap outwards, curving, to the edge of the field (one slice)
    let x = b.ci + di * (rb + 3 / sp);
    let y = b.cj + dj * (rb + 3 / sp);
    const bend = (rnd() - 0.5) * 0.01;
    let ang = Math.atan2(dj, di);
    for (let s = 0; s < 2000; s++) {
      x += Math.cos(ang) * 0.5;
      y += Math.sin(ang) * 0.5;
      ang += bend;
      if (x < 0 || y < 0 || x >= nx || y >= ny) break;
      disc(v, d, x, y, e.k, 0.7, () => 2000, air);
    }
  }
  return v;
}

/** A 30 mm foam mattress (−150 HU) hugging the body's back and sides, and a second table plate. */
export function tableMattress(clean: Volume, seed: number): Volume {
  const { v, d } = copyVolume(clean);
  const [nx, ny, nz] = v.size;
  const sp = v.spacingMm[0];
  const rnd = prng(seed);
  const noise = Array.from({ length: 64 }, () => rnd() * 30 - 15);
  const mattressMm = 30;
  for (let k = 0; k < nz; k++) {
    const b = sliceBody(clean, k);
    if (!b) continue;
    const jBack = b.cj + (b.jMax - b.cj) * 0.55; // mattress from the lower half of the body down
    const jEnd = Math.min(ny - 1, b.jMax + mattressMm / sp);
    const iL = Math.max(0, b.iMin - 40 / sp);
    const iR = Math.min(nx - 1, b.iMax + 40 / sp);
    for (let j = Math.ceil(jBack); j <= jEnd; j++) {
      for (let i = Math.ceil(iL); i <= iR; i++) {
        const p = i + j * nx + k * nx * ny;
        if ((d[p] as number) < -500) d[p] = clampHu(-150 + (noise[(i * 7 + j * 13) & 63] as number));
      }
    }
    // table plate: 8 mm of +300 HU below the mattress, curved up at the sides
    for (let i = Math.ceil(iL); i <= iR; i++) {
      const x = (i - b.ci) / ((iR - iL) / 2);
      const lift = 15 * x * x;
      for (let t = 0; t < 8 / sp; t++) {
        const j = Math.round(jEnd + 1 + t - lift / sp);
        if (j < 0 || j >= ny) continue;
        const p = i + j * nx + k * nx * ny;
        if ((d[p] as number) < -500) d[p] = 300;
      }
    }
  }
  return v;
}

/** Arms down beside the chest, touching the chest wall with an air pocket trapped in the axilla. */
export function arms(clean: Volume, seed: number): Volume {
  const { v, d } = copyVolume(clean);
  const [nx, ny, nz] = v.size;
  const sp = v.spacingMm[0];
  const rnd = prng(seed);
  const ph = rnd() * 6;
  for (let k = 0; k < nz; k++) {
    const b = sliceBody(clean, k);
    if (!b) continue;
    for (const side of [-1, 1]) {
      const edge = side < 0 ? b.iMin : b.iMax;
      // arm: ellipse 40 × 55 mm (semi-axes), overlapping the chest wall by 0–6 mm
      const a = 40 / sp;
      const bb = 55 / sp;
      const overlap = (3 + 3 * Math.sin(ph + side + k * 0.1)) / sp;
      const ci = edge + side * (a - overlap);
      const cj = b.cj;
      for (let j = Math.max(0, Math.floor(cj - bb)); j <= Math.min(ny - 1, Math.ceil(cj + bb)); j++) {
        for (let i = Math.max(0, Math.floor(ci - a)); i <= Math.min(nx - 1, Math.ceil(ci + a)); i++) {
          const e = ((i - ci) / a) ** 2 + ((j - cj) / bb) ** 2;
          if (e > 1) continue;
          const p = i + j * nx + k * nx * ny;
          if ((clean.data[p] as number) > -500) continue; // the chest stays as it is
          const rBone = Math.hypot(i - ci, j - cj) * sp;
          d[p] = rBone < 7 ? 250 : rBone < 12 ? 900 : e > 0.8 ? -100 : 45;
        }
      }
      // axillary air pocket at the contact: 6 × 30 mm, between arm and chest wall
      const pi0 = edge + side * 2;
      for (let j = Math.floor(cj - 15 / sp); j <= Math.ceil(cj + 15 / sp); j++) {
        for (let i = Math.floor(pi0 - 3 / sp); i <= Math.ceil(pi0 + 3 / sp); i++) {
          if (i < 0 || j < 0 || i >= nx || j >= ny) continue;
          const e = ((i - pi0) / (3 / sp)) ** 2 + ((j - cj) / (15 / sp)) ** 2;
          if (e <= 1) d[i + j * nx + k * nx * ny] = -990;
        }
      }
    }
  }
  return v;
}
