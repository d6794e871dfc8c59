import type { LabelMap } from '../../domain/label-map.ts';
import type { Volume, VolumeGeometry } from '../../domain/volume.ts';
import { MaskToolError } from './mask-tool-error.ts';

/** Throws unless the geometry has positive integer sizes, positive finite spacing and a data array of the right length. */
export function checkLabelMap(labelMap: LabelMap): void {
  checkGeometry(labelMap);
  const n = labelMap.size[0] * labelMap.size[1] * labelMap.size[2];
  if (!(labelMap.data instanceof Uint8Array)) {
    throw new MaskToolError('invalid-argument', 'label map data must be a Uint8Array');
  }
  if (labelMap.data.length !== n) {
    throw new MaskToolError(
      'size-mismatch',
      `label map holds ${labelMap.data.length} voxels but its size ${labelMap.size.join('×')} needs ${n}`,
    );
  }
}

/** Throws unless `size` and `spacingMm` describe a usable grid (≤ 2^32 − 1 voxels). */
export function checkGeometry(geometry: Pick<VolumeGeometry, 'size' | 'spacingMm'>): void {
  for (let axis = 0; axis < 3; axis++) {
    const n = geometry.size[axis as 0 | 1 | 2];
    const s = geometry.spacingMm[axis as 0 | 1 | 2];
    if (!Number.isInteger(n) || n < 1) {
      throw new MaskToolError('invalid-argument', `size[${axis}] must be a positive integer, got ${n}`);
    }
    if (!(Number.isFinite(s) && s > 0)) {
      throw new MaskToolError('invalid-argument', `spacingMm[${axis}] must be positive and finite, got ${s}`);
    }
  }
  if (geometry.size[0] * geometry.size[1] * geometry.size[2] > 0xffffffff) {
    throw new MaskToolError('invalid-argument', 'volumes above 2^32 − 1 voxels are not supported');
  }
}

/** Throws unless an optional per-voxel array (editable mask, HU data) matches the label map. */
export function checkSameGrid(what: string, array: ArrayLike<number>, labelMap: LabelMap): void {
  if (array.length !== labelMap.data.length) {
    throw new MaskToolError('size-mismatch', `${what} has ${array.length} voxels, the label map ${labelMap.data.length}`);
  }
}

/** Throws unless the CT volume is on the label map's grid (same size; data length). */
export function checkVolumeMatches(volume: Volume, labelMap: LabelMap): void {
  if (volume.size[0] !== labelMap.size[0] || volume.size[1] !== labelMap.size[1] || volume.size[2] !== labelMap.size[2]) {
    throw new MaskToolError('size-mismatch', `volume size ${volume.size.join('×')} differs from label map size ${labelMap.size.join('×')}`);
  }
  checkSameGrid('volume data', volume.data, labelMap);
}

/** Throws unless `value` is an integer label 0–255. */
export function checkLabelValue(what: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 255) {
    throw new MaskToolError('invalid-argument', `${what} must be an integer label 0–255, got ${value}`);
  }
}
