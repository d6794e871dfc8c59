import type { Volume } from '../../../shared/domain/volume.ts';
import { computeBurden } from '../../../shared/imaging/burden.ts';

/**
 * A small synthetic chest for report tests (LPS-aligned, i → patient left): body ellipse
 * (+40 HU), two lung ellipsoids (−850 HU; label 1 = right lung at small i, 2 = left lung), a GGO
 * blob (−500 HU) in the right lung and a consolidation blob (+20 HU) in the left lung, both
 * largest near slice k = nK/2. Also returns reference burden figures computed the same way as
 * shared/imaging/burden.ts defines them (lesion voxels inside the lung mask / lung voxels).
 */
export function syntheticChest(size: [number, number, number] = [64, 56, 24], spacingMm: [number, number, number] = [3, 3.5, 6]) {
  const [nI, nJ, nK] = size;
  const n = nI * nJ * nK;
  const hu = new Int16Array(n).fill(-1000);
  const lung = new Uint8Array(n);
  const lesion = new Uint8Array(n);
  const ci = (nI - 1) / 2;
  const cj = (nJ - 1) / 2;
  const ck = (nK - 1) / 2;
  for (let k = 0; k < nK; k++) {
    for (let j = 0; j < nJ; j++) {
      for (let i = 0; i < nI; i++) {
        const v = i + j * nI + k * nI * nJ;
        const body = ((i - ci) / (0.47 * nI)) ** 2 + ((j - cj) / (0.45 * nJ)) ** 2 <= 1;
        if (!body) continue;
        hu[v] = 40;
        for (const [side, cx] of [
          [1, ci - 0.22 * nI],
          [2, ci + 0.22 * nI],
        ] as const) {
          const r = ((i - cx) / (0.17 * nI)) ** 2 + ((j - cj) / (0.33 * nJ)) ** 2 + ((k - ck) / (0.45 * nK)) ** 2;
          if (r <= 1) {
            lung[v] = side;
            hu[v] = -850;
            const lx = side === 1 ? cx - 0.06 * nI : cx + 0.04 * nI;
            const lr = ((i - lx) / (0.08 * nI)) ** 2 + ((j - cj - 0.12 * nJ) / (0.12 * nJ)) ** 2 + ((k - ck) / (0.2 * nK)) ** 2;
            if (lr <= 1) {
              lesion[v] = side === 1 ? 1 : 2;
              hu[v] = side === 1 ? -500 : 20;
            }
          }
        }
      }
    }
  }
  const volume: Volume = { size, spacingMm, originLps: [-100, -110, -200], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1], data: hu };
  // `burden`: the independent reference figures; `stored`: the record the case store holds (computeBurden)
  return {
    volume,
    lung,
    lesion,
    burden: referenceBurden(volume, lung, lesion),
    stored: computeBurden(volume, { ...volume, data: lung }, lesion),
  };
}

/** Burden figures of a labelled volume, with per-lung figures (the fields the report reads). */
export function referenceBurden(volume: Volume, lung: Uint8Array, lesion: Uint8Array | null) {
  const ml = (volume.spacingMm[0] * volume.spacingMm[1] * volume.spacingMm[2]) / 1000;
  const c = { lung: [0, 0, 0], ggo: [0, 0, 0], high: [0, 0, 0] };
  let dense = 0;
  for (let v = 0; v < lung.length; v++) {
    const s = lung[v]!;
    if (!s) continue;
    c.lung[s]!++;
    const l = lesion ? lesion[v]! : 0;
    if (l === 1) c.ggo[s]!++;
    if (l === 2) c.high[s]!++;
    if (l > 0 && volume.data[v]! >= -200) dense++;
  }
  const side = (s: 1 | 2) => ({
    lungVolumeMl: c.lung[s]! * ml,
    ggoVolumeMl: c.ggo[s]! * ml,
    highOpacityVolumeMl: c.high[s]! * ml,
    burdenPercent: c.lung[s]! ? ((c.ggo[s]! + c.high[s]!) / c.lung[s]) * 100 : 0,
  });
  const lungN = c.lung[1]! + c.lung[2]!;
  const ggoN = c.ggo[1]! + c.ggo[2]!;
  const highN = c.high[1]! + c.high[2]!;
  return {
    lungVolumeMl: lungN * ml,
    ggoVolumeMl: ggoN * ml,
    highOpacityVolumeMl: highN * ml,
    lesionVolumeMl: (ggoN + highN) * ml,
    burdenPercent: ((ggoN + highN) / lungN) * 100,
    ggoBurdenPercent: (ggoN / lungN) * 100,
    highOpacityBurdenPercent: (highN / lungN) * 100,
    highOpacityHuFraction: ggoN + highN ? (dense / (ggoN + highN)) * 100 : 0,
    right: side(1),
    left: side(2),
  };
}
