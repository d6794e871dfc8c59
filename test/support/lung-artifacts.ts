/**
 * Deterministic generator of everyday CT artifacts and anatomy variants, painted into a real HU
 * series (axes LPS-aligned: i → patient left, j → posterior, k → superior; use
 * `reorientToLps` first). Each variant says how its lung volume relates to the clean series'
 * so that a lung mask can be checked against it.
 *
 * The structures are what real chest CT shows around and inside the patient:
 * - blanket / gown folds: thin wavy sheets (1.5–3 mm, −100…+50 HU) over the front and sides of the
 *   body, touching the skin in places, draped down to table level (they enclose air pockets);
 * - oxygen tubing: thin walled cylinders (Ø 6 mm, wall 1 mm, +80 HU) in the air, one lying on the
 *   skin, one looping in-plane;
 * - ECG electrodes (foam disc + metal snap) on the chest wall and lead wires (metal, Ø 1.4 mm)
 *   running through the air out of the field;
 * - a mattress (−150 HU foam, 30 mm) and a second table plate (+300 HU) under and beside the body;
 * - a circular field of view cutting the sides of the body, outside it the padding value
 *   (−1024 as the importer maps it, or −3024 / −2048 raw as when a file has no padding tag);
 * - arms down beside the chest (soft tissue, fat rim, humerus), touching the chest wall with an
 *   air pocket trapped in the axilla;
 * - dense dependent lower lobes (+20…+40 HU consolidation / effusion-like), emphysema (patches of
 *   −980 HU), and a post-surgery left lung (lower half replaced by soft tissue, as after a lower
 *   lobectomy with a raised hemidiaphragm).
 *
 * Randomness comes from a seeded PRNG (mulberry32): the same seed gives the same voxels.
 */
import type { LabelMap } from '../../shared/domain/label-map.ts';
import { mulberry32 } from '../../shared/util/mulberry32.ts';
import type { Volume } from '../../shared/domain/volume.ts';
import { lungMl } from './artifact-volume.ts';
import { denseDependent, emphysema, fovCutLung, smallLeftLung } from './inside-artifacts.ts';
import { arms, blanket, ecg, tableMattress, tubing } from './outside-artifacts.ts';

/** How a variant's expected lung volume follows from the clean series' lung mask. */
export interface ArtifactResult {
  readonly volume: Volume;
  /** Expected lung volume in mL, from the clean mask (same for added structures outside the lungs). */
  readonly expectedLungMl: number;
  /** Expected right / left volumes in mL. */
  readonly expectedRightMl: number;
  readonly expectedLeftMl: number;
}

/** One artifact variant. */
export interface ArtifactVariant {
  readonly name: string;
  readonly description: string;
  /** Paints the variant into a copy of `clean`; `cleanLung` is the clean series' lung mask (1 right, 2 left). */
  readonly apply: (clean: Volume, cleanLung: LabelMap, seed?: number) => ArtifactResult;
}

/** The project's deterministic PRNG (mulberry32), in [0, 1). */
export const prng = mulberry32;

function sameLung(volume: Volume, lung: LabelMap): ArtifactResult {
  const { r, l } = lungMl(lung);
  return { volume, expectedLungMl: r + l, expectedRightMl: r, expectedLeftMl: l };
}

/** Every variant, in a fixed order. */
export const ARTIFACT_VARIANTS: readonly ArtifactVariant[] = [
  {
    name: 'blanket',
    description: 'two wavy blanket/gown sheets (−100…+50 HU, 1.5–3 mm) over front and sides, touching the skin in places',
    apply: (c, l, s = 1) => sameLung(blanket(c, s, 2, 20), l),
  },
  {
    name: 'blanket-folds',
    description: 'four close wavy sheets (piled folds up to ~10 mm) over front and sides',
    apply: (c, l, s = 2) => sameLung(blanket(c, s, 4, 8), l),
  },
  {
    name: 'heavy-blanket',
    description:
      'a thick folded blanket (10–14 mm, −100…+50 HU) lying on the skin in places and draped down to the table, enclosing air pockets',
    apply: (c, l, s = 11) => sameLung(blanket(c, s, 1, 30, [10, 14], 2.8), l),
  },
  {
    name: 'tubing',
    description: 'oxygen tubing (Ø 6 mm, wall 1 mm): on the skin, free in the air, one in-plane loop',
    apply: (c, l, s = 3) => sameLung(tubing(c, s), l),
  },
  {
    name: 'ecg',
    description: 'five ECG electrodes (foam + metal snap) on the chest wall, metal lead wires to the edge',
    apply: (c, l, s = 4) => sameLung(ecg(c, s), l),
  },
  {
    name: 'table-mattress',
    description: '30 mm foam mattress (−150 HU) under and beside the body, second table plate (+300 HU)',
    apply: (c, l, s = 5) => sameLung(tableMattress(c, s), l),
  },
  {
    name: 'fov-cut',
    description: 'circular field of view (centred, 6 mm beyond the farthest lung voxel) cutting the body wall, outside = −1024',
    apply: (c, l) => sameLung(fovCutLung(c, l, 6, -1024).volume, l),
  },
  {
    name: 'fov-cut-raw-padding',
    description: 'the same field-of-view cut with the raw padding −3024 left in the voxels',
    apply: (c, l) => sameLung(fovCutLung(c, l, 6, -3024).volume, l),
  },
  {
    name: 'arms-down',
    description: 'arms beside the chest touching the chest wall, air trapped in the axillae',
    apply: (c, l, s = 6) => sameLung(arms(c, s), l),
  },
  {
    name: 'dense-lower-lobes',
    description: 'dependent consolidation: 40 mm posterior band of the lower half of both lungs at +20…+40 HU',
    apply: (c, l, s = 7) => sameLung(denseDependent(c, l, s, 0.5, 40, 20, 20), l),
  },
  {
    name: 'effusion',
    description: 'smooth dependent fluid: 60 mm posterior band of the lower 40 % of both lungs at +5…+15 HU',
    apply: (c, l, s = 12) => sameLung(denseDependent(c, l, s, 0.4, 60, 5, 10), l),
  },
  {
    name: 'fov-cut-lung',
    description: 'circular field of view 10 mm inside the farthest lung voxel: both lungs opened to the outside (−3024)',
    apply: (c, l) => {
      const { volume, keep } = fovCutLung(c, l, -10, -3024);
      const { r, l: left } = lungMl(l, (p) => keep(p));
      return { volume, expectedLungMl: r + left, expectedRightMl: r, expectedLeftMl: left };
    },
  },
  {
    name: 'emphysema',
    description: '60 emphysema patches (−980 HU spheres, radius 4–18 mm) inside the lungs',
    apply: (c, l, s = 8) => sameLung(emphysema(c, l, s, 60), l),
  },
  {
    name: 'post-surgery',
    description: 'left lung lower half replaced by soft tissue (+40 HU): one lung much smaller',
    apply: (c, l) => {
      const { volume, kCut } = smallLeftLung(c, l);
      const [nx, ny] = l.size;
      const { r, l: left } = lungMl(l, (p, x) => x === 1 || Math.floor(p / (nx * ny)) >= kCut);
      return { volume, expectedLungMl: r + left, expectedRightMl: r, expectedLeftMl: left };
    },
  },
  {
    name: 'combined',
    description: 'blanket + tubing + ECG + mattress + arms + raw-padding field-of-view cut together',
    apply: (c, l, s = 9) => {
      let v = blanket(c, s, 2, 20);
      v = tubing(v, s + 1);
      v = ecg(v, s + 2);
      v = tableMattress(v, s + 3);
      v = arms(v, s + 4);
      v = fovCutLung(v, l, 6, -3024).volume;
      return sameLung(v, l);
    },
  },
];
