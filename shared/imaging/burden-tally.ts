import { voxelVolumeMl, type Volume } from '../domain/volume.ts';
import type { EditPatch } from './mask-tools/edit-patch.ts';
import type { BurdenResult, RegionBurden, ZoneBurden } from './burden-result.ts';

/** HU threshold of the secondary high-opacity figure (Chaganti et al. 2020). */
export const HIGH_OPACITY_HU = -200;

/**
 * Voxel counts from which every burden figure follows (`burdenFromCounts`). Kept per axial slice
 * so that the zones (thirds of each lung's craniocaudal extent) follow from the counts alone.
 * The slice axis is k (volumes are LPS-reoriented: k runs inferior → superior).
 */
export interface BurdenCounts {
  /** Slices along k. */
  readonly slices: number;
  /** `[k * 6 + side * 3 + what]`: side 0 right lung (label 1) / 1 left lung (label 2); what 0 lung, 1 GGO, 2 high opacity (voxel counts). */
  readonly perSlice: Float64Array;
  /** Lung-mask voxels with a label other than 1/2: in the total lung, in neither side. */
  otherLung: number;
  /** Lesion voxels (label 1 or 2) outside the lung mask: reported, not counted. */
  lesionOutside: number;
  /** Lesion voxels inside the lung sides (the denominator of `highOpacityHuFraction`). */
  lesionTotal: number;
  /** Of those, voxels with HU ≥ {@link HIGH_OPACITY_HU}. */
  lesionDense: number;
}

/**
 * Counts lung and lesion voxels of a case in one pass (4 voxels at a time where both maps are
 * background). `hu` are the volume's HU values (for `lesionDense`); all arrays on the same grid.
 */
export function countBurdenVoxels(
  size: readonly [number, number, number],
  hu: Int16Array,
  lung: Uint8Array,
  lesion: Uint8Array | null,
): BurdenCounts {
  const [nI, nJ, nK] = size;
  const plane = nI * nJ;
  const n = plane * nK;
  if (lung.length !== n) throw new Error(`lung mask has ${lung.length} voxels, volume has ${n}`);
  if (lesion && lesion.length !== n) throw new Error(`lesion map has ${lesion.length} voxels, volume has ${n}`);
  if (hu.length !== n) throw new Error(`volume data has ${hu.length} voxels, size says ${n}`);
  const L = lung;
  const aligned = (a: Uint8Array) => a.byteOffset % 4 === 0 && a.length % 4 === 0;
  const les32 = lesion !== null && aligned(lesion) ? new Uint32Array(lesion.buffer, lesion.byteOffset, lesion.length / 4) : null;
  // Word-wise skipping needs both maps viewable as 32-bit words (else voxel by voxel).
  const L32 = aligned(L) && (lesion === null || les32 !== null) ? new Uint32Array(L.buffer, L.byteOffset, L.length / 4) : null;
  const perSlice = new Float64Array(nK * 6);
  let lesionTotal = 0;
  let lesionDense = 0;
  let outside = 0;
  let otherLung = 0;
  for (let k = 0; k < nK; k++) {
    const base = k * plane;
    const o = k * 6;
    let r0 = 0,
      r1 = 0,
      r2 = 0,
      l0 = 0,
      l1 = 0,
      l2 = 0;
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
    perSlice[o] = r0;
    perSlice[o + 1] = r1;
    perSlice[o + 2] = r2;
    perSlice[o + 3] = l0;
    perSlice[o + 4] = l1;
    perSlice[o + 5] = l2;
  }
  return { slices: nK, perSlice, otherLung, lesionOutside: outside, lesionTotal, lesionDense };
}

// counter layout: [lung, ggo, ho] per (side 0 right / 1 left) × (zone 0 upper / 1 middle / 2 lower)
const idx = (side: number, zone: number, what: number): number => (side * 3 + zone) * 3 + what;

/**
 * THE burden function: every burden figure (stored with a version, shown live while editing,
 * reported) is computed here from voxel counts and the voxel volume (mL). Definitions: see
 * `shared/imaging/burden.ts` (`lung-burden-v1`).
 */
export function burdenFromCounts(counts: BurdenCounts, voxelMl: number): BurdenResult {
  const nK = counts.slices;
  const perSlice = counts.perSlice;
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
  const ml = voxelMl;
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
  // Lung voxels with a label other than 1/2 count in the total lung but in neither side.
  const total =
    counts.otherLung > 0 ? region(sum([0, 1], all, 0) + counts.otherLung, sum([0, 1], all, 1), sum([0, 1], all, 2)) : of([0, 1], all);
  return {
    ...total,
    right: of([0], all),
    left: of([1], all),
    zones: zonesFor([0, 1]),
    zonesByLung: { right: zonesFor([0]), left: zonesFor([1]) },
    highOpacityHuFraction: counts.lesionTotal > 0 ? (100 * counts.lesionDense) / counts.lesionTotal : null,
    lesionOutsideLungMl: counts.lesionOutside * ml,
    definitions: 'lung-burden-v1',
  };
}

/** Craniocaudal thirds of each lung. */
export const ZONES = ['upper', 'middle', 'lower'] as const;

/** Burden figures as the review screen shows them (mL and % of lung volume; null % without lung). */
export interface BurdenFigures {
  readonly lungMl: number;
  readonly ggoMl: number;
  readonly highMl: number;
  readonly totalMl: number;
  /** Lesion volume / lung volume × 100 (null without a lung mask). */
  readonly ggoPercent: number | null;
  readonly highPercent: number | null;
  readonly totalPercent: number | null;
  /** Per side (right, left) and zone: lesion mL, lung mL and %. */
  readonly regions: readonly {
    side: 'right' | 'left';
    zone: (typeof ZONES)[number] | 'all';
    lesionMl: number;
    lungMl: number;
    percent: number | null;
  }[];
  /** Lesion voxels outside the lung mask, mL: shown, but not counted in the burden. */
  readonly outsideLungMl: number;
}

/**
 * The burden of a case kept up to date from edit patches: an edit costs O(changed voxels), never a
 * recount of the volume. Its figures come from {@link burdenFromCounts}, the function the stored
 * burden (`computeBurden`) uses, so the live and the stored burden of the same labels are equal.
 * Without a lung mask only lesion volumes are known (no %).
 */
export class BurdenTally {
  readonly #counts: BurdenCounts | null;
  /** Lesion voxels per class (index 1, 2) when there is no lung mask. */
  readonly #noLung = new Float64Array(3);
  readonly #plane: number;
  readonly #voxelMl: number;
  readonly #hu: Int16Array;

  /** `volume.data` are the HU values (for the HU-based figure); `lung` and `lesion` on its grid. */
  constructor(
    volume: Volume,
    private readonly lung: Uint8Array | null,
    lesion: Uint8Array,
  ) {
    this.#plane = volume.size[0] * volume.size[1];
    this.#voxelMl = voxelVolumeMl(volume);
    this.#hu = volume.data;
    if (lung) this.#counts = countBurdenVoxels(volume.size, volume.data, lung, lesion);
    else {
      this.#counts = null;
      for (let p = 0; p < lesion.length; p++) {
        const c = lesion[p]!;
        if (c === 1 || c === 2) this.#noLung[c]!++;
      }
    }
  }

  /** Updates the counts by a patch applied forward (edit/redo) or backward (undo). */
  applyPatch(patch: EditPatch, direction: 'forward' | 'backward'): void {
    const from = direction === 'forward' ? patch.before : patch.after;
    const to = direction === 'forward' ? patch.after : patch.before;
    for (let m = 0; m < patch.indices.length; m++) {
      const p = patch.indices[m]!;
      this.#change(p, from[m]!, -1);
      this.#change(p, to[m]!, 1);
    }
  }

  #change(p: number, cls: number, by: 1 | -1): void {
    if (cls !== 1 && cls !== 2) return;
    const counts = this.#counts;
    if (!counts || !this.lung) {
      this.#noLung[cls]! += by;
      return;
    }
    const side = this.lung[p]!;
    if (side === 0) counts.lesionOutside += by;
    else if (side === 1 || side === 2) {
      counts.perSlice[Math.floor(p / this.#plane) * 6 + (side - 1) * 3 + cls]! += by;
      counts.lesionTotal += by;
      if (this.#hu[p]! >= HIGH_OPACITY_HU) counts.lesionDense += by;
    }
  }

  /**
   * Updates the counts by a patch of the LUNG mask (0 outside, 1 right, 2 left) applied forward or
   * backward: the reader correcting the denominator. The mask given to the constructor must already
   * hold the patched values (the edit wrote them); `lesion` is the current lesion map on the same
   * grid. O(changed voxels). Without a lung mask there is nothing to update (throws).
   */
  applyLungPatch(patch: EditPatch, direction: 'forward' | 'backward', lesion: Uint8Array): void {
    if (!this.#counts || !this.lung) throw new Error('the burden has no lung mask to edit');
    const from = direction === 'forward' ? patch.before : patch.after;
    const to = direction === 'forward' ? patch.after : patch.before;
    for (let m = 0; m < patch.indices.length; m++) {
      const p = patch.indices[m]!;
      const les = lesion[p]!;
      this.#lungVoxel(this.#counts, p, from[m]!, les, -1);
      this.#lungVoxel(this.#counts, p, to[m]!, les, 1);
    }
  }

  /** Adds (or removes) voxel `p` of lung label `side` and lesion class `les` to the counts, as `countBurdenVoxels` counts it. */
  #lungVoxel(counts: BurdenCounts, p: number, side: number, les: number, by: 1 | -1): void {
    const lesion = les === 1 || les === 2;
    if (side === 0) {
      if (lesion) counts.lesionOutside += by;
      return;
    }
    if (side !== 1 && side !== 2) {
      counts.otherLung += by;
      return;
    }
    const o = Math.floor(p / this.#plane) * 6 + (side - 1) * 3;
    counts.perSlice[o]! += by;
    if (!lesion) return;
    counts.perSlice[o + les]! += by;
    counts.lesionTotal += by;
    if (this.#hu[p]! >= HIGH_OPACITY_HU) counts.lesionDense += by;
  }

  /** The burden of the current labels (null without a lung mask): equal to `computeBurden` of them. */
  result(): BurdenResult | null {
    return this.#counts ? burdenFromCounts(this.#counts, this.#voxelMl) : null;
  }

  /** Voxels of lesion class `cls` that count in the burden (inside the lung mask; all without one). */
  classVoxels(cls: 1 | 2): number {
    if (!this.#counts) return this.#noLung[cls]!;
    let n = 0;
    for (let k = 0; k < this.#counts.slices; k++) n += this.#counts.perSlice[k * 6 + cls]! + this.#counts.perSlice[k * 6 + 3 + cls]!;
    return n;
  }

  /** Current figures as the review screen shows them, derived from {@link result}. */
  figures(): BurdenFigures {
    const r = this.result();
    if (!r) return figuresWithoutLung(this.#noLung[1]! * this.#voxelMl, this.#noLung[2]! * this.#voxelMl);
    return figuresOf(r);
  }
}

/** Review-screen figures of a burden result (percentages null where a region has no lung). */
export function figuresOf(r: BurdenResult): BurdenFigures {
  const pct = (x: RegionBurden): number | null => (x.lungVolumeMl > 0 ? x.burdenPercent : null);
  const regions: BurdenFigures['regions'][number][] = [];
  for (const side of ['right', 'left'] as const) {
    const z = r.zonesByLung[side];
    for (const zone of ZONES)
      regions.push({ side, zone, lesionMl: z[zone].lesionVolumeMl, lungMl: z[zone].lungVolumeMl, percent: pct(z[zone]) });
    regions.push({ side, zone: 'all', lesionMl: r[side].lesionVolumeMl, lungMl: r[side].lungVolumeMl, percent: pct(r[side]) });
  }
  const has = r.lungVolumeMl > 0;
  return {
    lungMl: r.lungVolumeMl,
    ggoMl: r.ggoVolumeMl,
    highMl: r.highOpacityVolumeMl,
    totalMl: r.lesionVolumeMl,
    ggoPercent: has ? r.ggoBurdenPercent : null,
    highPercent: has ? r.highOpacityBurdenPercent : null,
    totalPercent: has ? r.burdenPercent : null,
    regions,
    outsideLungMl: r.lesionOutsideLungMl,
  };
}

function figuresWithoutLung(ggoMl: number, highMl: number): BurdenFigures {
  const regions: BurdenFigures['regions'][number][] = [];
  for (const side of ['right', 'left'] as const)
    for (const zone of [...ZONES, 'all'] as const) regions.push({ side, zone, lesionMl: 0, lungMl: 0, percent: null });
  return {
    lungMl: 0,
    ggoMl,
    highMl,
    totalMl: ggoMl + highMl,
    ggoPercent: null,
    highPercent: null,
    totalPercent: null,
    regions,
    outsideLungMl: 0,
  };
}
