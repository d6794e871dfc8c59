import { AIR_HU, type Volume } from '../../shared/domain/volume.ts';

/** A one-slice HU volume from an 8-bit display image rendered in the window (center, width). */
export function eightBitToVolume(gray: Uint8Array, width: number, height: number, centerHu: number, widthHu: number): Volume {
  const lo = centerHu - widthHu / 2;
  const data = new Int16Array(width * height);
  for (let p = 0; p < data.length; p++) data[p] = Math.max(AIR_HU, Math.round(lo + (gray[p]! / 255) * widthHu));
  return { size: [width, height, 1], spacingMm: [1, 1, 1], originLps: [0, 0, 0], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1], data };
}
