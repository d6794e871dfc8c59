import type { LabelMap } from '../domain/label-map.ts';
import { voxelVolumeMl, type Volume } from '../domain/volume.ts';

/**
 * Burden definitions (copied into the README):
 * - Lung volume: voxels of the lung mask (label 1 right lung, 2 left lung) × voxel volume (mL).
 * - GGO / high-opacity volume: lesion voxels of label 1 / 2 that lie INSIDE the lung mask. Lesion
 *   voxels outside the lung mask are not counted (they are reported as `lesionOutsideLungMl`) so
 *   that the burden is a fraction of the lung; the lung mask keeps dense consolidation and
 *   effusion inside the pleural envelope, so these are not lost.
 * - Burden % = (GGO + high opacity) / lung × 100; GGO % and high-opacity % likewise, per class.
 * - Left/right: the same figures restricted to each lung (patient sides; right = label 1).
 * - Zones: each lung's craniocaudal extent (first to last axial slice containing that lung) is cut
 *   into three equal thirds along the slice axis (k → superior); upper/middle/lower sum both
 *   lungs' thirds. Equal-height thirds are the common convention of zonal CT scoring when lobes
 *   are not segmented.
 * - `highOpacityHuFraction`: percent of lesion voxels (inside the lung) with HU ≥ −200, the HU
 *   threshold Chaganti et al. used to split lesions into opacity / high opacity; a secondary,
 *   model-independent figure. Null when there are no lesion voxels.
 */
export interface RegionBurden {
  readonly lungVolumeMl: number;
  readonly ggoVolumeMl: number;
  readonly highOpacityVolumeMl: number;
  readonly lesionVolumeMl: number;
  /** Lesion / lung × 100 (0 when the region has no lung). */
  readonly burdenPercent: number;
  readonly ggoBurdenPercent: number;
  readonly highOpacityBurdenPercent: number;
}

export interface ZoneBurden {
  readonly upper: RegionBurden;
  readonly middle: RegionBurden;
  readonly lower: RegionBurden;
}

export interface BurdenResult extends RegionBurden {
  readonly right: RegionBurden;
  readonly left: RegionBurden;
  /** Both lungs, each cut into its own thirds. */
  readonly zones: ZoneBurden;
  readonly zonesByLung: { readonly right: ZoneBurden; readonly left: ZoneBurden };
  /** Percent of lesion voxels with HU ≥ −200 (Chaganti); null without lesions. */
  readonly highOpacityHuFraction: number | null;
  /** Lesion voxels outside the lung mask (not counted in the burden), mL. */
  readonly lesionOutsideLungMl: number;
  /** Version of these definitions. */
  readonly definitions: 'lung-burden-v1';
}

/** HU threshold of the secondary high-opacity figure (Chaganti et al. 2020). */
export const HIGH_OPACITY_HU = -200;

// counter layout: [lung, ggo, ho] per (side 0 right / 1 left) × (zone 0 upper / 1 middle / 2 lower)
const idx = (side: number, zone: number, what: number): number => (side * 3 + zone) * 3 + what;

/**
 * Computes the burden of a case from its HU volume, lung mask and lesion labels (all on the same
 * grid, LPS-reoriented so that k runs inferior → superior). `lesion = null` means no lesion map
 * (all lesion figures 0).
 */
export function computeBurden(volume: Volume, lung: LabelMap, lesion: Uint8Array | null): BurdenResult {
  const [nI, nJ, nK] = volume.size;
  const plane = nI * nJ;
  const n = plane * nK;
  if (lung.data.length !== n) throw new Error(`lung mask has ${lung.data.length} voxels, volume has ${n}`);
  if (lesion && lesion.length !== n) throw new Error(`lesion map has ${lesion.length} voxels, volume has ${n}`);
  const L = lung.data;
  const hu = volume.data;

  // One pass: per slice and side, counts of lung, GGO and high-opacity voxels (zones are
  // assigned afterwards from each lung's craniocaudal extent).
  const aligned = (a: Uint8Array) => a.byteOffset % 4 === 0 && a.length % 4 === 0;
  const les32 = lesion !== null && aligned(lesion) ? new Uint32Array(lesion.buffer, lesion.byteOffset, lesion.length / 4) : null;
  // Word-wise skipping needs both maps viewable as 32-bit words (else voxel by voxel).
  const L32 = aligned(L) && (lesion === null || les32 !== null) ? new Uint32Array(L.buffer, L.byteOffset, L.length / 4) : null;
  const perSlice = new Float64Array(nK * 6); // [k][side 0 right / 1 left][lung, ggo, ho]
  let lesionTotal = 0;
  let lesionDense = 0;
  let outside = 0;
  let otherLung = 0;
  for (let k = 0; k < nK; k++) {
    const base = k * plane;
    const o = k * 6;
    let r0 = 0, r1 = 0, r2 = 0, l0 = 0, l1 = 0, l2 = 0;
    const end = base + plane;
    for (let p = base; p < end; p++) {
      // Most voxels are outside the lung with no lesion: skip them four at a time.
      if (L32 !== null && (p & 3) === 0 && p + 4 <= end && L32[p >> 2] === 0 && (les32 === null || les32[p >> 2] === 0)) {
        p += 3;
        continue;
      }
      const side = L[p]!;
      if (side === 0) {
        if (lesion !== null) {
          const les = lesion[p]!;
          if (les === 1 || les === 2) outside++;
        }
        continue;
      }
      const les = lesion === null ? 0 : lesion[p]!;
      if (side === 1) {
        r0++;
        if (les === 1) r1++;
        else if (les === 2) r2++;
      } else if (side === 2) {
        l0++;
        if (les === 1) l1++;
        else if (les === 2) l2++;
      } else {
        otherLung++;
        continue;
      }
      if (les === 1 || les === 2) {
        lesionTotal++;
        if (hu[p]! >= HIGH_OPACITY_HU) lesionDense++;
      }
    }
    perSlice[o] = r0; perSlice[o + 1] = r1; perSlice[o + 2] = r2;
    perSlice[o + 3] = l0; perSlice[o + 4] = l1; perSlice[o + 5] = l2;
  }
  // Craniocaudal extent of each lung (slices containing it).
  const first = [nK, nK];
  const last = [-1, -1];
  for (let k = 0; k < nK; k++) {
    for (let s = 0; s < 2; s++) {
      if (perSlice[k * 6 + s * 3]! > 0) {
        first[s] = Math.min(first[s]!, k);
        last[s] = k;
      }
    }
  }
  // zone of slice k for each side: 0 upper (largest k), 1 middle, 2 lower
  const zoneOf = (side: number, k: number): number => {
    const f = first[side]!;
    const extent = last[side]! - f + 1;
    if (extent <= 0) return 1;
    const t = Math.floor(((k - f) * 3) / extent); // 0 lowest third … 2 top third
    return 2 - Math.min(2, Math.max(0, t));
  };
  const c = new Float64Array(18);
  for (let k = 0; k < nK; k++) {
    for (let s = 0; s < 2; s++) {
      const z = zoneOf(s, k);
      for (let w = 0; w < 3; w++) c[idx(s, z, w)]! += perSlice[k * 6 + s * 3 + w]!;
    }
  }
  const ml = voxelVolumeMl(volume);
  const region = (lungV: number, ggoV: number, hoV: number): RegionBurden => {
    const pct = (x: number) => (lungV > 0 ? (100 * x) / lungV : 0);
    return {
      lungVolumeMl: lungV * ml,
      ggoVolumeMl: ggoV * ml,
      highOpacityVolumeMl: hoV * ml,
      lesionVolumeMl: (ggoV + hoV) * ml,
      burdenPercent: pct(ggoV + hoV),
      ggoBurdenPercent: pct(ggoV),
      highOpacityBurdenPercent: pct(hoV),
    };
  };
  const sum = (sides: number[], zones: number[], what: number): number => {
    let t = 0;
    for (const s of sides) for (const z of zones) t += c[idx(s, z, what)]!;
    return t;
  };
  const of = (sides: number[], zones: number[]) => region(sum(sides, zones, 0), sum(sides, zones, 1), sum(sides, zones, 2));
  const all = [0, 1, 2];
  const zonesFor = (sides: number[]): ZoneBurden => ({ upper: of(sides, [0]), middle: of(sides, [1]), lower: of(sides, [2]) });
  const total = of([0, 1], all);
  return {
    ...total,
    // Lung voxels with a label other than 1/2 count in the total lung but in neither side.
    lungVolumeMl: total.lungVolumeMl + otherLung * ml,
    ...(otherLung > 0 ? recomputeWithExtraLung(total, otherLung * ml) : {}),
    right: of([0], all),
    left: of([1], all),
    zones: zonesFor([0, 1]),
    zonesByLung: { right: zonesFor([0]), left: zonesFor([1]) },
    highOpacityHuFraction: lesionTotal > 0 ? (100 * lesionDense) / lesionTotal : null,
    lesionOutsideLungMl: outside * ml,
    definitions: 'lung-burden-v1',
  };
}

function recomputeWithExtraLung(t: RegionBurden, extraMl: number): Partial<RegionBurden> {
  const lung = t.lungVolumeMl + extraMl;
  const pct = (x: number) => (lung > 0 ? (100 * x) / lung : 0);
  return {
    lungVolumeMl: lung,
    burdenPercent: pct(t.lesionVolumeMl),
    ggoBurdenPercent: pct(t.ggoVolumeMl),
    highOpacityBurdenPercent: pct(t.highOpacityVolumeMl),
  };
}
