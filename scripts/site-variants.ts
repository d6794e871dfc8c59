// Alterations of 8-bit slices as another site's export would make them (issue 14, "other sources"):
// another display window, lower resolution, lossy JPEG, noise. None moves pixels: labels are kept
// as they are. Used by scripts/segment-stress.ts beside the alterations of scripts/stress-variants.ts.
import jpeg from 'jpeg-js';
import { rgbaToGray8 } from '../electron/cli/rgba-to-gray8.ts';
import { mulberry32 } from '../shared/util/mulberry32.ts';
import type { StressSlice, Variant } from './stress-variants.ts';

const clip8 = (v: number): number => Math.max(0, Math.min(255, Math.round(v)));

/** Grey values mapped through `f` (0..255 → any, rounded and clipped to 0..255); labels unchanged. */
function mapGrey(s: StressSlice, f: (v: number) => number): StressSlice {
  const lut = Uint8Array.from({ length: 256 }, (_, v) => clip8(f(v)));
  return { ...s, gray: s.gray.map((v) => lut[v]!) };
}

/** Display gamma: grey 255 · (grey / 255)^γ (γ < 1 brighter lung, γ > 1 darker), as another site's display curve. */
export function gammaCurve(gamma: number): Variant {
  return (s) => mapGrey(s, (v) => 255 * (v / 255) ** gamma);
}

/**
 * The slice re-rendered in another window: read in `from` (HU = center − width/2 + grey/255 · width)
 * and written in `to`, as a site exporting in its own lung window would; `segment` still reads it in `from`.
 */
export function otherWindow(from: { center: number; width: number }, to: { center: number; width: number }): Variant {
  return (s) => mapGrey(s, (v) => ((from.center - from.width / 2 + (v / 255) * from.width - (to.center - to.width / 2)) / to.width) * 255);
}

/** Half resolution and back: 2 × 2 box mean (edge blocks average the pixels they have), then bilinear up to the original grid. */
export const halfResolution: Variant = (s) => {
  const { cols, rows } = s;
  const lc = Math.ceil(cols / 2),
    lr = Math.ceil(rows / 2);
  const low = new Float64Array(lc * lr);
  for (let y = 0; y < lr; y++)
    for (let x = 0; x < lc; x++) {
      let sum = 0,
        n = 0;
      for (let dy = 0; dy < 2; dy++)
        for (let dx = 0; dx < 2; dx++)
          if (2 * y + dy < rows && 2 * x + dx < cols) {
            sum += s.gray[(2 * y + dy) * cols + 2 * x + dx]!;
            n++;
          }
      low[y * lc + x] = sum / n;
    }
  // pixel centres: full-resolution x sits at low-resolution (x + ½)/2 − ½
  const at = (u: number, n: number): [number, number, number] => {
    const c = Math.max(0, Math.min(n - 1, u));
    const i0 = Math.min(n - 1, Math.floor(c));
    return [i0, Math.min(n - 1, i0 + 1), c - i0];
  };
  const gray = new Uint8Array(cols * rows);
  for (let y = 0; y < rows; y++) {
    const [y0, y1, fy] = at((y + 0.5) / 2 - 0.5, lr);
    for (let x = 0; x < cols; x++) {
      const [x0, x1, fx] = at((x + 0.5) / 2 - 0.5, lc);
      const top = low[y0 * lc + x0]! * (1 - fx) + low[y0 * lc + x1]! * fx;
      const bottom = low[y1 * lc + x0]! * (1 - fx) + low[y1 * lc + x1]! * fx;
      gray[y * cols + x] = clip8(top * (1 - fy) + bottom * fy);
    }
  }
  return { ...s, gray };
};

/** JPEG re-compression at `quality` (1–100) with jpeg-js (the decoder `segment` reads JPEGs with), decoded back to grey. */
export function jpegRecompress(quality: number): Variant {
  return (s) => {
    const rgba = new Uint8Array(s.gray.length * 4);
    s.gray.forEach((v, p) => rgba.set([v, v, v, 255], p * 4));
    const bytes = jpeg.encode({ data: rgba, width: s.cols, height: s.rows }, quality).data;
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { ...s, gray: rgbaToGray8(img.data, s.gray.length) };
  };
}

/** Additive Gaussian noise of `sigma` grey levels (Box–Muller on mulberry32), seeded by `seed` and the slice index; clipped. */
export function gaussianNoise(sigma: number, seed: number): Variant {
  return (s, index) => {
    const u = mulberry32((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
    const gray = s.gray.map((v) => clip8(v + sigma * Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u())));
    return { ...s, gray };
  };
}
