/**
 * Measures the noise of the real chest CT series of ../shared/data/chest-ct (imported with the
 * project's DICOM importer): amplitude as the global noise level (GNL, Christianson et al.,
 * Radiology 2015: the mode of the standard deviations of small ROIs in soft tissue) and texture
 * as the radially averaged noise power spectrum (NPS) of detrended soft-tissue patches.
 * Prints one JSON object; the numbers are meant for a phantom's correlated noise.
 *
 *   node_modules/.bin/node --import tsx scripts/measure-ct-noise.ts
 *
 * Method, per series, on the middle half of the slices:
 * - GNL: 6 × 6 mm in-plane ROIs (whole voxels) in soft tissue (ROI mean −20…120 HU, no voxel
 *   below −300 or above 400 HU: no air, no bone); the mode of their SDs (1 HU bins).
 * - NPS: 32 × 32 voxel patches with the same soft-tissue criterion; each minus its best-fit plane;
 *   |DFT|² × (Δx·Δy)/(N²) averaged (HU² mm²), radially averaged in 0.05 mm⁻¹ bins; reported:
 *   the frequency of the peak and the mean frequency (∫ f·NPS / ∫ NPS), and σ from ∫ NPS.
 * Only homogeneous organs (liver, spleen, muscle) give such patches; anatomy inside a patch
 * adds low-frequency power, so the 25 % of patches with the smallest SD are used; the lowest
 * bins (< 0.1 mm⁻¹) still hold residual anatomy, read the shape above them.
 *
 * Measured (2 Dec 2026, this command): GNL 14 HU (LIDC-IDRI-0001), 20 HU (RICORD 000082),
 * 21 HU (4D-Lung 113), 83 HU (RIDER, sharp LUNG kernel); NPS mean frequency 0.35, 0.35, 0.27 and
 * 0.49 mm⁻¹; the three standard-kernel NPS fall to half their 0.1–0.15 mm⁻¹ level at about
 * 0.33 (LIDC), 0.42 (RICORD) and 0.38 mm⁻¹ (4D-Lung); the RIDER one peaks at 0.5–0.55 mm⁻¹.
 */
import { CHEST_CT_SERIES, loadChestCtSeries } from '../test/support/chest-ct-series.ts';
import { SHARED_DATA_MISSING, sharedDataDir } from '../test/support/shared-data.ts';

const N = 32;

function dft2Power(patch: Float64Array): Float64Array {
  // separable DFT of an N×N real patch (N = 32: direct sums are fast enough)
  const re = new Float64Array(N * N);
  const im = new Float64Array(N * N);
  const cos = new Float64Array(N * N);
  const sin = new Float64Array(N * N);
  for (let a = 0; a < N; a++) {
    for (let b = 0; b < N; b++) {
      cos[a * N + b] = Math.cos((2 * Math.PI * a * b) / N);
      sin[a * N + b] = Math.sin((2 * Math.PI * a * b) / N);
    }
  }
  // rows
  const rRe = new Float64Array(N * N);
  const rIm = new Float64Array(N * N);
  for (let y = 0; y < N; y++) {
    for (let u = 0; u < N; u++) {
      let sr = 0;
      let si = 0;
      for (let x = 0; x < N; x++) {
        const v = patch[y * N + x] as number;
        sr += v * (cos[u * N + x] as number);
        si -= v * (sin[u * N + x] as number);
      }
      rRe[y * N + u] = sr;
      rIm[y * N + u] = si;
    }
  }
  for (let u = 0; u < N; u++) {
    for (let v = 0; v < N; v++) {
      let sr = 0;
      let si = 0;
      for (let y = 0; y < N; y++) {
        const c = cos[v * N + y] as number;
        const s = sin[v * N + y] as number;
        const a = rRe[y * N + u] as number;
        const b = rIm[y * N + u] as number;
        sr += a * c + b * s;
        si += b * c - a * s;
      }
      re[v * N + u] = sr;
      im[v * N + u] = si;
    }
  }
  const p = new Float64Array(N * N);
  for (let q = 0; q < N * N; q++) p[q] = (re[q] as number) ** 2 + (im[q] as number) ** 2;
  return p;
}

/** Patch minus its least-squares plane a + b·x + c·y. */
function detrend(patch: Float64Array): Float64Array {
  let sv = 0;
  let sx = 0;
  let sy = 0;
  const c = (N - 1) / 2;
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      const v = patch[y * N + x] as number;
      sv += v;
      sx += v * (x - c);
      sy += v * (y - c);
    }
  }
  let sxx = 0;
  for (let x = 0; x < N; x++) sxx += (x - c) ** 2;
  sxx *= N;
  const a = sv / (N * N);
  const b = sx / sxx;
  const d = sy / sxx;
  const out = new Float64Array(N * N);
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) out[y * N + x] = (patch[y * N + x] as number) - a - b * (x - c) - d * (y - c);
  return out;
}

async function main(): Promise<void> {
  if (!sharedDataDir()) {
    console.log(JSON.stringify({ skipped: SHARED_DATA_MISSING }));
    return;
  }
  const out: Record<string, unknown> = {};
  for (const s of CHEST_CT_SERIES) {
    const v = await loadChestCtSeries(s);
    if (!v) continue;
    const [nx, ny, nz] = v.size;
    const [dx, dy] = v.spacingMm;
    const slice = nx * ny;
    const roi = Math.max(3, Math.round(6 / dx));
    const sds: number[] = [];
    const patches: { sd: number; data: Float64Array }[] = [];
    const soft = (x: number): boolean => x >= -300 && x <= 400;
    const softMean = (m: number): boolean => m >= -20 && m <= 120;
    for (let k = Math.floor(nz / 4); k < Math.floor((3 * nz) / 4); k++) {
      const base = k * slice;
      for (let j0 = 0; j0 + roi <= ny; j0 += roi) {
        for (let i0 = 0; i0 + roi <= nx; i0 += roi) {
          let sum = 0;
          let sum2 = 0;
          let ok = true;
          for (let j = j0; j < j0 + roi && ok; j++) {
            for (let i = i0; i < i0 + roi; i++) {
              const x = v.data[base + i + j * nx] as number;
              if (!soft(x)) {
                ok = false;
                break;
              }
              sum += x;
              sum2 += x * x;
            }
          }
          if (!ok || !softMean(sum / (roi * roi))) continue;
          const m = roi * roi;
          sds.push(Math.sqrt(Math.max(0, sum2 / m - (sum / m) ** 2) * (m / (m - 1))));
        }
      }
      for (let j0 = 0; j0 + N <= ny; j0 += N) {
        for (let i0 = 0; i0 + N <= nx; i0 += N) {
          const data = new Float64Array(N * N);
          let ok = true;
          for (let j = 0; j < N && ok; j++) {
            for (let i = 0; i < N; i++) {
              const x = v.data[base + i0 + i + (j0 + j) * nx] as number;
              if (!soft(x)) {
                ok = false;
                break;
              }
              data[j * N + i] = x;
            }
          }
          let mean = 0;
          for (const x of data) mean += x;
          if (!ok || !softMean(mean / (N * N))) continue;
          const d = detrend(data);
          let s2 = 0;
          for (const x of d) s2 += x * x;
          patches.push({ sd: Math.sqrt(s2 / (N * N - 3)), data: d });
        }
      }
    }
    const hist = new Map<number, number>();
    for (const sd of sds) hist.set(Math.round(sd), (hist.get(Math.round(sd)) ?? 0) + 1);
    let gnl = NaN;
    let best = -1;
    for (const [b, c] of hist) if (c > best) [gnl, best] = [b, c];
    patches.sort((a, b) => a.sd - b.sd);
    const used = patches.slice(0, Math.max(1, Math.floor(patches.length / 4)));
    const nps = new Float64Array(N * N);
    for (const p of used) {
      const pw = dft2Power(p.data);
      for (let q = 0; q < N * N; q++) nps[q] = (nps[q] as number) + ((pw[q] as number) * dx * dy) / (N * N) / used.length;
    }
    const binW = 0.05;
    const bins = new Float64Array(20);
    const counts = new Float64Array(20);
    let total = 0;
    let fSum = 0;
    const df = [1 / (N * dx), 1 / (N * dy)];
    for (let vv = 0; vv < N; vv++) {
      for (let u = 0; u < N; u++) {
        const fu = (u <= N / 2 ? u : u - N) * (df[0] as number);
        const fv = (vv <= N / 2 ? vv : vv - N) * (df[1] as number);
        const f = Math.hypot(fu, fv);
        const val = nps[vv * N + u] as number;
        total += val * (df[0] as number) * (df[1] as number);
        fSum += f * val;
        const b = Math.floor(f / binW);
        if (b < bins.length) {
          bins[b] = (bins[b] as number) + val;
          counts[b] = (counts[b] as number) + 1;
        }
      }
    }
    let npsSum = 0;
    for (const x of nps) npsSum += x;
    const radial = [...bins].map((b, t) => ((counts[t] as number) > 0 ? +(b / (counts[t] as number)).toFixed(1) : null));
    let peak = 0;
    for (let t = 1; t < radial.length; t++) if ((radial[t] ?? 0) > (radial[peak] ?? 0)) peak = t;
    out[s.id] = {
      spacingMm: v.spacingMm,
      gnlHu: gnl,
      gnlRois: sds.length,
      npsPatches: used.length,
      npsSigmaHu: +Math.sqrt(total).toFixed(1),
      npsPeakPerMm: +((peak + 0.5) * binW).toFixed(3),
      npsMeanPerMm: +(fSum / npsSum).toFixed(3),
      npsRadialHu2Mm2: { binPerMm: binW, values: radial },
    };
  }
  console.log(JSON.stringify(out));
}

await main();
