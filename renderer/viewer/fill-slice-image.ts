import { LESION_COLOURS } from '../../shared/domain/label-map.ts';
import type { ViewAxes } from './view-axes.ts';
import type { OverlaySettings } from './viewer-state.ts';

const LUNG_OUTLINE: readonly [number, number, number] = [110, 230, 150];
/** Tints of the right and left lung while the lung mask is edited (`--lung-right`, `--lung-left` in the CSS). */
const LUNG_RIGHT: readonly [number, number, number] = [60, 200, 210];
const LUNG_LEFT: readonly [number, number, number] = [200, 120, 235];
const GGO = LESION_COLOURS.ggo;
const HIGH = LESION_COLOURS.highOpacity;

/** The voxels and display settings one slice image is filled from. */
export interface SliceImageInput {
  /** Volume size in voxels [i, j, k]. */
  readonly size: readonly [number, number, number];
  readonly hu: Int16Array;
  /** Lesion labels (0/1/2) on the volume grid. */
  readonly lesion: Uint8Array;
  /** Lung mask (0 outside, 1 right, 2 left) or null before the AI run. */
  readonly lung: Uint8Array | null;
  /** True while the reader edits the lung mask: the lungs are tinted, not only outlined. */
  readonly lungFill: (() => boolean) | undefined;
  readonly axes: ViewAxes;
  /** Slice index along `axes.normal` (clamped to the volume). */
  readonly sliceIndex: number;
  readonly overlays: OverlaySettings;
  /** Grey level per `HU + 32768` (see `greyLut`). */
  readonly lut: Uint8Array;
}

/**
 * Fills `image` (one pixel per voxel of the slice, in screen orientation) with windowed HU and the
 * lesion fill blended per pixel, copies the slice's lung labels into `lungSlice` (same layout), then
 * tints and outlines the lungs when the lung overlay is shown.
 */
export function fillSliceImage(input: SliceImageInput, image: ImageData, lungSlice: Uint8Array): void {
  const { u, v, normal, flipU, flipV } = input.axes;
  const size = input.size;
  const strides = [1, size[0], size[0] * size[1]];
  const W = size[u];
  const H = size[v];
  const sU = strides[u]!;
  const sV = strides[v]!;
  const n = Math.min(size[normal] - 1, Math.max(0, input.sliceIndex));
  const { hu, lesion, lung, lut } = input;
  const ov = input.overlays;
  const aG = ov.ggo.visible ? ov.ggo.opacity : 0;
  const aH = ov.highOpacity.visible ? ov.highOpacity.opacity : 0;
  const px = image.data;
  const stepU = flipU ? -sU : sU;
  for (let r = 0; r < H; r++) {
    const iv = flipV ? H - 1 - r : r;
    let idx = n * strides[normal]! + iv * sV + (flipU ? (W - 1) * sU : 0);
    let p = r * W * 4;
    let q = r * W;
    for (let c = 0; c < W; c++, idx += stepU, p += 4, q++) {
      const g = lut[hu[idx]! + 32768]!;
      const lab = lesion[idx]!;
      if (lab === 1 && aG > 0) {
        px[p] = g + (GGO[0] - g) * aG;
        px[p + 1] = g + (GGO[1] - g) * aG;
        px[p + 2] = g + (GGO[2] - g) * aG;
      } else if (lab === 2 && aH > 0) {
        px[p] = g + (HIGH[0] - g) * aH;
        px[p + 1] = g + (HIGH[1] - g) * aH;
        px[p + 2] = g + (HIGH[2] - g) * aH;
      } else {
        px[p] = g;
        px[p + 1] = g;
        px[p + 2] = g;
      }
      px[p + 3] = 255;
      if (lung) lungSlice[q] = lung[idx]!;
    }
  }
  if (lung && ov.lung.visible && ov.lung.opacity > 0 && input.lungFill?.()) tintLung(px, lungSlice, W, H, ov.lung.opacity * 0.35);
  if (lung && ov.lung.visible && ov.lung.opacity > 0) outlineLung(px, lungSlice, W, H, ov.lung.opacity);
}

/** Tints the right (label 1) and left (label 2) lung pixels, while the lung mask is edited. */
function tintLung(px: Uint8ClampedArray, m: Uint8Array, W: number, H: number, a: number): void {
  for (let q = 0; q < W * H; q++) {
    const l = m[q]!;
    const rgb = l === 1 ? LUNG_RIGHT : l === 2 ? LUNG_LEFT : null;
    if (!rgb) continue;
    const p = q * 4;
    px[p] = px[p]! + (rgb[0] - px[p]!) * a;
    px[p + 1] = px[p + 1]! + (rgb[1] - px[p + 1]!) * a;
    px[p + 2] = px[p + 2]! + (rgb[2] - px[p + 2]!) * a;
  }
}

/** Tints lung pixels that touch a different lung label (4-neighbourhood) — the outline. */
function outlineLung(px: Uint8ClampedArray, m: Uint8Array, W: number, H: number, a: number): void {
  for (let r = 0; r < H; r++) {
    for (let c = 0; c < W; c++) {
      const q = r * W + c;
      const l = m[q]!;
      if (!l) continue;
      const edge = c === 0 || c === W - 1 || r === 0 || r === H - 1 || m[q - 1] !== l || m[q + 1] !== l || m[q - W] !== l || m[q + W] !== l;
      if (!edge) continue;
      const p = q * 4;
      px[p] = px[p]! + (LUNG_OUTLINE[0] - px[p]!) * a;
      px[p + 1] = px[p + 1]! + (LUNG_OUTLINE[1] - px[p + 1]!) * a;
      px[p + 2] = px[p + 2]! + (LUNG_OUTLINE[2] - px[p + 2]!) * a;
    }
  }
}
