import type { LabelMap } from '../../../shared/domain/label-map.ts';
import { AIR_HU, IDENTITY_DIRECTION, type Volume } from '../../../shared/domain/volume.ts';
import type { Box } from '../../../shared/imaging/morphology.ts';

/** An axis-aligned box of voxels: i in [i0, i1), j in [j0, j1), k in [k0, k1). */
export type VoxelBox = Box;

/** A block inserted in the lung with its HU and the label the identity-test model gives it. */
export interface InsertedBlock extends VoxelBox {
  readonly hu: number;
  readonly label: number;
}

export interface SyntheticChest {
  readonly volume: Volume;
  readonly lungMask: LabelMap;
  /** Expected lesion labels: the blocks, inside the lung mask. */
  readonly expected: Uint8Array;
}

export interface SyntheticChestSpec {
  readonly size: readonly [number, number, number];
  /** Body (+40 HU) box, all slices. */
  readonly body: Omit<VoxelBox, 'k0' | 'k1'>;
  /** Lung (−850 HU) box inside the body; lung mask = this box on slices [k0, k1). */
  readonly lung: VoxelBox;
  readonly blocks: readonly InsertedBlock[];
}

/**
 * The default phantom of the inference tests, 160×160×12, made for the identity-test model
 * (H = W = 64, margin 4): body rows 30…129, columns 10…129 → crop box rowStart 16, colStart 6,
 * side 128 = 2·64, so every edge below sits on an even offset from the box start (exact 2:1
 * resampling), and the blocks must come back voxel-exact.
 */
export const DEFAULT_CHEST: SyntheticChestSpec = {
  size: [160, 160, 12],
  body: { i0: 10, i1: 130, j0: 30, j1: 130 },
  lung: { i0: 20, i1: 120, j0: 40, j1: 120, k0: 2, k1: 10 },
  blocks: [
    { i0: 50, i1: 70, j0: 60, j1: 80, k0: 4, k1: 8, hu: -400, label: 1 },
    { i0: 84, i1: 100, j0: 90, j1: 100, k0: 5, k1: 7, hu: 40, label: 2 },
  ],
};

const inBox = (b: Omit<VoxelBox, 'k0' | 'k1'> & Partial<Pick<VoxelBox, 'k0' | 'k1'>>, i: number, j: number, k: number): boolean =>
  i >= b.i0 && i < b.i1 && j >= b.j0 && j < b.j1 && (b.k0 === undefined || (k >= b.k0 && k < b.k1!));

/** Builds the phantom: air, body, lung (−850 HU, mask 1 on the right half / 2 on the left half), blocks. */
export function syntheticChest(spec: SyntheticChestSpec = DEFAULT_CHEST): SyntheticChest {
  const [nI, nJ, nK] = spec.size;
  const n = nI * nJ * nK;
  const hu = new Int16Array(n).fill(AIR_HU);
  const lung = new Uint8Array(n);
  const expected = new Uint8Array(n);
  const midI = (spec.lung.i0 + spec.lung.i1) / 2;
  for (let k = 0; k < nK; k++) {
    for (let j = 0; j < nJ; j++) {
      for (let i = 0; i < nI; i++) {
        const idx = i + j * nI + k * nI * nJ;
        if (!inBox(spec.body, i, j, k)) continue;
        hu[idx] = 40;
        if (inBox({ ...spec.lung, k0: 0, k1: nK }, i, j, k)) {
          hu[idx] = -850;
          if (k >= spec.lung.k0 && k < spec.lung.k1) lung[idx] = i < midI ? 1 : 2;
        }
        for (const b of spec.blocks) {
          if (inBox(b, i, j, k)) {
            hu[idx] = b.hu;
            if (lung[idx] !== 0) expected[idx] = b.label;
          }
        }
      }
    }
  }
  const geometry = {
    size: [nI, nJ, nK] as const,
    spacingMm: [0.7, 0.7, 2.5] as const,
    originLps: [-56, -60, -200] as const,
    directionLps: IDENTITY_DIRECTION,
  };
  return { volume: { ...geometry, data: hu }, lungMask: { ...geometry, data: lung }, expected };
}

/** Indices where two label volumes differ (first `limit`), for readable assertion messages. */
export function labelDifferences(size: readonly [number, number, number], got: Uint8Array, want: Uint8Array, limit = 10): string[] {
  const out: string[] = [];
  for (let idx = 0; idx < want.length && out.length < limit; idx++) {
    if (got[idx] !== want[idx]) {
      const i = idx % size[0],
        j = Math.floor(idx / size[0]) % size[1],
        k = Math.floor(idx / (size[0] * size[1]));
      out.push(`(i=${i}, j=${j}, k=${k}): got ${got[idx]}, want ${want[idx]}`);
    }
  }
  return out;
}
