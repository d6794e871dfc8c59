import type { VolumeGeometry } from '../../../shared/domain/volume.ts';
import { voxelVolumeMl } from '../../../shared/domain/volume.ts';
import type { EditPatch } from '../../../shared/imaging/mask-tools/edit-patch.ts';
import { viewNormalAxis } from '../../../shared/imaging/mask-tools/view-plane.ts';

/** Lung sides as stored in the lung mask (1 right, 2 left); 0 = outside the lungs. */
export const SIDES = ['outside', 'right', 'left'] as const;
/** Craniocaudal thirds of each lung. */
export const ZONES = ['upper', 'middle', 'lower'] as const;

/** Burden figures derived from the tally (mL and % of lung volume). */
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
  readonly regions: readonly { side: 'right' | 'left'; zone: (typeof ZONES)[number] | 'all'; lesionMl: number; lungMl: number; percent: number | null }[];
  /** Lesion voxels outside the lung mask, mL: shown, but not counted in the burden. */
  readonly outsideLungMl: number;
}

/**
 * Voxel counts of each lesion class per lung side and craniocaudal zone, kept up to date from
 * edit patches: an edit costs O(changed voxels), never a recount of the volume. The definitions
 * are those of `shared/imaging/burden.ts` (`computeBurden`, checked equal by a test): lesions
 * count only inside the lung mask (outside ones are reported apart), zones cut each lung's
 * slice extent into equal thirds along the patient's S–I axis.
 *
 * Layout: `counts[(cls * 3 + side) * 3 + zone]`, cls 0–2 (background, GGO, high opacity),
 * side 0–2 (outside, right, left), zone 0–2 (outside voxels use zone 0).
 */
export class BurdenTally {
  private readonly counts = new Float64Array(3 * 3 * 3);
  private readonly lungCounts = new Float64Array(3 * 3);
  private readonly zoneOfSlice: [Uint8Array, Uint8Array, Uint8Array];
  private readonly sliceStride: number;
  private readonly sliceLen: number;
  private readonly voxelMl: number;

  constructor(geometry: VolumeGeometry, private readonly lung: Uint8Array | null, lesion: Uint8Array) {
    const ccAxis = viewNormalAxis('axial', geometry.directionLps);
    const size = geometry.size;
    this.sliceStride = ccAxis === 0 ? 1 : ccAxis === 1 ? size[0] : size[0] * size[1];
    this.sliceLen = size[ccAxis];
    this.voxelMl = voxelVolumeMl(geometry);
    this.zoneOfSlice = [new Uint8Array(this.sliceLen), new Uint8Array(this.sliceLen), new Uint8Array(this.sliceLen)];
    if (lung) {
      // Extent of each side along the craniocaudal axis; sign of its z decides which end is upper.
      const lo = [Infinity, Infinity, Infinity];
      const hi = [-1, -1, -1];
      for (let idx = 0; idx < lung.length; idx++) {
        const s = lung[idx]!;
        if (s !== 1 && s !== 2) continue;
        const k = this.sliceOf(idx);
        if (k < lo[s]!) lo[s] = k;
        if (k > hi[s]!) hi[s] = k;
      }
      const upIsHighIndex = geometry.directionLps[3 * ccAxis + 2]! >= 0;
      for (const s of [1, 2] as const) {
        const z = this.zoneOfSlice[s];
        const a = lo[s]!;
        const b = hi[s]!;
        if (b < 0) continue;
        const span = b - a + 1;
        for (let k = 0; k < this.sliceLen; k++) {
          const t = Math.min(2, Math.max(0, Math.floor(((k - a) * 3) / span)));
          z[k] = upIsHighIndex ? 2 - t : t;
        }
      }
      for (let idx = 0; idx < lung.length; idx++) {
        const s = lung[idx]!;
        if (s === 1 || s === 2) this.lungCounts[s * 3 + this.zoneOfSlice[s][this.sliceOf(idx)]!]! += 1;
      }
    }
    for (let idx = 0; idx < lesion.length; idx++) {
      const c = lesion[idx]!;
      if (c === 1 || c === 2) this.counts[this.slot(c, idx)]!++;
    }
  }

  private sliceOf(idx: number): number {
    return Math.floor(idx / this.sliceStride) % this.sliceLen;
  }

  private slot(cls: number, idx: number): number {
    const s = this.lung ? this.lung[idx]! : 0;
    const side = s === 1 || s === 2 ? s : 0;
    const zone = side ? this.zoneOfSlice[side][this.sliceOf(idx)]! : 0;
    return (cls * 3 + side) * 3 + zone;
  }

  /** Updates the counts by a patch applied forward (edit/redo) or backward (undo). */
  applyPatch(patch: EditPatch, direction: 'forward' | 'backward'): void {
    const from = direction === 'forward' ? patch.before : patch.after;
    const to = direction === 'forward' ? patch.after : patch.before;
    for (let m = 0; m < patch.indices.length; m++) {
      const idx = patch.indices[m]!;
      const a = from[m]!;
      const b = to[m]!;
      if (a === 1 || a === 2) this.counts[this.slot(a, idx)]!--;
      if (b === 1 || b === 2) this.counts[this.slot(b, idx)]!++;
    }
  }

  /**
   * Voxels of lesion class `cls` (1 or 2) that count in the burden: inside the lung mask (as in
   * `shared/imaging/burden.ts`), or all of them when there is no lung mask yet.
   */
  classVoxels(cls: 1 | 2): number {
    let n = 0;
    for (let i = cls * 9 + (this.lung ? 3 : 0); i < cls * 9 + 9; i++) n += this.counts[i]!;
    return n;
  }

  /** Current figures in mL and %. */
  figures(): BurdenFigures {
    const v = this.voxelMl;
    const lungVox = this.lungCounts.reduce((a, b) => a + b, 0);
    const lungMl = lungVox * v;
    const ggoMl = this.classVoxels(1) * v;
    const highMl = this.classVoxels(2) * v;
    const pct = (ml: number, of: number): number | null => (of > 0 ? (ml / of) * 100 : null);
    const regions: BurdenFigures['regions'][number][] = [];
    for (const side of [1, 2] as const) {
      const name = side === 1 ? 'right' : 'left';
      let sideLesion = 0;
      let sideLung = 0;
      for (let zone = 0; zone < 3; zone++) {
        const lesionVox = this.counts[(1 * 3 + side) * 3 + zone]! + this.counts[(2 * 3 + side) * 3 + zone]!;
        const lungZ = this.lungCounts[side * 3 + zone]!;
        sideLesion += lesionVox;
        sideLung += lungZ;
        regions.push({ side: name, zone: ZONES[zone]!, lesionMl: lesionVox * v, lungMl: lungZ * v, percent: pct(lesionVox, lungZ) });
      }
      regions.push({ side: name, zone: 'all', lesionMl: sideLesion * v, lungMl: sideLung * v, percent: pct(sideLesion, sideLung) });
    }
    let outside = 0;
    if (this.lung) for (const cls of [1, 2]) for (let zone = 0; zone < 3; zone++) outside += this.counts[(cls * 3 + 0) * 3 + zone]!;
    return {
      lungMl,
      ggoMl,
      highMl,
      totalMl: ggoMl + highMl,
      ggoPercent: pct(ggoMl, lungMl),
      highPercent: pct(highMl, lungMl),
      totalPercent: pct(ggoMl + highMl, lungMl),
      regions,
      outsideLungMl: outside * v,
    };
  }
}
