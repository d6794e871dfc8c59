/**
 * Deterministic generator of everyday CT artifacts and anatomy variants, painted into a real HU
 * series (axes LPS-aligned: i → patient left, j → posterior, k → superior; use
 * `reorientToLps` first). Each variant says how its lung volume relates to the clean series'
 * so that a lung mask can be checked against it.
 *
 * The structures are what real chest CT shows around and inside the patient:
 * - blanket / gown folds: thin wavy sheets (1.5–3 mm, −100…+50 HU) over the front and sides of the
 *   body, touching the skin in places, draped down to table level (they enclose air pockets);
 * - oxygen tubing: thin walled cylinders (Ø 6 mm, wall 1 mm, +80 HU) in the air, one lying on the
 *   skin, one looping in-plane;
 * - ECG electrodes (foam disc + metal snap) on the chest wall and lead wires (metal, Ø 1.4 mm)
 *   running through the air out of the field;
 * - a mattress (−150 HU foam, 30 mm) and a second table plate (+300 HU) under and beside the body;
 * - a circular field of view cutting the sides of the body, outside it the padding value
 *   (−1024 as the importer maps it, or −3024 / −2048 raw as when a file has no padding tag);
 * - arms down beside the chest (soft tissue, fat rim, humerus), touching the chest wall with an
 *   air pocket trapped in the axilla;
 * - dense dependent lower lobes (+20…+40 HU consolidation / effusion-like), emphysema (patches of
 *   −980 HU), and a post-surgery left lung (lower half replaced by soft tissue, as after a lower
 *   lobectomy with a raised hemidiaphragm).
 *
 * Randomness comes from a seeded PRNG (mulberry32): the same seed gives the same voxels.
 */
import type { LabelMap } from '../../shared/domain/label-map.ts';
import { mulberry32 } from '../../shared/util/mulberry32.ts';
import type { Volume } from '../../shared/domain/volume.ts';

/** How a variant's expected lung volume follows from the clean series' lung mask. */
export interface ArtifactResult {
  readonly volume: Volume;
  /** Expected lung volume in mL, from the clean mask (same for added structures outside the lungs). */
  readonly expectedLungMl: number;
  /** Expected right / left volumes in mL. */
  readonly expectedRightMl: number;
  readonly expectedLeftMl: number;
}

/** One artifact variant. */
export interface ArtifactVariant {
  readonly name: string;
  readonly description: string;
  /** Paints the variant into a copy of `clean`; `cleanLung` is the clean series' lung mask (1 right, 2 left). */
  readonly apply: (clean: Volume, cleanLung: LabelMap, seed?: number) => ArtifactResult;
}

/** The project's deterministic PRNG (mulberry32), in [0, 1). */
export const prng = mulberry32;

const clampHu = (x: number): number => Math.max(-32768, Math.min(32767, Math.round(x)));

/** Per-slice outline of the body: largest 4-connected region ≥ −300 HU of each slice. */
interface SliceBody {
  readonly mask: Uint8Array; // nx*ny
  readonly ci: number;
  readonly cj: number;
  readonly iMin: number;
  readonly iMax: number;
  readonly jMin: number;
  readonly jMax: number;
}

function sliceBody(v: Volume, k: number): SliceBody | null {
  const [nx, ny] = v.size;
  const slice = nx * ny;
  const base = k * slice;
  const lab = new Int32Array(slice);
  const queue = new Int32Array(slice);
  let best = 0;
  let bestSize = 0;
  let next = 0;
  for (let p = 0; p < slice; p++) {
    if (lab[p] !== 0 || (v.data[base + p] as number) < -300) continue;
    next++;
    let head = 0;
    let tail = 0;
    queue[tail++] = p;
    lab[p] = next;
    while (head < tail) {
      const q = queue[head++] as number;
      const i = q % nx;
      const nbs = [i > 0 ? q - 1 : -1, i < nx - 1 ? q + 1 : -1, q - nx, q + nx];
      for (const r of nbs) {
        if (r < 0 || r >= slice || lab[r] !== 0 || (v.data[base + r] as number) < -300) continue;
        lab[r] = next;
        queue[tail++] = r;
      }
    }
    if (tail > bestSize) {
      bestSize = tail;
      best = next;
    }
  }
  if (bestSize < 100) return null;
  const mask = new Uint8Array(slice);
  let si = 0;
  let sj = 0;
  let iMin = nx;
  let iMax = -1;
  let jMin = ny;
  let jMax = -1;
  for (let p = 0; p < slice; p++) {
    if (lab[p] !== best) continue;
    mask[p] = 1;
    const i = p % nx;
    const j = (p - i) / nx;
    si += i;
    sj += j;
    if (i < iMin) iMin = i;
    if (i > iMax) iMax = i;
    if (j < jMin) jMin = j;
    if (j > jMax) jMax = j;
  }
  return { mask, ci: si / bestSize, cj: sj / bestSize, iMin, iMax, jMin, jMax };
}

function copyVolume(v: Volume): { v: Volume; d: Int16Array } {
  const d = new Int16Array(v.data);
  return { v: { ...v, data: d }, d };
}

function lungMl(lung: LabelMap, keep?: (p: number, label: number) => boolean): { r: number; l: number } {
  const ml = (lung.spacingMm[0] * lung.spacingMm[1] * lung.spacingMm[2]) / 1000;
  let r = 0;
  let l = 0;
  for (let p = 0; p < lung.data.length; p++) {
    const x = lung.data[p] as number;
    if (x === 0 || (keep && !keep(p, x))) continue;
    if (x === 1) r++;
    else l++;
  }
  return { r: r * ml, l: l * ml };
}

function sameLung(volume: Volume, lung: LabelMap): ArtifactResult {
  const { r, l } = lungMl(lung);
  return { volume, expectedLungMl: r + l, expectedRightMl: r, expectedLeftMl: l };
}

/** Radius of the body along each of `nAng` rays from (ci, cj), in voxels (anisotropic-safe: i/j spacing equal here). */
function bodyRadii(b: SliceBody, nx: number, ny: number, nAng: number): Float64Array {
  const out = new Float64Array(nAng);
  for (let a = 0; a < nAng; a++) {
    const phi = (2 * Math.PI * a) / nAng - Math.PI; // 0 = anterior (−j), +π/2 = patient left (+i)
    const di = Math.sin(phi);
    const dj = -Math.cos(phi);
    let rMax = 0;
    for (let r = 0; r < Math.max(nx, ny); r += 0.5) {
      const i = Math.round(b.ci + di * r);
      const j = Math.round(b.cj + dj * r);
      if (i < 0 || j < 0 || i >= nx || j >= ny) break;
      if (b.mask[i + j * nx] !== 0) rMax = r;
    }
    out[a] = rMax;
  }
  return out;
}

/**
 * Blanket and gown folds: `layers` wavy sheets over the front and sides (|φ| ≤ 115° from
 * anterior), each at a gap from the skin that swings between 0 (touching) and `maxGapMm`.
 */
function blanket(
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
function disc(
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

const tube = (outer: number, wall: number) => (_p: number, r: number): number =>
  r >= outer - wall ? 80 : -1000;

/** Oxygen tubing: one tube lying along the anterior chest wall, one in the air, one looping in-plane. */
function tubing(clean: Volume, seed: number): Volume {
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
function ecg(clean: Volume, seed: number): Volume {
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
function tableMattress(clean: Volume, seed: number): Volume {
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
function arms(clean: Volume, seed: number): Volume {
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

/** Lung z-range (slices holding lung) and per-slice posterior j range of the lung mask. */
function lungExtent(lung: LabelMap): { k0: number; k1: number; j0: number; j1: number } {
  const [nx, ny, nz] = lung.size;
  let k0 = nz;
  let k1 = -1;
  let j0 = ny;
  let j1 = -1;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const row = j * nx + k * nx * ny;
      for (let i = 0; i < nx; i++) {
        if (lung.data[row + i] === 0) continue;
        if (k < k0) k0 = k;
        if (k > k1) k1 = k;
        if (j < j0) j0 = j;
        if (j > j1) j1 = j;
      }
    }
  }
  return { k0, k1, j0, j1 };
}

/**
 * Dense dependent lung: in the lower `fraction` of the lungs' height, the lung voxels within
 * `bandMm` of the posterior lung border of their column (i, k) → `hu0` … `hu0 + huSpread` HU
 * (consolidation of the dependent lower lobes, or an effusion-like smooth fluid layer).
 */
function denseDependent(
  clean: Volume,
  lung: LabelMap,
  seed: number,
  fraction: number,
  bandMm: number,
  hu0: number,
  huSpread: number,
): Volume {
  const { v, d } = copyVolume(clean);
  const [nx, ny, nz] = v.size;
  const ext = lungExtent(lung);
  const kTop = ext.k0 + (ext.k1 - ext.k0) * fraction;
  const band = bandMm / v.spacingMm[1];
  const rnd = prng(seed);
  const noise = Array.from({ length: 256 }, () => rnd() * huSpread);
  for (let k = ext.k0; k <= kTop && k < nz; k++) {
    for (let i = 0; i < nx; i++) {
      let jBack = -1;
      for (let j = ny - 1; j >= 0; j--) {
        if (lung.data[i + j * nx + k * nx * ny] !== 0) {
          jBack = j;
          break;
        }
      }
      if (jBack < 0) continue;
      for (let j = Math.max(0, Math.ceil(jBack - band)); j <= jBack; j++) {
        const p = i + j * nx + k * nx * ny;
        if (lung.data[p] !== 0) d[p] = clampHu(hu0 + (noise[(i * 31 + j * 17 + k * 7) & 255] as number));
      }
    }
  }
  return v;
}

/** Lungs opened by a circular field of view: returns the volume and the clean lung kept inside it. */
function fovCutLung(clean: Volume, lung: LabelMap, insideMm: number, padHu: number): { volume: Volume; keep: (p: number) => boolean } {
  const [nx, ny] = clean.size;
  const sp = clean.spacingMm[0];
  const ci = (nx - 1) / 2;
  const cj = (ny - 1) / 2;
  let rMax = 0;
  for (let p = 0; p < lung.data.length; p++) {
    if (lung.data[p] === 0) continue;
    const i = p % nx;
    const j = Math.floor(p / nx) % ny;
    rMax = Math.max(rMax, Math.hypot(i - ci, j - cj));
  }
  const R = rMax + insideMm / sp;
  const inside = (p: number): boolean => {
    const i = p % nx;
    const j = Math.floor(p / nx) % ny;
    return Math.hypot(i - ci, j - cj) <= R;
  };
  const d = new Int16Array(clean.data);
  for (let p = 0; p < d.length; p++) if (!inside(p)) d[p] = padHu;
  return { volume: { ...clean, data: d }, keep: inside };
}

/** Emphysema: `count` spheres of −980 HU (radius 4–18 mm) inside the lungs. */
function emphysema(clean: Volume, lung: LabelMap, seed: number, count: number): Volume {
  const { v, d } = copyVolume(clean);
  const [nx, ny, nz] = v.size;
  const [sx, sy, sz] = v.spacingMm;
  const rnd = prng(seed);
  const lungIdx: number[] = [];
  for (let p = 0; p < lung.data.length; p += 97) if (lung.data[p] !== 0) lungIdx.push(p);
  for (let c = 0; c < count && lungIdx.length > 0; c++) {
    const p0 = lungIdx[Math.floor(rnd() * lungIdx.length)] as number;
    const i0 = p0 % nx;
    const j0 = Math.floor(p0 / nx) % ny;
    const k0 = Math.floor(p0 / (nx * ny));
    const r = 4 + rnd() * 14;
    for (let k = Math.max(0, Math.floor(k0 - r / sz)); k <= Math.min(nz - 1, Math.ceil(k0 + r / sz)); k++) {
      for (let j = Math.max(0, Math.floor(j0 - r / sy)); j <= Math.min(ny - 1, Math.ceil(j0 + r / sy)); j++) {
        for (let i = Math.max(0, Math.floor(i0 - r / sx)); i <= Math.min(nx - 1, Math.ceil(i0 + r / sx)); i++) {
          const dd = ((i - i0) * sx) ** 2 + ((j - j0) * sy) ** 2 + ((k - k0) * sz) ** 2;
          const p = i + j * nx + k * nx * ny;
          if (dd <= r * r && lung.data[p] !== 0) d[p] = clampHu(-980 + 10 * Math.sin(p));
        }
      }
    }
  }
  return v;
}

/** Post-surgery: the lower half of the left lung replaced by soft tissue (+40 HU). */
function smallLeftLung(clean: Volume, lung: LabelMap): { volume: Volume; kCut: number } {
  const { v, d } = copyVolume(clean);
  const [nx, ny] = v.size;
  let k0 = Infinity;
  let k1 = -1;
  for (let p = 0; p < lung.data.length; p++) {
    if (lung.data[p] !== 2) continue;
    const k = Math.floor(p / (nx * ny));
    if (k < k0) k0 = k;
    if (k > k1) k1 = k;
  }
  const kCut = Math.round((k0 + k1) / 2);
  for (let p = 0; p < lung.data.length; p++) {
    if (lung.data[p] === 2 && Math.floor(p / (nx * ny)) < kCut) d[p] = clampHu(40 + 8 * Math.sin(p * 0.37));
  }
  return { volume: v, kCut };
}

/** Every variant, in a fixed order. */
export const ARTIFACT_VARIANTS: readonly ArtifactVariant[] = [
  {
    name: 'blanket',
    description: 'two wavy blanket/gown sheets (−100…+50 HU, 1.5–3 mm) over front and sides, touching the skin in places',
    apply: (c, l, s = 1) => sameLung(blanket(c, s, 2, 20), l),
  },
  {
    name: 'blanket-folds',
    description: 'four close wavy sheets (piled folds up to ~10 mm) over front and sides',
    apply: (c, l, s = 2) => sameLung(blanket(c, s, 4, 8), l),
  },
  {
    name: 'heavy-blanket',
    description: 'a thick folded blanket (10–14 mm, −100…+50 HU) lying on the skin in places and draped down to the table, enclosing air pockets',
    apply: (c, l, s = 11) => sameLung(blanket(c, s, 1, 30, [10, 14], 2.8), l),
  },
  {
    name: 'tubing',
    description: 'oxygen tubing (Ø 6 mm, wall 1 mm): on the skin, free in the air, one in-plane loop',
    apply: (c, l, s = 3) => sameLung(tubing(c, s), l),
  },
  {
    name: 'ecg',
    description: 'five ECG electrodes (foam + metal snap) on the chest wall, metal lead wires to the edge',
    apply: (c, l, s = 4) => sameLung(ecg(c, s), l),
  },
  {
    name: 'table-mattress',
    description: '30 mm foam mattress (−150 HU) under and beside the body, second table plate (+300 HU)',
    apply: (c, l, s = 5) => sameLung(tableMattress(c, s), l),
  },
  {
    name: 'fov-cut',
    description: 'circular field of view (centred, 6 mm beyond the farthest lung voxel) cutting the body wall, outside = −1024',
    apply: (c, l) => sameLung(fovCutLung(c, l, 6, -1024).volume, l),
  },
  {
    name: 'fov-cut-raw-padding',
    description: 'the same field-of-view cut with the raw padding −3024 left in the voxels',
    apply: (c, l) => sameLung(fovCutLung(c, l, 6, -3024).volume, l),
  },
  {
    name: 'arms-down',
    description: 'arms beside the chest touching the chest wall, air trapped in the axillae',
    apply: (c, l, s = 6) => sameLung(arms(c, s), l),
  },
  {
    name: 'dense-lower-lobes',
    description: 'dependent consolidation: 40 mm posterior band of the lower half of both lungs at +20…+40 HU',
    apply: (c, l, s = 7) => sameLung(denseDependent(c, l, s, 0.5, 40, 20, 20), l),
  },
  {
    name: 'effusion',
    description: 'smooth dependent fluid: 60 mm posterior band of the lower 40 % of both lungs at +5…+15 HU',
    apply: (c, l, s = 12) => sameLung(denseDependent(c, l, s, 0.4, 60, 5, 10), l),
  },
  {
    name: 'fov-cut-lung',
    description: 'circular field of view 10 mm inside the farthest lung voxel: both lungs opened to the outside (−3024)',
    apply: (c, l) => {
      const { volume, keep } = fovCutLung(c, l, -10, -3024);
      const { r, l: left } = lungMl(l, (p) => keep(p));
      return { volume, expectedLungMl: r + left, expectedRightMl: r, expectedLeftMl: left };
    },
  },
  {
    name: 'emphysema',
    description: '60 emphysema patches (−980 HU spheres, radius 4–18 mm) inside the lungs',
    apply: (c, l, s = 8) => sameLung(emphysema(c, l, s, 60), l),
  },
  {
    name: 'post-surgery',
    description: 'left lung lower half replaced by soft tissue (+40 HU): one lung much smaller',
    apply: (c, l) => {
      const { volume, kCut } = smallLeftLung(c, l);
      const [nx, ny] = l.size;
      const { r, l: left } = lungMl(l, (p, x) => x === 1 || Math.floor(p / (nx * ny)) >= kCut);
      return { volume, expectedLungMl: r + left, expectedRightMl: r, expectedLeftMl: left };
    },
  },
  {
    name: 'combined',
    description: 'blanket + tubing + ECG + mattress + arms + raw-padding field-of-view cut together',
    apply: (c, l, s = 9) => {
      let v = blanket(c, s, 2, 20);
      v = tubing(v, s + 1);
      v = ecg(v, s + 2);
      v = tableMattress(v, s + 3);
      v = arms(v, s + 4);
      v = fovCutLung(v, l, 6, -3024).volume;
      return sameLung(v, l);
    },
  },
];
