/**
 * Writes the synthetic sample chest CT used by tests, the benchmark and demos:
 *
 *   test/fixtures/sample-case/sample-chest-ct.nii.gz          int16 HU
 *   test/fixtures/sample-case/sample-chest-ct-lesions.nii.gz  uint8 0 bg, 1 GGO, 2 high opacity
 *   test/fixtures/sample-case/sample-chest-ct-lungs.nii.gz    uint8 0 outside, 1 right lung, 2 left lung
 *
 * Run: `node_modules/.bin/node --import tsx scripts/make-sample-case.ts [--out DIR] [--png DIR]`
 *
 * Deterministic: every random number comes from a seeded generator (mulberry32, seed below), the
 * NIfTI writer sets the gzip time stamp to 0, so the same code gives byte-identical files.
 *
 * The phantom is an analytic model evaluated at each voxel centre (mm, patient LPS: x → patient
 * left, y → posterior, z → head), 256×256×108 voxels of 1.4×1.4×2.5 mm (270 mm from the upper abdomen to the neck), supine, head first:
 * body ellipse with subcutaneous fat (−100 HU) and muscle (+40), ribs along an oblique helix
 * (cortex +900, marrow +350), costal cartilage, vertebrae with discs and canal, scapulae,
 * sternum, mediastinum (heart with pericardial fat, ascending/descending aorta and arch, +40),
 * diaphragm domes with liver, spleen and a stomach holding a gas bubble, a CT table; lung
 * parenchyma from −920 HU anterior to −850 HU posterior (supine dependent gradient) with a faint
 * regional texture (±8 HU), a space-filling vessel tree (about 16,000 segments from 17 trunks per
 * hilum, more of them to the dependent bases, radii tapering 4.5 → 0.35 mm, blood +40 HU) drawn
 * with partial volume (each vessel a cylinder blurred by a Gaussian of σ ≈ 0.64 mm: soft-kernel
 * PSF and voxel size), trachea, main and lobar bronchi (lumen −1000, walls +40); lesions: two
 * peripheral GGOs (about −520 HU, vessels still visible), a consolidation touching the lateral
 * pleura (−50…+30 HU with air bronchograms) and a dependent right pleural effusion (0…+20 HU).
 * Healthy lung (truth lung minus lesions) then has its histogram mode near −900 HU and a mean near
 * −820 HU, as a real lung at full inspiration.
 * Noise: correlated (per slice, in-plane NPS of a soft kernel), σ 18 HU, half-power frequency
 * 0.38 mm⁻¹: the figures measured on the real series (see NOISE_SIGMA_HU below), added inside the
 * body and table; the air around them is a flat −1000 HU and the corners outside the 178 mm scan
 * field are −1024 (this keeps the gzip file near 4.3 MB). The lung truth is the pleural cavity (lesions, effusion,
 * vessels and intrapulmonary bronchi included; trachea, main bronchi, hila and mediastinum
 * excluded).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import type { LabelMap } from '../shared/domain/label-map.ts';
import type { Volume } from '../shared/domain/volume.ts';
import { writeNifti } from '../shared/nifti/write-nifti.ts';
import { mulberry32 } from '../shared/util/mulberry32.ts';

export const SAMPLE_SEED = 20240607;
/** Healthy parenchyma without resolved vessels: anterior (non-dependent) level and the rise to posterior (HU). */
const PARENCHYMA_ANTERIOR_HU = -920;
const PARENCHYMA_GRADIENT_HU = 70;
/** Blood (unenhanced) inside the vessels, HU; and the smallest vessel radius drawn, mm. */
const VESSEL_HU = 40;
const VESSEL_MIN_R = 0.35;
const NX = 256;
const NY = 256;
const NZ = 108;
/** Internal height (mm above the lowest modelled level) of slice 0. */
const Z0 = 15;
const SXY = 1.4;
const SZ = 2.5;

const prng = mulberry32;

/** Standard normal deviates (Box–Muller) from a uniform generator. */
function gaussian(u: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const t = 2 * Math.PI * u();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
}

/** Marker value of the air around the body (written as a flat −1000 HU). */
const OUTSIDE_AIR = -1000.25;

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);
const mix = (a: number, b: number, w: number): number => a + (b - a) * w;

// ---- CT noise and blur -----------------------------------------------------------------------

/**
 * Noise amplitude and texture, from the real series of ../shared/data/chest-ct measured with
 * scripts/measure-ct-noise.ts (2 Dec 2026): global noise level 14 HU (LIDC-IDRI-0001), 20 HU
 * (RICORD 000082), 21 HU (4D-Lung 113), all soft/standard kernels; their noise power spectra fall
 * to half at 0.33, 0.42 and 0.38 mm⁻¹. The phantom uses a soft-kernel-like 18 HU and 0.38 mm⁻¹.
 */
export const NOISE_SIGMA_HU = 18;
export const NOISE_HALF_POWER_PER_MM = 0.38;
/**
 * In-plane NPS shape: ramp × Gaussian apodisation, NPS(f) ∝ f·exp(−f²/2s²), which peaks at s and
 * falls to half its peak at 1.92·s; s is set so that this half-power point is 0.38 mm⁻¹.
 */
const NPS_S = NOISE_HALF_POWER_PER_MM / 1.92;

/** In-place iterative radix-2 complex FFT (n a power of two); inverse when `inv`. */
function fft(re: Float64Array, im: Float64Array, inv: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] as number, re[i] as number];
      [im[i], im[j]] = [im[j] as number, im[i] as number];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = ((inv ? 2 : -2) * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const xr = (re[b] as number) * cr - (im[b] as number) * ci;
        const xi = (re[b] as number) * ci + (im[b] as number) * cr;
        re[b] = (re[a] as number) - xr;
        im[b] = (im[a] as number) - xi;
        re[a] = (re[a] as number) + xr;
        im[a] = (im[a] as number) + xi;
        const t = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = t;
      }
    }
  }
}

/**
 * Amplitude filter (NX×NY, DFT order) giving white noise the NPS above as sampled on the 1.4 mm
 * grid: the continuous spectrum aliased into the grid's band (replicas within ±2 sampling rates),
 * normalised so that filtered unit white noise has unit variance.
 */
function noiseFilter(): Float64Array {
  const h = new Float64Array(NX * NY);
  const fs = 1 / SXY;
  const nps = (f: number): number => f * Math.exp(-(f * f) / (2 * NPS_S * NPS_S));
  let sum = 0;
  for (let v = 0; v < NY; v++) {
    const fy = (v <= NY / 2 ? v : v - NY) / (NY * SXY);
    for (let w = 0; w < NX; w++) {
      const fx = (w <= NX / 2 ? w : w - NX) / (NX * SXY);
      let p = 0;
      for (let a = -2; a <= 2; a++) {
        for (let b = -2; b <= 2; b++) p += nps(Math.hypot(fx + a * fs, fy + b * fs));
      }
      h[w + v * NX] = p;
      sum += p;
    }
  }
  const scale = (NX * NY) / sum;
  for (let q = 0; q < h.length; q++) h[q] = Math.sqrt((h[q] as number) * scale);
  return h;
}

/** One slice of correlated noise (unit variance) from seeded white noise, filtered via the FFT. */
function correlatedNoiseSlice(filter: Float64Array, white: () => number): Float64Array {
  const re = new Float64Array(NX * NY);
  const im = new Float64Array(NX * NY);
  for (let q = 0; q < re.length; q++) re[q] = white();
  const rowRe = new Float64Array(NX);
  const rowIm = new Float64Array(NX);
  const colRe = new Float64Array(NY);
  const colIm = new Float64Array(NY);
  const pass = (inv: boolean): void => {
    for (let j = 0; j < NY; j++) {
      for (let i = 0; i < NX; i++) {
        rowRe[i] = re[i + j * NX] as number;
        rowIm[i] = im[i + j * NX] as number;
      }
      fft(rowRe, rowIm, inv);
      for (let i = 0; i < NX; i++) {
        re[i + j * NX] = rowRe[i] as number;
        im[i + j * NX] = rowIm[i] as number;
      }
    }
    for (let i = 0; i < NX; i++) {
      for (let j = 0; j < NY; j++) {
        colRe[j] = re[i + j * NX] as number;
        colIm[j] = im[i + j * NX] as number;
      }
      fft(colRe, colIm, inv);
      for (let j = 0; j < NY; j++) {
        re[i + j * NX] = colRe[j] as number;
        im[i + j * NX] = colIm[j] as number;
      }
    }
  };
  pass(false);
  for (let q = 0; q < re.length; q++) {
    re[q] = (re[q] as number) * (filter[q] as number);
    im[q] = (im[q] as number) * (filter[q] as number);
  }
  pass(true);
  const norm = 1 / (NX * NY);
  for (let q = 0; q < re.length; q++) re[q] = (re[q] as number) * norm;
  return re;
}

/**
 * Effective blur (mm, Gaussian σ) of small structures: a soft-kernel point spread function
 * (σ 0.5 mm, MTF 50 % near 0.38 mm⁻¹) combined with the 1.4 mm voxel (σ 1.4/√12 ≈ 0.4 mm).
 */
const BLUR_SIGMA = Math.hypot(0.5, SXY / Math.sqrt(12));
const DISK_DR = 0.05;
const DISK_NR = 161; // radius 0 … 8 mm
const DISK_ND = 241; // distance 0 … 12 mm
/**
 * Partial-volume table: fraction of a cylinder of radius r seen at distance d from its axis after
 * a 2-D Gaussian blur of σ BLUR_SIGMA (the Gaussian mass within the disk, by quadrature).
 */
const DISK_TABLE = ((): Float32Array => {
  const t = new Float32Array(DISK_NR * DISK_ND);
  const s2 = BLUR_SIGMA * BLUR_SIGMA;
  const nq = 64;
  for (let id = 0; id < DISK_ND; id++) {
    const d = id * DISK_DR;
    // radial density of the blurred point at distance d, integrated over ρ in [0, r] incrementally
    let acc = 0;
    let prevR = 0;
    t[id] = 0;
    for (let ir = 1; ir < DISK_NR; ir++) {
      const r = ir * DISK_DR;
      const h = (r - prevR) / nq;
      for (let m = 0; m < nq; m++) {
        const rho = prevR + (m + 0.5) * h;
        // ∫ over angle of the 2-D Gaussian at distance |ρ e_θ − d| (Bessel I0 via the mean of exp)
        let ang = 0;
        for (let a = 0; a < 16; a++) {
          const c = Math.cos((Math.PI * (a + 0.5)) / 16);
          ang += Math.exp(-(rho * rho + d * d - 2 * rho * d * c) / (2 * s2));
        }
        acc += ((ang / 16) * rho * h) / s2;
      }
      prevR = r;
      t[ir * DISK_ND + id] = Math.min(1, acc);
    }
  }
  return t;
})();

/** Blurred-cylinder coverage (0…1) at distance d (mm) from the axis of a vessel of radius r (mm). */
function diskCover(r: number, d: number): number {
  const fr = Math.min(DISK_NR - 1.001, r / DISK_DR);
  const fd = d / DISK_DR;
  if (fd >= DISK_ND - 1) return 0;
  const ir = Math.floor(fr);
  const id = Math.floor(fd);
  const wr = fr - ir;
  const wd = fd - id;
  const at = (a: number, b: number): number => DISK_TABLE[a * DISK_ND + b] as number;
  return (1 - wr) * ((1 - wd) * at(ir, id) + wd * at(ir, id + 1)) + wr * ((1 - wd) * at(ir + 1, id) + wd * at(ir + 1, id + 1));
}

// ---- anatomy (internal z: 0 = bottom slice centre, mm) -------------------------------------

/** Body ellipse (centre y, semi-axes) at height z: chest below 255 mm, neck above 285 mm. */
function bodyAt(z: number): { cy: number; ax: number; ay: number } {
  const t = clamp01((z - 255) / 30);
  return { cy: mix(10, 15, t), ax: mix(165, 75, t), ay: mix(112, 62, t) };
}

/** Thoracic cavity ellipse at height z: widest at the bases, narrowing towards the apices. */
function cavityAt(z: number): { cy: number; ax: number; ay: number } {
  const t = clamp01((z - 140) / 120);
  return { cy: 12, ax: mix(130, 104, t), ay: mix(86, 80, t) };
}

/** Normalised elliptical radius of (x, y) in the thoracic cavity ellipse at height z (1 = pleura). */
function cavityRho(x: number, y: number, z: number): number {
  const c = cavityAt(z);
  return Math.hypot(x / c.ax, (y - c.cy) / c.ay);
}

/** Apex shaping: lungs narrow to the apices at z ≈ 270 mm. */
function insideApex(x: number, y: number, z: number): boolean {
  if (z <= 215) return true;
  const t2 = 1 - ((z - 215) / 55) ** 2;
  if (t2 <= 0) return false;
  const t = Math.sqrt(t2);
  const cx = x < 0 ? -58 : 58;
  return Math.hypot((x - cx) / (72 * t), (y - 8) / (62 * t)) < 1;
}

/** Height of the diaphragm dome under (x, y) for the side of x (right dome higher). */
function domeZ(x: number, y: number): number {
  const right = x < 0;
  const peak = right ? 110 : 100;
  const cx = right ? -62 : 62;
  return peak - 45 * (((x - cx) / 75) ** 2 + (y / 85) ** 2) - (14 * Math.max(0, y)) / 86;
}

/** Vertical thickness of a 5 mm diaphragm under (x, y): 5 mm along the dome's normal. */
function diaphragmZThickness(x: number, y: number): number {
  const cx = x < 0 ? -62 : 62;
  const gx = (90 * (x - cx)) / 75 ** 2;
  const gy = (90 * y) / 85 ** 2 + (y > 0 ? 14 / 86 : 0);
  return 5 * Math.sqrt(1 + gx * gx + gy * gy);
}

function distToSegment2(px: number, py: number, pz: number, a: readonly number[], b: readonly number[]): { d: number; t: number } {
  const [ax, ay, az] = a as [number, number, number];
  const dx = (b[0] as number) - ax;
  const dy = (b[1] as number) - ay;
  const dz = (b[2] as number) - az;
  const l2 = dx * dx + dy * dy + dz * dz;
  let t = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy + (pz - az) * dz) / l2 : 0;
  t = clamp01(t);
  return { d: Math.hypot(px - ax - t * dx, py - ay - t * dy, pz - az - t * dz), t };
}

const HILUM_R = [-38, -2, 170] as const;
const HILUM_L = [38, 0, 165] as const;
const CARINA = [0, -10, 185] as const;

/** Mediastinum (above the domes): heart, great vessels, hila, central band, posterior block. */
function inMediastinum(x: number, y: number, z: number): boolean {
  const ax = Math.abs(x);
  if (ax < 16) return true;
  if (ax < 30 && y > 35) return true;
  if (z > 165 && ax < 24 && y < 30) return true;
  if (((x - 12) / 60) ** 2 + ((y + 22) / 50) ** 2 + ((z - 120) / 48) ** 2 < 1) return true; // heart
  if (z > 55 && z < 218 && Math.hypot(x - 24, y - 45) < 13) return true; // descending aorta
  if (z > 150 && z < 225 && Math.hypot(x - 4, y + 28) < 15) return true; // ascending aorta
  if (z > 212 && z < 236 && distToSegment2(x, y, 0, [4, -28, 0], [24, 45, 0]).d < 13) return true; // arch
  for (const h of [HILUM_R, HILUM_L]) {
    // hilum: vessels and bronchi entering the lung, joined to the mediastinum
    const { d } = distToSegment2(
      x,
      y,
      z * 0.7,
      [Math.sign(h[0]) * 10, h[1], h[2] * 0.7],
      h.map((c, a) => (a === 2 ? c * 0.7 : c)),
    );
    if (d < 14) return true;
  }
  return false;
}

/** 0 = not lung, 1 = right, 2 = left: the pleural cavity of each side. */
function lungSide(x: number, y: number, z: number): 0 | 1 | 2 {
  if (z > 272) return 0;
  if (cavityRho(x, y, z) >= 1) return 0;
  if (!insideApex(x, y, z)) return 0;
  if (z < domeZ(x, y)) return 0;
  if (inMediastinum(x, y, z)) return 0;
  return x < 0 ? 1 : 2;
}

// airways: [start, end, lumen radius start, lumen radius end, wall mm]
type Tube = readonly [readonly number[], readonly number[], number, number, number];
const TRACHEA: Tube = [[0, -10, 300], CARINA, 8.5, 8.5, 2];
const MAIN_BRONCHI: Tube[] = [
  [CARINA, HILUM_R, 6.5, 6, 1.8],
  [CARINA, HILUM_L, 5.5, 5.2, 1.8],
];
const LOBAR_BRONCHI: Tube[] = [
  [HILUM_R, [-75, -35, 203], 4.2, 2.4, 1.2],
  [HILUM_R, [-88, -8, 160], 3.8, 2.2, 1.2],
  [HILUM_R, [-70, 28, 128], 4.2, 2.4, 1.2],
  [HILUM_L, [72, -30, 198], 4.0, 2.4, 1.2],
  [HILUM_L, [68, 30, 124], 4.0, 2.4, 1.2],
];

/** Lumen and wall coverage (0…1, partial volume over one voxel) of a set of tubes at a point. */
function tubeCover(tubes: readonly Tube[], x: number, y: number, z: number): { lumen: number; wall: number } {
  let lumen = 0;
  let wall = 0;
  for (const [a, b, r0, r1, w] of tubes) {
    const { d, t } = distToSegment2(x, y, z, a, b);
    const r = mix(r0, r1, t);
    lumen = Math.max(lumen, clamp01((r - d) / SXY + 0.5));
    wall = Math.max(wall, clamp01((r + w - d) / SXY + 0.5));
  }
  return { lumen, wall };
}

/** Rib cross-section: oblique bands descending anteriorly (12 ribs, 24 mm pitch, 10 mm tall). */
function ribAt(x: number, y: number, z: number): 'bone' | 'cartilage' | null {
  const rMean = 108;
  let radial = (cavityRho(x, y, z) - 1) * rMean; // mm outside the pleura
  if (z > 215) {
    // upper ribs hug the apices
    const t = Math.sqrt(Math.max(1e-3, 1 - ((z - 215) / 55) ** 2));
    const cx = x < 0 ? -58 : 58;
    const apex = (Math.hypot((x - cx) / (72 * t), (y - 8) / (62 * t)) - 1) * 67 * t;
    radial = Math.max(radial, apex);
  }
  if (radial < 1 || radial > 10) return null;
  if (y > 30 && Math.abs(x) < 20) return null; // vertebrae (ribs articulate beside them)
  if (z < 40 || z > 268) return null;
  const theta = Math.atan2(Math.abs(x), y - cavityAt(z).cy); // 0 posterior … π anterior
  const s = theta * rMean;
  for (let n = 0; n < 12; n++) {
    const zc = 78 + 22 * n - 0.55 * s + 0.0004 * s * s;
    if (Math.abs(z - zc) < 5) {
      return theta > 2.55 ? 'cartilage' : 'bone';
    }
  }
  return null;
}

interface Lesion {
  readonly c: readonly [number, number, number];
  readonly r: readonly [number, number, number];
  readonly phase: number;
}
const GGOS: Lesion[] = [
  { c: [-95, 35, 108], r: [28, 22, 30], phase: 0.7 },
  { c: [72, -32, 205], r: [20, 17, 22], phase: 2.1 },
];
const CONSOLIDATION: Lesion = { c: [120, 40, 112], r: [24, 20, 26], phase: 1.3 };
const BRONCHOGRAMS: Tube[] = [
  [[96, 40, 100], [128, 44, 124], 1.4, 1.0, 0],
  [[100, 30, 118], [126, 52, 110], 1.2, 0.9, 0],
];

/** Soft inside-ness (1 inside … 0 outside over `edge` mm) of an irregular ellipsoid lesion. */
function lesionWeight(l: Lesion, x: number, y: number, z: number, edge: number): number {
  const dx = (x - l.c[0]) / l.r[0];
  const dy = (y - l.c[1]) / l.r[1];
  const dz = (z - l.c[2]) / l.r[2];
  const rho = Math.hypot(dx, dy, dz);
  if (rho > 1.6) return 0;
  const az = Math.atan2(dy, dx);
  const el = Math.atan2(dz, Math.hypot(dx, dy));
  const wobble = 1 + 0.12 * Math.sin(3 * az + l.phase) * Math.cos(2 * el) + 0.07 * Math.sin(5 * el + 2 * l.phase);
  const meanR = (l.r[0] + l.r[1] + l.r[2]) / 3;
  return clamp01(((wobble - rho) * meanR) / edge + 0.5);
}

/** Right dependent pleural effusion: fluid level (y, posterior = down in supine) rising to the base. */
function effusionAt(x: number, y: number, z: number): boolean {
  if (x >= 0 || z > 118) return false;
  return y > 72 + Math.max(0, z - 80) * 0.75;
}

// ---- vessels ---------------------------------------------------------------------------------

interface Segment {
  readonly a: [number, number, number];
  readonly b: [number, number, number];
  readonly r: number;
}

function buildVesselTree(rand: () => number): Segment[] {
  const segs: Segment[] = [];
  const inLung = (p: readonly number[]): boolean => {
    const side = lungSide(p[0] as number, p[1] as number, p[2] as number);
    return side !== 0 && !effusionAt(p[0] as number, p[1] as number, p[2] as number);
  };
  // space filling: a branch may not end in, or cross, a 5 mm cell already holding another vessel
  const CELL = 5;
  const taken = new Set<number>();
  const cellKey = (p: readonly number[]): number =>
    Math.floor((p[0] as number) / CELL + 100) +
    256 * Math.floor((p[1] as number) / CELL + 100) +
    65536 * Math.floor((p[2] as number) / CELL + 10);
  const along = (a: readonly number[], b: readonly number[], fn: (k: number) => boolean): boolean => {
    const len = Math.hypot((b[0] as number) - (a[0] as number), (b[1] as number) - (a[1] as number), (b[2] as number) - (a[2] as number));
    const steps = Math.max(1, Math.ceil(len / 2));
    for (let s = 1; s <= steps; s++) {
      const t = s / steps;
      const p = [0, 1, 2].map((c) => mix(a[c] as number, b[c] as number, t));
      if (!fn(cellKey(p))) return false;
    }
    return true;
  };
  const free = (a: readonly number[], b: readonly number[]): boolean => {
    const own = cellKey(a);
    return along(a, b, (k) => k === own || !taken.has(k));
  };
  const occupy = (a: readonly number[], b: readonly number[]): void => {
    along(a, b, (k) => (taken.add(k), true));
  };
  const queue: [[number, number, number], [number, number, number], number, number, number][] = [];
  const grow = (a: [number, number, number], dirIn: [number, number, number], len: number, r: number, depth: number): void => {
    if (r < VESSEL_MIN_R || depth > 14) return;
    // try the given direction, then directions bent towards the lung's centre
    const centre = a[0] < 0 ? [-72, 10, 150] : [72, 10, 150];
    let dir = dirIn;
    let b: [number, number, number] | null = null;
    let l = len;
    for (let attempt = 0; attempt < 9 && !b; attempt++) {
      const bend = Math.floor(attempt / 3) / 3;
      const tc = [centre[0]! - a[0], centre[1]! - a[1], centre[2]! - a[2]];
      const tn = Math.hypot(tc[0]!, tc[1]!, tc[2]!) || 1;
      const d0 = [mix(dirIn[0], tc[0]! / tn, bend), mix(dirIn[1], tc[1]! / tn, bend), mix(dirIn[2], tc[2]! / tn, bend)];
      const dn = Math.hypot(d0[0]!, d0[1]!, d0[2]!) || 1;
      dir = [d0[0]! / dn, d0[1]! / dn, d0[2]! / dn];
      l = len * [1, 0.6, 0.35][attempt % 3]!;
      const cand: [number, number, number] = [a[0] + dir[0] * l, a[1] + dir[1] * l, a[2] + dir[2] * l];
      const mid: [number, number, number] = [a[0] + dir[0] * l * 0.5, a[1] + dir[1] * l * 0.5, a[2] + dir[2] * l * 0.5];
      if (inLung(cand) && (depth === 0 || inLung(mid)) && (depth < 2 || free(a, cand))) b = cand;
    }
    if (!b) return;
    segs.push({ a, b, r });
    occupy(a, b);
    for (let c = 0; c < 2; c++) {
      const angle = (0.3 + 0.35 * rand()) * (c === 0 ? 1 : -1);
      // random axis perpendicular to dir
      const rnd: [number, number, number] = [rand() - 0.5, rand() - 0.5, rand() - 0.5];
      const dot = rnd[0] * dir[0] + rnd[1] * dir[1] + rnd[2] * dir[2];
      const perp: [number, number, number] = [rnd[0] - dot * dir[0], rnd[1] - dot * dir[1], rnd[2] - dot * dir[2]];
      const pn = Math.hypot(...perp) || 1;
      const u: [number, number, number] = [perp[0] / pn, perp[1] / pn, perp[2] / pn];
      const nd: [number, number, number] = [
        dir[0] * Math.cos(angle) + u[0] * Math.sin(angle),
        dir[1] * Math.cos(angle) + u[1] * Math.sin(angle),
        dir[2] * Math.cos(angle) + u[2] * Math.sin(angle),
      ];
      const n = Math.hypot(...nd);
      queue.push([b, [nd[0] / n, nd[1] / n, nd[2] / n], l * (0.72 + 0.14 * rand()), r * (0.72 + 0.1 * rand()), depth + 1]);
    }
  };
  const trunks: [number, number, number][] = [
    [-0.4, -0.3, 0.85],
    [-0.4, 0.4, 0.8],
    [-0.9, -0.1, 0.3],
    [-0.95, 0.2, -0.1],
    [-0.5, 0.6, -0.6],
    [-0.5, -0.6, -0.6],
    [-0.8, 0.3, -0.5],
    [-0.2, 0.2, -0.95],
    [-0.6, 0.0, 0.8],
    [-0.7, -0.7, 0.1],
    [-0.7, 0.7, 0.1],
    [-0.3, 0.9, -0.3],
    [-0.4, -0.9, -0.2],
    [-0.9, 0.0, -0.4],
    // posterior basal and paravertebral branches: dependent lung is the best perfused
    [-0.3, 0.85, -0.45],
    [-0.1, 0.95, -0.3],
    [-0.2, 0.9, 0.3],
  ];
  for (const side of [-1, 1]) {
    const h = side < 0 ? HILUM_R : HILUM_L;
    for (const t of trunks) {
      const d: [number, number, number] = [side < 0 ? t[0] : -t[0], t[1], t[2]];
      const n = Math.hypot(...d);
      const dir: [number, number, number] = [d[0] / n, d[1] / n, d[2] / n];
      const start: [number, number, number] = [h[0] + dir[0] * 14, h[1] + dir[1] * 14, h[2] + dir[2] * 14];
      queue.push([start, dir, 30, 4.5, 0]);
    }
  }
  // breadth first, so that every trunk gets its share of the space
  for (let h = 0; h < queue.length; h++) grow(...(queue[h] as Parameters<typeof grow>));
  return segs;
}

// ---- generator -------------------------------------------------------------------------------

/** The sample case: CT volume (HU) and its lesion and lung truth, on one LPS-aligned grid. */
export interface SampleCase {
  readonly ct: Volume;
  readonly lesions: LabelMap;
  readonly lungs: LabelMap;
}

export function makeSampleCase(seed = SAMPLE_SEED): SampleCase {
  const u = prng(seed);
  const noise = gaussian(prng(seed ^ 0x5eed));
  const n = NX * NY * NZ;
  const hu = new Float32Array(n);
  const lungs = new Uint8Array(n);
  const lesions = new Uint8Array(n);
  const isEffusion = new Uint8Array(n);
  const xOf = (i: number): number => (i - (NX - 1) / 2) * SXY;
  const yOf = (j: number): number => (j - (NY - 1) / 2) * SXY;
  const zOf = (k: number): number => Z0 + k * SZ;
  // low-frequency texture for lung parenchyma and GGO (sum of a few random plane waves)
  const waves = Array.from({ length: 6 }, () => ({
    kx: (u() - 0.5) * 0.5,
    ky: (u() - 0.5) * 0.5,
    kz: (u() - 0.5) * 0.3,
    ph: u() * 6.283,
  }));
  const texture = (x: number, y: number, z: number): number => {
    let s = 0;
    for (const w of waves) s += Math.sin(w.kx * x + w.ky * y + w.kz * z + w.ph);
    return s / 6;
  };

  let p = 0;
  for (let k = 0; k < NZ; k++) {
    const z = zOf(k);
    const body = bodyAt(z);
    for (let j = 0; j < NY; j++) {
      const y = yOf(j);
      for (let i = 0; i < NX; i++, p++) {
        const x = xOf(i);
        // scan field of view: padding outside a 178 mm circle
        if (Math.hypot(x, y) > 178) {
          hu[p] = -1024;
          continue;
        }
        const bRho = Math.hypot(x / body.ax, (y - body.cy) / body.ay);
        if (bRho >= 1) {
          // CT table: hollow carbon slab 8 mm below the back
          const yb = body.cy + 112;
          const inTable = y > yb + 8 && y < yb + 22 && Math.abs(x) < 190;
          if (inTable) hu[p] = y < yb + 10 || y > yb + 20 ? 180 : -950;
          else hu[p] = OUTSIDE_AIR;
          continue;
        }
        const depth = (1 - bRho) * Math.min(body.ax, body.ay); // mm inside the skin (approx.)
        let v: number;
        if (depth < 2)
          v = 30; // skin
        else if (depth < 14)
          v = -100; // subcutaneous fat
        else v = 40; // muscle / soft tissue by default
        // scapulae (outside the ribs, upper chest)
        if (z > 175 && z < 262) {
          for (const sgn of [-1, 1]) {
            if (distToSegment2(x, y, 0, [sgn * 62, 104, 0], [sgn * 128, 66, 0]).d < 3) v = 650;
          }
        }
        const rib = ribAt(x, y, z);
        if (rib === 'bone') v = 700;
        else if (rib === 'cartilage') v = 130;
        // spine
        const disc = z % 30 < 5;
        const vb = Math.hypot(x, y - 62);
        if (vb < 17) v = disc ? 80 : vb > 15.5 ? 850 : 260;
        const canal = Math.hypot(x, y - 88);
        if (canal < 14 && y > 78 && vb >= 17) v = canal < 8 ? 15 : 520;
        if (Math.abs(x) < 4.5 && y > 96 && y < 120) v = 480; // spinous process
        if (z > 120 && z < 250 && Math.abs(x) < 20 && Math.abs(y + 96) < 6 && depth > 12) v = 420; // sternum
        // inside the thoracic cavity ellipse
        const cRho = cavityRho(x, y, z);
        if (cRho < 1 && !(vb < 17) && !(canal < 14 && y > 78)) {
          const dz = domeZ(x, y);
          if (z < dz) {
            // abdomen below the diaphragm (5 mm muscle layer under the dome)
            if (z > dz - diaphragmZThickness(x, y)) v = 42;
            else if (x < 20)
              v = 58; // liver
            else if (x > 55 && y > 10)
              v = 46; // spleen
            else if (((x - 50) / 40) ** 2 + ((y + 25) / 35) ** 2 + ((z - 70) / 30) ** 2 < 1)
              v = y < -42 ? -1000 : 18; // stomach with gas
            else v = 38;
          } else if (inMediastinum(x, y, z) || !insideApex(x, y, z) || z > 272) {
            if (rib === null) v = 40; // soft tissue (the upper ribs around the apices stay)
            // pericardial fat: a shell on the anterior heart
            const hr = Math.hypot((x - 12) / 60, (y + 22) / 50, (z - 120) / 48);
            if (hr > 0.93 && hr < 1 && y < -10) v = -90;
          } else {
            // lung parenchyma: dependent gradient + texture
            const side = x < 0 ? 1 : 2;
            lungs[p] = side;
            v = PARENCHYMA_ANTERIOR_HU + PARENCHYMA_GRADIENT_HU * clamp01((y + 74) / 172) + 8 * texture(x, y, z);
            // partial volume at the pleura: blend with the wall over ~1 voxel
            const edgeMm = (1 - cRho) * 100;
            if (edgeMm < 1.4) v = mix(40, v, clamp01(edgeMm / 1.4 + 0.5));
            // GGO
            for (const g of GGOS) {
              const w = lesionWeight(g, x, y, z, 4);
              if (w > 0) {
                v = mix(v, -520 + 45 * texture(x * 2, y * 2, z * 2), w);
                if (w >= 0.5) lesions[p] = 1;
              }
            }
            // consolidation touching the lateral pleura
            const cw = lesionWeight(CONSOLIDATION, x, y, z, 2.5);
            if (cw > 0) {
              v = mix(v, -10 + 25 * texture(x * 3, y * 3, z * 3), cw);
              if (cw >= 0.5) lesions[p] = 2;
            }
            if (effusionAt(x, y, z)) {
              v = 12;
              lesions[p] = 2;
              isEffusion[p] = 1;
            }
          }
        }
        hu[p] = v;
      }
    }
  }

  // airways and vessels (voxel loops over each segment's bounding box)
  const forBox = (
    a: readonly number[],
    b: readonly number[],
    pad: number,
    fn: (q: number, x: number, y: number, z: number) => void,
  ): void => {
    const lo = [
      Math.min(a[0] as number, b[0] as number) - pad,
      Math.min(a[1] as number, b[1] as number) - pad,
      Math.min(a[2] as number, b[2] as number) - pad,
    ];
    const hi = [
      Math.max(a[0] as number, b[0] as number) + pad,
      Math.max(a[1] as number, b[1] as number) + pad,
      Math.max(a[2] as number, b[2] as number) + pad,
    ];
    const i0 = Math.max(0, Math.floor(lo[0]! / SXY + (NX - 1) / 2));
    const i1 = Math.min(NX - 1, Math.ceil(hi[0]! / SXY + (NX - 1) / 2));
    const j0 = Math.max(0, Math.floor(lo[1]! / SXY + (NY - 1) / 2));
    const j1 = Math.min(NY - 1, Math.ceil(hi[1]! / SXY + (NY - 1) / 2));
    const k0 = Math.max(0, Math.floor((lo[2]! - Z0) / SZ));
    const k1 = Math.min(NZ - 1, Math.ceil((hi[2]! - Z0) / SZ));
    for (let k = k0; k <= k1; k++) {
      for (let j = j0; j <= j1; j++) {
        for (let i = i0; i <= i1; i++) fn(i + j * NX + k * NX * NY, xOf(i), yOf(j), zOf(k));
      }
    }
  };
  const airwayMask = new Uint8Array(n); // trachea + main bronchi (lumen + wall): not lung
  for (const tube of [TRACHEA, ...MAIN_BRONCHI]) {
    forBox(tube[0], tube[1], tube[2] + tube[4] + 2, (q, x, y, z) => {
      const c = tubeCover([tube], x, y, z);
      if (c.wall > 0) {
        hu[q] = mix(hu[q] as number, 45, c.wall);
        hu[q] = mix(hu[q] as number, -1000, c.lumen);
        if (c.wall >= 0.5) airwayMask[q] = 1;
      }
    });
  }
  const vessels = buildVesselTree(u);
  for (const s of vessels) {
    forBox(s.a, s.b, s.r + 4 * BLUR_SIGMA, (q, x, y, z) => {
      if (lungs[q] === 0 || isEffusion[q] !== 0) return;
      const { d } = distToSegment2(x, y, z, s.a, s.b);
      const cover = diskCover(s.r, d);
      if (cover > 0.002) hu[q] = mix(hu[q] as number, VESSEL_HU, cover);
    });
  }
  for (const tube of LOBAR_BRONCHI) {
    forBox(tube[0], tube[1], tube[2] + tube[4] + 2, (q, x, y, z) => {
      if (lungs[q] === 0 && !inMediastinum(x, y, z)) return;
      const c = tubeCover([tube], x, y, z);
      if (c.wall > 0) {
        hu[q] = mix(hu[q] as number, 40, c.wall);
        hu[q] = mix(hu[q] as number, -1000, c.lumen);
      }
    });
  }
  for (const tube of BRONCHOGRAMS) {
    forBox(tube[0], tube[1], tube[2] + 2, (q, x, y, z) => {
      if (lesions[q] !== 2 || isEffusion[q] !== 0) return;
      const c = tubeCover([tube], x, y, z);
      if (c.lumen > 0) hu[q] = mix(hu[q] as number, -900, c.lumen);
    });
  }
  // lung truth excludes the central airways (they pass the hila, already mediastinum)
  for (let q = 0; q < n; q++) {
    if (airwayMask[q] !== 0) {
      lungs[q] = 0;
      lesions[q] = 0;
    }
  }

  // correlated noise (per slice), rounding
  const data = new Int16Array(n);
  const filter = noiseFilter();
  const slice = NX * NY;
  for (let k = 0; k < NZ; k++) {
    const nz = correlatedNoiseSlice(filter, noise);
    for (let q = k * slice, m = 0; m < slice; q++, m++) {
      const v = hu[q] as number;
      if (v === -1024) {
        data[q] = -1024;
        continue;
      }
      // no noise in the air around the body (keeps the file small)
      data[q] = v === OUTSIDE_AIR ? -1000 : Math.max(-1024, Math.min(3071, Math.round(v + NOISE_SIGMA_HU * (nz[m] as number))));
    }
  }
  const geometry = {
    size: [NX, NY, NZ] as const,
    spacingMm: [SXY, SXY, SZ] as const,
    originLps: [xOf(0), yOf(0), zOf(0) - 150] as const,
    directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1] as const,
  };
  return {
    ct: { ...geometry, data },
    lesions: { ...geometry, data: lesions },
    lungs: { ...geometry, data: lungs },
  };
}

/** Writes a lung-window PNG (W1500/L−400) of an axial slice with optional label outlines. */
function axialPng(v: Volume, k: number, overlays: LabelMap[], path: string): void {
  const [nx, ny] = v.size;
  const png = new PNG({ width: nx, height: ny });
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const q = i + j * nx + k * nx * ny;
      const g = Math.round(255 * clamp01(((v.data[q] as number) + 1150) / 1500));
      const o = 4 * (i + j * nx);
      png.data[o] = g;
      png.data[o + 1] = g;
      png.data[o + 2] = g;
      png.data[o + 3] = 255;
      overlays.forEach((lab, li) => {
        const l = lab.data[q] as number;
        if (l === 0) return;
        const edge =
          i === 0 ||
          j === 0 ||
          i === nx - 1 ||
          j === ny - 1 ||
          lab.data[q - 1] !== l ||
          lab.data[q + 1] !== l ||
          lab.data[q - nx] !== l ||
          lab.data[q + nx] !== l;
        if (!edge) return;
        const colours =
          li === 0
            ? [
                [0, 255, 0],
                [255, 0, 255],
              ]
            : [
                [30, 110, 255],
                [255, 215, 0],
              ];
        const c = colours[(l - 1) % 2] as number[];
        png.data[o] = c[0] as number;
        png.data[o + 1] = c[1] as number;
        png.data[o + 2] = c[2] as number;
      });
    }
  }
  writeFileSync(path, PNG.sync.write(png));
}

/** Coronal reformat PNG at row j (superior at the top), stretched to square-ish voxels. */
function coronalPng(v: Volume, j: number, path: string): void {
  const [nx, ny, nz] = v.size;
  const scale = Math.round(v.spacingMm[2] / v.spacingMm[0]);
  const png = new PNG({ width: nx, height: nz * scale });
  for (let k = 0; k < nz; k++) {
    for (let s = 0; s < scale; s++) {
      const row = (nz - 1 - k) * scale + s;
      for (let i = 0; i < nx; i++) {
        const g = Math.round(255 * clamp01(((v.data[i + j * nx + k * nx * ny] as number) + 1150) / 1500));
        const o = 4 * (i + row * nx);
        png.data[o] = g;
        png.data[o + 1] = g;
        png.data[o + 2] = g;
        png.data[o + 3] = 255;
      }
    }
  }
  writeFileSync(path, PNG.sync.write(png));
}

/** The sample's truth, from its label maps: lung, GGO and high-opacity volumes (mL) and burden (%). */
export function sampleTruth(c: SampleCase): {
  lungMl: number;
  rightLungMl: number;
  leftLungMl: number;
  ggoMl: number;
  highOpacityMl: number;
  burdenPercent: number;
  healthyLungMeanHu: number;
} {
  const ml = (c.ct.spacingMm[0] * c.ct.spacingMm[1] * c.ct.spacingMm[2]) / 1000;
  let right = 0;
  let left = 0;
  let ggo = 0;
  let ho = 0;
  let huSum = 0;
  let healthy = 0;
  for (let q = 0; q < c.lungs.data.length; q++) {
    const side = c.lungs.data[q] as number;
    if (side === 0) continue;
    if (side === 1) right++;
    else left++;
    const l = c.lesions.data[q] as number;
    if (l === 1) ggo++;
    else if (l === 2) ho++;
    else {
      huSum += c.ct.data[q] as number;
      healthy++;
    }
  }
  const lung = right + left;
  return {
    lungMl: lung * ml,
    rightLungMl: right * ml,
    leftLungMl: left * ml,
    ggoMl: ggo * ml,
    highOpacityMl: ho * ml,
    burdenPercent: (100 * (ggo + ho)) / lung,
    healthyLungMeanHu: huSum / healthy,
  };
}

function main(): void {
  const args = process.argv.slice(2);
  const outArg = args.indexOf('--out');
  const pngArg = args.indexOf('--png');
  const out = resolve(outArg >= 0 ? (args[outArg + 1] ?? '.') : join(import.meta.dirname, '..', 'test', 'fixtures', 'sample-case'));
  mkdirSync(out, { recursive: true });
  const t0 = performance.now();
  const c = makeSampleCase();
  const desc = `Lung Burden synthetic chest CT, seed ${SAMPLE_SEED}`;
  writeFileSync(join(out, 'sample-chest-ct.nii.gz'), writeNifti(c.ct, { description: desc, level: 9 }));
  writeFileSync(
    join(out, 'sample-chest-ct-lesions.nii.gz'),
    writeNifti(c.lesions, { description: `${desc}: lesions 1 GGO 2 high opacity`, level: 9 }),
  );
  writeFileSync(join(out, 'sample-chest-ct-lungs.nii.gz'), writeNifti(c.lungs, { description: `${desc}: lungs 1 right 2 left`, level: 9 }));
  if (pngArg >= 0) {
    const dir = resolve(args[pngArg + 1] ?? '/tmp');
    mkdirSync(dir, { recursive: true });
    for (const k of [15, 25, 40, 55, 70, 85, 100]) axialPng(c.ct, k, [c.lungs, c.lesions], join(dir, `sample-axial-${k}.png`));
    for (const j of [110, 150]) coronalPng(c.ct, j, join(dir, `sample-coronal-${j}.png`));
  }
  console.log(JSON.stringify({ out, ms: Math.round(performance.now() - t0), truth: sampleTruth(c) }));
}

if (import.meta.main) main();
